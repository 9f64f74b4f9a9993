package dev.runfleet.common.port;

/**
 * Hands a runner its JIT config without exposing it: the orchestrator stores the config as a
 * short-lived secret that only the runner's own role can read (and must delete after reading), and
 * gives the host nothing but the secret's name. Launch parameters, tags, ECS overrides and EC2 user
 * data are readable by anyone allowed to Describe them; a secret name is harmless there.
 */
public interface JitHandOff {

  /** The secret's name for a runner: deterministic, so a retry or a tear-down finds it again. */
  String reference(String platform, String runnerName);

  /** Stores (or replaces) the config under {@code reference}. */
  StoreResult store(String reference, String runnerName, JitConfig config);

  /** Deletes the secret at once; deleting one already gone (the runner took it) succeeds. */
  RemoveResult remove(String reference);

  sealed interface StoreResult {
    record Stored(String reference) implements StoreResult {}

    record RetryLater(String reason) implements StoreResult {}

    record Rejected(String reason) implements StoreResult {}
  }

  enum RemoveResult {
    REMOVED,
    RETRY_LATER
  }
}
