package dev.runfleet.common.port;

import java.time.Instant;

/**
 * Hands a runner its JIT config without exposing it: the orchestrator stores the config as a
 * short-lived secret that only the runner's own host can read (and must delete after reading), and
 * gives the host nothing but the secret's name. Launch parameters, tags, ECS overrides and EC2 user
 * data are readable by anyone allowed to Describe them; a secret name is harmless there.
 *
 * <p>Names carry 128 random bits, so no job can derive another runner's secret from its job id or
 * runner name; and the secret is bound to the one host launched for it ({@link #bindToHost}), so
 * even a known name is unreadable from any other host.
 */
public interface JitHandOff {

  /**
   * Stores the config under a name of the form {@code <prefix>/<platform>/<runner>/<random>}. A
   * retried launch replaces the secret an earlier attempt left for the same runner (so a host that
   * attempt started still finds its name); otherwise the name is new.
   */
  StoreResult store(String platform, String runnerName, JitConfig config);

  /**
   * Binds the secret to the host just launched for it: afterwards only that host may read or delete
   * it. Until then no host may, so the runner's read retries until this has happened.
   *
   * @param hostId the launcher's host id (ECS task ARN, EC2 instance id)
   */
  BindResult bindToHost(String reference, String hostId);

  /**
   * Whether the secret still holds its config: {@link Presence#HELD} until the runner read and
   * deleted it or a clean-up removed it. A retried launch reuses a held config instead of minting a
   * second one.
   */
  Presence presence(String reference);

  /** Deletes the secret at once; deleting one already gone (the runner took it) succeeds. */
  RemoveResult remove(String reference);

  /**
   * Deletes every hand-over secret of the runner: the tear-down's path, which has the runner's name
   * but not the random part of its secret's.
   */
  RemoveResult removeAll(String platform, String runnerName);

  /**
   * Every hand-over secret under this hand-off's prefix, one page call at a time as {@code pages}
   * allows: for the orphan sweep, which deletes the ones no live runner owns.
   */
  Listing<HandOffSecret> list(Listing.Pages pages);

  /**
   * A hand-over secret as listed, its name parsed by {@link HandOffNames}.
   *
   * @param createdAt when it was stored (null where the store does not say)
   */
  record HandOffSecret(String reference, String platform, String runnerName, Instant createdAt) {}

  sealed interface StoreResult {
    record Stored(String reference) implements StoreResult {}

    record RetryLater(String reason) implements StoreResult {}

    record Rejected(String reason) implements StoreResult {}
  }

  enum BindResult {
    BOUND,
    RETRY_LATER,
    REFUSED
  }

  enum Presence {
    HELD,
    GONE,
    RETRY_LATER
  }

  enum RemoveResult {
    REMOVED,
    RETRY_LATER
  }
}
