package dev.runfleet.common.port;

import dev.runfleet.common.domain.Runner;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The orchestrators' view of runner records. Transitions are conditional: a stale or repeated one
 * is refused.
 */
public interface RunnerStore {

  Optional<Runner> find(String name);

  /**
   * Claims the right to launch a REQUESTED runner until {@code leaseUntil}: the idempotency record
   * taken before any external side effect. Refused when another invocation holds a live claim, the
   * runner is past REQUESTED, or there is no such runner. One write, no read before it: the answer
   * carries the record either way.
   */
  LaunchClaim claimLaunch(String name, String claimId, Instant leaseUntil, Instant now);

  /**
   * What a launch claim found.
   *
   * @param claimed whether this claim now holds the launch
   * @param runner when claimed, the record as the claim left it (with any JIT config an earlier
   *     holder recorded); when refused, the record that refused it, or empty when there is none
   */
  record LaunchClaim(boolean claimed, Optional<Runner> runner) {

    public LaunchClaim {
      Objects.requireNonNull(runner, "runner");
      if (claimed && runner.isEmpty()) {
        throw new IllegalArgumentException("a granted claim carries its runner");
      }
    }
  }

  /**
   * Records the JIT config minted for a REQUESTED runner by reference, before any host may use it:
   * GitHub's runner id and the name of the hand-over secret holding the config (never the config).
   * Only for the holder of the launch claim; a retry reuses this config while it is unused, so a
   * runner record never has two.
   */
  boolean recordJitConfig(
      String name, String claimId, long githubRunnerId, String jitSecret, Instant now);

  /**
   * REQUESTED → LAUNCHED, only for the holder of the launch claim; false when the runner was torn
   * down meanwhile or the claim passed to another invocation.
   */
  boolean markLaunched(
      String name, String claimId, String hostId, Long githubRunnerId, Instant now);

  /**
   * Gives a launch claim back early (after a retryable failure), so a retry need not wait out the
   * lease.
   */
  boolean releaseClaim(String name, String claimId);

  /** Any live state → FAILED with the reason; false when already terminal. */
  boolean markFailed(String name, String reason, Instant now);

  /** Any live state → STOPPED with the reason; false when already terminal. */
  boolean markStopped(String name, String reason, Instant now);
}
