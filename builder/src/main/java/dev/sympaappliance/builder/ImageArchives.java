package dev.sympaappliance.builder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar archives the builder writes itself (a base as `docker save` writes one, a multi-platform
 * OCI archive): entries that hold nothing of the machine or the time they were written on, so that
 * the same input gives the same bytes.
 */
public final class ImageArchives {
  private ImageArchives() {}

  /** A tar stream for long names and big files (POSIX extensions). */
  public static TarArchiveOutputStream open(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  /** A file entry: mode 0644, owner 0, time 0. */
  public static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0644);
    entry.setModTime(new Date(0));
    return entry;
  }

  public static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    tar.putArchiveEntry(entry(name, bytes.length));
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
