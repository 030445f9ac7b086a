package dev.sympaappliance.builder.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache key covers every input of the base: a change to any of them builds a new base. */
class BaseRecipeTest {
  private final BaseRecipe recipe = BaseRecipe.bookworm("amd64");

  @Test
  void theSpoolGuardSourceIsAnInputOfTheRecipe() {
    assertThat(recipe.sources()).containsOnlyKeys(BaseRecipe.SPOOL_GUARD_SOURCE);
    assertThat(recipe.sources().get(BaseRecipe.SPOOL_GUARD_SOURCE)).contains("int main(");
    assertThat(recipe.script()).contains("spool-guard.c").contains("apt-get purge -y -q --autoremove $BUILD_PACKAGES");
    assertThat(recipe.environment()).containsEntry("BUILD_PACKAGES", "gcc libc6-dev")
        .containsEntry("SPOOL_GUARD", "/usr/local/lib/sympa-appliance/spool-guard");
  }

  /** The full flavour's Sympa gets the one-click patch, a recipe input like the guard, applied strictly. */
  @Test
  void theFullFlavourPatchesSympaWithDebiansPatchPurgedAfter() {
    BaseRecipe full = BaseRecipe.bookwormFull("amd64");
    assertThat(full.sources()).containsOnlyKeys(BaseRecipe.SPOOL_GUARD_SOURCE, BaseRecipe.SYMPA_PATCH);
    assertThat(full.sources().get(BaseRecipe.SYMPA_PATCH))
        .contains("+++ b/usr/share/sympa/lib/Sympa/Spindle/ProcessOutgoing.pm", "+sub do_oneclick {",
            "Digest::SHA::hmac_sha256(");
    assertThat(full.buildPackages()).contains("patch");
    assertThat(full.script()).contains("patch --directory=/ --strip=1 --forward --fuzz=0");
    Map<String, String> sources = new HashMap<>(full.sources());
    sources.put(BaseRecipe.SYMPA_PATCH, sources.get(BaseRecipe.SYMPA_PATCH) + "\n");
    assertThat(new BaseRecipe(full.suite(), full.packages(), full.buildPackages(), full.architecture(),
        full.sourceDateEpoch(), full.script(), sources, full.healthCheck()).cacheKey()).isNotEqualTo(full.cacheKey());
  }

  @Test
  void theKeyChangesWithTheGuardSourceTheScriptAndTheVariables() {
    Map<String, String> sources = new HashMap<>(recipe.sources());
    sources.put(BaseRecipe.SPOOL_GUARD_SOURCE, sources.get(BaseRecipe.SPOOL_GUARD_SOURCE) + "\n");
    BaseRecipe otherSource = new BaseRecipe(recipe.suite(), recipe.packages(), recipe.buildPackages(),
        recipe.architecture(), recipe.sourceDateEpoch(), recipe.script(), sources);
    BaseRecipe otherScript = new BaseRecipe(recipe.suite(), recipe.packages(), recipe.buildPackages(),
        recipe.architecture(), recipe.sourceDateEpoch(), recipe.script() + "\n", recipe.sources());
    BaseRecipe otherBuildPackages = new BaseRecipe(recipe.suite(), recipe.packages(), java.util.List.of("gcc"),
        recipe.architecture(), recipe.sourceDateEpoch(), recipe.script(), recipe.sources());

    assertThat(BaseRecipe.bookworm("amd64").cacheKey()).isEqualTo(recipe.cacheKey());
    assertThat(otherSource.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherScript.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherBuildPackages.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(BaseRecipe.bookworm("arm64").cacheKey()).isNotEqualTo(recipe.cacheKey());
  }

  @Test
  void theKeyChangesWithThePackagesTheSuiteAndTheSourceDateEpoch() {
    BaseRecipe otherPackages = new BaseRecipe(recipe.suite(), java.util.List.of("postfix", "bsd-mailx"), recipe.buildPackages(),
        recipe.architecture(), recipe.sourceDateEpoch(), recipe.script(), recipe.sources());
    BaseRecipe extraPackage = new BaseRecipe(recipe.suite(),
        java.util.List.of("postfix", "bsd-mailx", "netbase", "openssl", "libsasl2-modules", "procps"), recipe.buildPackages(),
        recipe.architecture(), recipe.sourceDateEpoch(), recipe.script(), recipe.sources());
    BaseRecipe otherSuite = new BaseRecipe("trixie", recipe.packages(), recipe.buildPackages(),
        recipe.architecture(), recipe.sourceDateEpoch(), recipe.script(), recipe.sources());
    BaseRecipe otherEpoch = new BaseRecipe(recipe.suite(), recipe.packages(), recipe.buildPackages(),
        recipe.architecture(), recipe.sourceDateEpoch() + 1, recipe.script(), recipe.sources());

    assertThat(recipe.packages()).containsExactly("postfix", "bsd-mailx", "netbase", "openssl", "libsasl2-modules");
    assertThat(otherPackages.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(extraPackage.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherSuite.cacheKey()).isNotEqualTo(recipe.cacheKey());
    assertThat(otherEpoch.cacheKey()).isNotEqualTo(recipe.cacheKey());
  }
}
