package dev.runfleet.producer.adapter;

import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.common.retry.FullJitter;
import java.time.Duration;

/** How long to wait before retry number {@code retry} (1-based) of a contended write. */
@FunctionalInterface
public interface Backoff {

  void pause(int retry);

  /**
   * Sleeps a {@link FullJitter} wait: writers racing for one job spread out instead of colliding
   * again in lock step.
   */
  static Backoff jittered(Duration base, Duration cap) {
    return retry -> {
      Duration wait = FullJitter.delay(base, cap, retry);
      try {
        Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while backing off", e);
      }
    };
  }
}
