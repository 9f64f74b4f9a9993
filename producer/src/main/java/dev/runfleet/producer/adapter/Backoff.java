package dev.runfleet.producer.adapter;

import dev.runfleet.common.port.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long to wait before retry number {@code retry} (1-based) of a contended write. */
@FunctionalInterface
public interface Backoff {

  void pause(int retry);

  /**
   * Full jitter over an exponential ceiling: {@code base * 2^(retry-1)}, capped at {@code cap}.
   * Writers racing for one job spread out instead of colliding again in lock step.
   */
  static Backoff jittered(Duration base, Duration cap) {
    long baseMicros = base.toNanos() / 1_000;
    long capMicros = cap.toNanos() / 1_000;
    return retry -> {
      long ceiling = Math.min(capMicros, baseMicros << Math.min(20, Math.max(0, retry - 1)));
      long micros = ThreadLocalRandom.current().nextLong(ceiling + 1);
      try {
        Thread.sleep(micros / 1_000, (int) (micros % 1_000) * 1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while backing off", e);
      }
    };
  }
}
