package dev.runfleet.publisher.flow;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.FlowControlStore.LaunchBudget;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Paces spin-ups across every publisher with a generic cell rate algorithm on one shared number,
 * the launch budget's theoretical arrival time (TAT): a spin-up may go when {@code TAT - now <=
 * (burst - 1) / rate}, and moves the TAT to {@code max(TAT, now) + 1 / rate}. The move is part of
 * the reservation's transaction, conditional on the TAT this publisher read, so publishers running
 * at once never exceed the rate together. One pacer serves one dispatch pass.
 *
 * <p>The pacer never waits: when the budget is spent it says so, and when it refills ({@link
 * #refillsAt()}), so the pass can end at once and arrange its own wake-up for that moment. A wait
 * here would hold the stream's shard (and bill Lambda time) while records behind it queue.
 */
final class LaunchPacer {

  private static final long UNKNOWN = Long.MIN_VALUE;

  private final FlowControlStore store;
  private final Clock clock;
  private final LaunchRate rate;
  private long knownTat = UNKNOWN;
  private Instant refillsAt;

  LaunchPacer(FlowControlStore store, Clock clock, LaunchRate rate) {
    this.store = store;
    this.clock = clock;
    this.rate = rate;
  }

  /**
   * The budget step for one spin-up, or empty when the budget is spent for now; {@link
   * #refillsAt()} then tells when the next step may go.
   */
  Optional<LaunchBudget> next() {
    long interval = rate.intervalMicros();
    if (knownTat == UNKNOWN) {
      knownTat = store.launchBudgetTat();
    }
    long now = micros(clock.instant());
    long start = Math.max(knownTat, now);
    long wait = rate.waitMicros(knownTat, now);
    if (wait > 0) {
      refillsAt = instant(now + wait);
      return Optional.empty();
    }
    return Optional.of(new LaunchBudget(knownTat < 0 ? -1 : knownTat, start + interval));
  }

  /** When the budget allows the next step; null until {@link #next()} found it spent. */
  Instant refillsAt() {
    return refillsAt;
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

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
  }
}
