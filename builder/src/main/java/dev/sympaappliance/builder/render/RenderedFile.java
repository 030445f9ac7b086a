package dev.sympaappliance.builder.render;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One generated file as it goes into the image: absolute path, exact bytes, mode and numeric owner
 * (the image's user database is the base's, so names would mean nothing to Jib).
 */
public record RenderedFile(String path, byte[] content, int mode, int uid, int gid) {
  public RenderedFile {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must be absolute: " + path);
    }
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  public String text() {
    return new String(content, StandardCharsets.UTF_8);
  }

  /** Mode as Jib and chmod write it, e.g. "640". */
  public String octalMode() {
    return String.format("%03o", mode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RenderedFile other
        && path.equals(other.path)
        && Arrays.equals(content, other.content)
        && mode == other.mode
        && uid == other.uid
        && gid == other.gid;
  }

  @Override
  public int hashCode() {
    return 31 * path.hashCode() + Arrays.hashCode(content);
  }

  @Override
  public String toString() {
    return path + " (" + octalMode() + " " + uid + ":" + gid + ", " + content.length + " bytes)";
  }
}
