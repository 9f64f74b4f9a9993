package dev.runfleet.orchestrators.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The end of one port call's time budget, every retry and wait included. */
record Deadline(Clock clock, Instant end) {

  static Deadline after(Clock clock, Duration budget) {
    return new Deadline(clock, clock.instant().plus(budget));
  }

  Duration remaining() {
    Duration left = Duration.between(clock.instant(), end);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
