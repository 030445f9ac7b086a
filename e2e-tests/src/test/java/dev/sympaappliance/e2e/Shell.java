package dev.sympaappliance.e2e;

/** POSIX shell quoting for commands run inside containers. */
final class Shell {
  private Shell() {}

  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
