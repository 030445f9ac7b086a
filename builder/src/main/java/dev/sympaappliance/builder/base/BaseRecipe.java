package dev.sympaappliance.builder.base;

import dev.sympaappliance.builder.render.ImagePaths;
import dev.sympaappliance.builder.spec.DebianSuite;
import dev.sympaappliance.builder.spec.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that shapes the base root filesystem: the mmdebstrap script, the source files it reads
 * from its own directory, and the variables it is run with. Its {@link #cacheKey()} names the
 * cached base, so a change to any of it builds a new base and an unchanged recipe is never built
 * twice.
 */
public record BaseRecipe(
    String suite,
    List<String> packages,
    List<String> buildPackages,
    String architecture,
    long sourceDateEpoch,
    String script,
    Map<String, String> sources,
    List<String> healthCheck) {
  public static final String SCRIPT_RESOURCE = "rootfs-recipe.sh";

  /** The spool guard's C source, compiled inside the root filesystem. */
  public static final String SPOOL_GUARD_SOURCE = "spool-guard.c";

  /**
   * The changes to Sympa's code, applied to the full flavour's files: the name the script reads
   * them by. They are the suite's {@code sympa-oneclick-unsubscribe-CODENAME.patch} (RFC 8058
   * One-Click Unsubscribe with a keyed token, written against that suite's Sympa) followed by
   * {@code sympa-owner-mail.patch} (a person's mail to LIST-owner@ reaches the owners) and {@code
   * sympa-distribution.patch} (bulk.pl's per-member copies over one SMTP connection, no parse of a
   * copy that gets no footer), which apply to every suite's Sympa.
   */
  public static final String SYMPA_PATCH = "sympa.patch";

  /**
   * A Debian suite with Postfix, the `mail` command and netbase, openssl (the entrypoint makes a
   * self-signed certificate for STARTTLS when none is mounted) and libsasl2-modules (SMTP AUTH
   * PLAIN/LOGIN to an authenticated relay host); Sympa's bin tools and the spool guard come from
   * the script. gcc and libc6-dev compile the guard and are purged after.
   */
  public static BaseRecipe tools(DebianSuite suite, Platform platform) {
    return new BaseRecipe(
        suite.codename(),
        List.of("postfix", "bsd-mailx", "netbase", "openssl", "libsasl2-modules"),
        List.of("gcc", "libc6-dev"),
        platform.architecture(),
        1700000000L,
        load(SCRIPT_RESOURCE),
        Map.of(SPOOL_GUARD_SOURCE, load(SPOOL_GUARD_SOURCE)));
  }

  /**
   * The full flavour: the same plus the suite's sympa package (its daemons, WWSympa, SQLite), s6 as
   * the process supervisor, procps, and the web server for WWSympa: nginx in front of spawn-fcgi
   * (multiwatch comes with sympa), and postgresql-client (pg_isready, pg_dump and pg_restore for a
   * site on PostgreSQL: its start, backup and restore). Its image declares a health check, the
   * command the configuration layer provides at {@link ImagePaths#HEALTH_CHECK}. Sympa's code gets
   * the suite's {@link #SYMPA_PATCH} (one-click unsubscribe, owner mail, distribution), applied
   * with Debian's patch, purged after.
   */
  public static BaseRecipe full(DebianSuite suite, Platform platform) {
    return new BaseRecipe(
        suite.codename(),
        List.of(
            "postfix",
            "bsd-mailx",
            "netbase",
            "openssl",
            "libsasl2-modules",
            "sympa",
            "s6",
            "procps",
            "nginx",
            "spawn-fcgi",
            "postgresql-client"),
        List.of("gcc", "libc6-dev", "patch"),
        platform.architecture(),
        1700000000L,
        load(SCRIPT_RESOURCE),
        Map.of(
            SPOOL_GUARD_SOURCE,
            load(SPOOL_GUARD_SOURCE),
            SYMPA_PATCH,
            load("sympa-oneclick-unsubscribe-" + suite.codename() + ".patch")
                + load("sympa-owner-mail.patch")
                + load("sympa-distribution.patch")),
        List.of(ImagePaths.HEALTH_CHECK));
  }

  /** A recipe whose image declares no health check. */
  public BaseRecipe(
      String suite,
      List<String> packages,
      List<String> buildPackages,
      String architecture,
      long sourceDateEpoch,
      String script,
      Map<String, String> sources) {
    this(suite, packages, buildPackages, architecture, sourceDateEpoch, script, sources, List.of());
  }

  public BaseRecipe {
    packages = List.copyOf(packages);
    buildPackages = List.copyOf(buildPackages);
    healthCheck = List.copyOf(healthCheck);
    // In name order, the order the cache key hashes them in.
    sources = Collections.unmodifiableSortedMap(new TreeMap<>(sources));
  }

  /** Variables the script reads. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SUITE", suite);
    env.put("ARCH", architecture);
    env.put("PACKAGES", String.join(",", packages));
    env.put("BUILD_PACKAGES", String.join(" ", buildPackages));
    env.put("SYMPA_UID", Integer.toString(ImagePaths.SYMPA_UID));
    env.put("SYMPA_GID", Integer.toString(ImagePaths.SYMPA_GID));
    env.put("SPOOL_GUARD", ImagePaths.SPOOL_GUARD);
    env.put("SOURCE_DATE_EPOCH", Long.toString(sourceDateEpoch));
    return env;
  }

  /**
   * Hex SHA-256 over the variables (the architecture among them), the script text and the sources.
   */
  public String cacheKey() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      environment()
          .forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      sha.update(script.getBytes(StandardCharsets.UTF_8));
      if (!healthCheck.isEmpty()) {
        sha.update(
            ("\nhealthcheck "
                    + String.join("\0", healthCheck)
                    + "\n"
                    + DockerArchiveWriter.healthTimings()
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      sources.forEach(
          (name, text) -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            sha.update(
                ("\nsource " + name + " " + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
          });
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String load(String resource) {
    try (InputStream in = BaseRecipe.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
