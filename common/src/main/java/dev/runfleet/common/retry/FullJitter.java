package dev.runfleet.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Full jitter over an exponential ceiling, the wait every retry loop here uses: callers racing for
 * one resource spread out instead of colliding again in lock step.
 */
public final class FullJitter {

  private FullJitter() {}

  /**
   * A wait before retry number {@code retry} (1-based): uniform over zero to {@code base *
   * 2^(retry-1)}, the ceiling capped at {@code cap}.
   */
  public static Duration delay(Duration base, Duration cap, int retry) {
    long ceiling = Math.min(cap.toNanos(), base.toNanos() << Math.min(20, Math.max(0, retry - 1)));
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
