package dev.sympaappliance.bench;

/**
 * Progress on standard error, each line prefixed "bench: " (bench/run.sh reads the run id from it).
 */
final class Log {
  private Log() {}

  static void info(String message) {
    System.err.println("bench: " + message);
  }
}
