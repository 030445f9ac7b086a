package dev.sympaappliance.builder.base;

import dev.sympaappliance.builder.render.ImagePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that shapes the base root filesystem: the mmdebstrap script and the variables it
 * is run with. Its {@link #cacheKey()} names the cached base, so a change to any of it builds a
 * new base and an unchanged recipe is never built twice.
 */
public record BaseRecipe(String suite, List<String> packages, String architecture, long sourceDateEpoch, String script) {
  public static final String SCRIPT_RESOURCE = "rootfs-recipe.sh";

  /** Debian bookworm with Postfix, the `mail` command and netbase; Sympa's bin tools come from the script. */
  public static BaseRecipe bookworm(String architecture) {
    return new BaseRecipe("bookworm", List.of("postfix", "bsd-mailx", "netbase"), architecture,
        1700000000L, loadScript());
  }

  public BaseRecipe {
    packages = List.copyOf(packages);
  }

  /** Variables the script reads. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SUITE", suite);
    env.put("PACKAGES", String.join(",", packages));
    env.put("SYMPA_UID", Integer.toString(ImagePaths.SYMPA_UID));
    env.put("SYMPA_GID", Integer.toString(ImagePaths.SYMPA_GID));
    env.put("SOURCE_DATE_EPOCH", Long.toString(sourceDateEpoch));
    return env;
  }

  /** Hex SHA-256 over the architecture, the variables and the script text. */
  public String cacheKey() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("arch=" + architecture + "\n").getBytes(StandardCharsets.UTF_8));
      environment().forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      sha.update(script.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String loadScript() {
    try (InputStream in = BaseRecipe.class.getResourceAsStream(SCRIPT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCRIPT_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
