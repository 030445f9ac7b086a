package dev.sympaappliance.builder;

/** An operational failure (missing tool, no daemon, no disk, a failed step): exit code 1. */
public final class BuildFailedException extends Exception {
  public BuildFailedException(String message) {
    super(message);
  }

  public BuildFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
