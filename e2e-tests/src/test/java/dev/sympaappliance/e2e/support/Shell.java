package dev.sympaappliance.e2e.support;

/** POSIX shell quoting for commands run inside containers. */
public final class Shell {
  private Shell() {}

  public static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
