package dev.runfleet.common.port;

import dev.runfleet.common.domain.Runner;
import java.time.Instant;
import java.util.Optional;

/** The orchestrators' view of runner records. Transitions are conditional: a stale or repeated one is refused. */
public interface RunnerStore {

  Optional<Runner> find(String name);

  /**
   * Claims the right to launch a REQUESTED runner until {@code leaseUntil}: the idempotency record taken before
   * any external side effect. False when another invocation holds a live claim or the runner is past REQUESTED.
   */
  boolean claimLaunch(String name, String claimId, Instant leaseUntil, Instant now);

  /** REQUESTED → LAUNCHED; false when the runner was not REQUESTED any more (torn down meanwhile). */
  boolean markLaunched(String name, String hostId, Long githubRunnerId, Instant now);

  /** Any live state → FAILED with the reason; false when already terminal. */
  boolean markFailed(String name, String reason, Instant now);

  /** Any live state → STOPPED with the reason; false when already terminal. */
  boolean markStopped(String name, String reason, Instant now);
}
