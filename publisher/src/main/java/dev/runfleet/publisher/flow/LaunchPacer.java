package dev.runfleet.publisher.flow;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.FlowControlStore.LaunchBudget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces spin-ups across every publisher with a generic cell rate algorithm on one shared number,
 * the launch budget's theoretical arrival time (TAT): a spin-up may go when {@code TAT - now <=
 * (burst - 1) / rate}, and moves the TAT to {@code max(TAT, now) + 1 / rate}. The move is part of
 * the reservation's transaction, conditional on the TAT this publisher read, so publishers running
 * at once never exceed the rate together. One pacer serves one dispatch pass.
 */
final class LaunchPacer {

  private static final long UNKNOWN = Long.MIN_VALUE;

  private final FlowControlStore store;
  private final Clock clock;
  private final LaunchRate rate;
  private final long maxWaitMicros;
  private long knownTat = UNKNOWN;

  LaunchPacer(FlowControlStore store, Clock clock, LaunchRate rate, Duration maxWait) {
    this.store = store;
    this.clock = clock;
    this.rate = rate;
    this.maxWaitMicros = maxWait.toNanos() / 1000;
  }

  /**
   * The budget step for one spin-up, after waiting for the budget if that takes at most the pass's
   * bound; empty when it would take longer (the next change or sweep tries again).
   */
  Optional<LaunchBudget> next() {
    long interval = rate.intervalMicros();
    if (knownTat == UNKNOWN) {
      knownTat = store.launchBudgetTat();
    }
    long now = micros(clock.instant());
    long start = Math.max(knownTat, now);
    long wait = rate.waitMicros(knownTat, now);
    if (wait > maxWaitMicros) {
      return Optional.empty();
    }
    if (wait > 0 && !waitFor(TimeUnit.MICROSECONDS.toNanos(wait))) {
      return Optional.empty();
    }
    if (wait > 0) {
      // A late wake-up must not hand out a step earlier than one interval after this one.
      start = Math.max(knownTat, micros(clock.instant()));
    }
    return Optional.of(new LaunchBudget(knownTat < 0 ? -1 : knownTat, start + interval));
  }

  /**
   * Parks until {@code nanos} have passed on the monotonic clock (park may return early); false
   * when the thread is interrupted, whose flag stays set.
   */
  private static boolean waitFor(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(left);
    }
    return true;
  }

  /** The step was taken: the TAT is now the step's. */
  void taken(LaunchBudget budget) {
    knownTat = budget.newTat();
  }

  /** Another publisher moved the budget: read it again before the next step. */
  void moved() {
    knownTat = UNKNOWN;
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
  }
}
