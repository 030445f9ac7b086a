package dev.sympaappliance.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling with a deadline: the tests wait for a condition, never for a fixed time. */
final class Poll {
  private Poll() {}

  /**
   * Probes until {@code done} holds for the value or the deadline passes, sleeping
   * {@code interval} between probes; returns the last value probed, for the caller to assert on.
   */
  static <T> T until(Supplier<T> probe, Predicate<? super T> done, Duration deadline, Duration interval)
      throws InterruptedException {
    Instant end = Instant.now().plus(deadline);
    T value = probe.get();
    while (!done.test(value) && Instant.now().isBefore(end)) {
      Thread.sleep(interval.toMillis());
      value = probe.get();
    }
    return value;
  }
}
