package dev.sympaappliance.e2e.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Polling with a deadline (Awaitility): the tests wait for a condition, never for a fixed time. */
public final class Poll {
  private Poll() {}

  /**
   * Probes until {@code done} holds for the value, sleeping {@code interval} between probes;
   * returns that value. Fails (Awaitility's ConditionTimeoutException, naming the last value) when
   * the deadline passes first: a timed-out poll is never taken for an answer.
   */
  public static <T> T until(
      Supplier<T> probe, Predicate<? super T> done, Duration deadline, Duration interval)
      throws InterruptedException {
    return Awaitility.await()
        .atMost(deadline)
        .pollDelay(Duration.ZERO)
        .pollInterval(interval)
        .pollInSameThread()
        .until(probe::get, done);
  }

  /**
   * The same, but returns the last value probed when the deadline passes: only for callers that
   * fail with their own diagnostics on it, or a teardown that goes on either way.
   */
  public static <T> T untilOrLast(
      Supplier<T> probe, Predicate<? super T> done, Duration deadline, Duration interval)
      throws InterruptedException {
    try {
      return until(probe, done, deadline, interval);
    } catch (ConditionTimeoutException e) {
      return probe.get();
    }
  }
}
