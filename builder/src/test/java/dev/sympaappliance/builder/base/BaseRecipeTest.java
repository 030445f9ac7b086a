package dev.sympaappliance.builder.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sympaappliance.builder.spec.DebianSuite;
import dev.sympaappliance.builder.spec.Platform;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache key covers every input of the base: a change to any of them builds a new base. */
class BaseRecipeTest {
  private final BaseRecipe recipe = BaseRecipe.tools(DebianSuite.BOOKWORM, Platform.LINUX_AMD64);

  @Test
  void theSpoolGuardSourceIsAnInputOfTheRecipe() {
    assertThat(recipe.sources()).containsOnlyKeys(BaseRecipe.SPOOL_GUARD_SOURCE);
    assertThat(recipe.sources().get(BaseRecipe.SPOOL_GUARD_SOURCE)).contains("int main(");
    assertThat(recipe.script())
        .contains("spool-guard.c")
        .contains("apt-get purge -y -q --autoremove $BUILD_PACKAGES");
    assertThat(recipe.environment())
        .containsEntry("BUILD_PACKAGES", "gcc libc6-dev")
        .containsEntry("SPOOL_GUARD", "/usr/local/lib/sympa-appliance/spool-guard");
  }

  /**
   * The full flavour's Sympa gets its suite's one-click patch, a recipe input like the guard,
   * applied strictly: 6.2.70's is a backport with WWSympa's action, 6.2.76's keys upstream's token.
   */
  @Test
  void theFullFlavourPatchesSympaWithItsSuitesPatchAndDebiansPatchPurgedAfter() {
    BaseRecipe bookworm = BaseRecipe.full(DebianSuite.BOOKWORM, Platform.LINUX_AMD64);
    BaseRecipe trixie = BaseRecipe.full(DebianSuite.TRIXIE, Platform.LINUX_AMD64);
    assertThat(bookworm.sources().get(BaseRecipe.SYMPA_PATCH))
        .contains(
            "+++ b/usr/share/sympa/lib/Sympa/Spindle/ProcessOutgoing.pm",
            "+sub do_oneclick {",
            "Digest::SHA::hmac_sha256(");
    assertThat(trixie.sources().get(BaseRecipe.SYMPA_PATCH))
        .contains(
            "+++ b/usr/share/sympa/lib/Sympa/Spindle/ProcessOutgoing.pm",
            "+    if (    not ref $rcpt",
            "Digest::SHA::hmac_sha256(",
            "-my $oneclick_expiration = 7;")
        .doesNotContain("+sub do_oneclick {");
    assertThat(trixie.suite()).isEqualTo("trixie");
    assertThat(trixie.cacheKey()).isNotEqualTo(bookworm.cacheKey());
    for (BaseRecipe full : java.util.List.of(bookworm, trixie)) {
      // Then, on both suites, the one for mail to LIST-owner@.
      assertThat(full.sources().get(BaseRecipe.SYMPA_PATCH))
          .contains(
              "+++ b/usr/share/sympa/lib/Sympa/Spindle/ProcessBounce.pm",
              "+            $copy->{listtype} = 'owner';");
      assertThat(full.sources())
          .containsOnlyKeys(BaseRecipe.SPOOL_GUARD_SOURCE, BaseRecipe.SYMPA_PATCH);
      assertThat(full.buildPackages()).contains("patch");
      assertThat(full.script()).contains("patch --directory=/ --strip=1 --forward --fuzz=0");
      Map<String, String> sources = new HashMap<>(full.sources());
      sources.put(BaseRecipe.SYMPA_PATCH, sources.get(BaseRecipe.SYMPA_PATCH) + "\n");
      assertThat(
              new BaseRecipe(
                      full.suite(),
                      full.packages(),
                      full.buildPackages(),
                      full.architecture(),
                      full.sourceDateEpoch(),
                      full.script(),
                      sources,
                      full.healthCheck())
                  .cacheKey())
          .isNotEqualTo(full.cacheKey());
    }
  }

  @Test
  void theKeyChangesWithTheGuardSourceTheScriptAndTheVariables() {
    Map<String, String> sources = new HashMap<>(recipe.sources());
    sources.put(BaseRecipe.SPOOL_GUARD_SOURCE, sources.get(BaseRecipe.SPOOL_GUARD_SOURCE) + "\n");
    BaseRecipe otherSource =
        new BaseRecipe(
            recipe.suite(),
            recipe.packages(),
            recipe.buildPackages(),
            recipe.architecture(),
            recipe.sourceDateEpoch(),
            recipe.script(),
            sources);
    BaseRecipe otherScript =
        new BaseRecipe(
            recipe.suite(),
            recipe.packages(),
            recipe.buildPackages(),
            recipe.architecture(),
            recipe.sourceDateEpoch(),
            recipe.script() + "\n",
            recipe.sources());
    BaseRecipe otherBuildPackages =
        new BaseRecipe(
            recipe.suite(),
            recipe.packages(),
            java.util.List.of("gcc"),
            recipe.architecture(),
            recipe.sourceDateEpoch(),
            recipe.script(),
            recipe.sources());

    assertThat(BaseRecipe.tools(DebianSuite.BOOKWORM, Platform.LINUX_AMD64).cacheKey())
        .isEqualTo(recipe.cacheKey());
    assertThat(otherSource.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherScript.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherBuildPackages.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(BaseRecipe.tools(DebianSuite.BOOKWORM, Platform.LINUX_ARM64).cacheKey())
        .isNotEqualTo(recipe.cacheKey());
  }

  @Test
  void theKeyChangesWithThePackagesTheSuiteAndTheSourceDateEpoch() {
    BaseRecipe otherPackages =
        new BaseRecipe(
            recipe.suite(),
            java.util.List.of("postfix", "bsd-mailx"),
            recipe.buildPackages(),
            recipe.architecture(),
            recipe.sourceDateEpoch(),
            recipe.script(),
            recipe.sources());
    BaseRecipe extraPackage =
        new BaseRecipe(
            recipe.suite(),
            java.util.List.of(
                "postfix", "bsd-mailx", "netbase", "openssl", "libsasl2-modules", "procps"),
            recipe.buildPackages(),
            recipe.architecture(),
            recipe.sourceDateEpoch(),
            recipe.script(),
            recipe.sources());
    BaseRecipe otherSuite =
        new BaseRecipe(
            "trixie",
            recipe.packages(),
            recipe.buildPackages(),
            recipe.architecture(),
            recipe.sourceDateEpoch(),
            recipe.script(),
            recipe.sources());
    BaseRecipe otherEpoch =
        new BaseRecipe(
            recipe.suite(),
            recipe.packages(),
            recipe.buildPackages(),
            recipe.architecture(),
            recipe.sourceDateEpoch() + 1,
            recipe.script(),
            recipe.sources());

    assertThat(recipe.packages())
        .containsExactly("postfix", "bsd-mailx", "netbase", "openssl", "libsasl2-modules");
    assertThat(otherPackages.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(extraPackage.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherSuite.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherEpoch.cacheKey()).isNotEqualTo(recipe.cacheKey());
  }
}
