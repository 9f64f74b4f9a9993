package dev.runfleet.orchestrators.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the reconciler sweeps for orphans, and how old a host or hand-over secret must be
 * before the sweep may remove it.
 *
 * @param every time between sweeps (a pass sweeps when the last complete sweep is this old); zero
 *     turns the sweep off
 * @param grace a host launched, or a secret stored, less than this long ago is never an orphan (its
 *     runner record may be on its way)
 */
public record OrphanSettings(Duration every, Duration grace) {

  public OrphanSettings {
    Objects.requireNonNull(every, "every");
    Objects.requireNonNull(grace, "grace");
    if (every.isNegative() || grace.isNegative()) {
      throw new IllegalArgumentException("orphan sweep interval and grace cannot be negative");
    }
  }

  /** Every 10 minutes, 10 minutes' grace: issue 12's defaults on AWS. */
  public static OrphanSettings defaults() {
    return new OrphanSettings(Duration.ofMinutes(10), Duration.ofMinutes(10));
  }

  public boolean off() {
    return every.isZero();
  }
}
