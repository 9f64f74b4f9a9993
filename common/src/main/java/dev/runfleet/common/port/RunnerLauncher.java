package dev.runfleet.common.port;

import java.util.List;
import java.util.Objects;

/**
 * Starts and stops the compute a runner lives on. One adapter per host kind; all pass one contract
 * test.
 */
public interface RunnerLauncher {

  /** Starts compute for a runner. Idempotent on {@code request.runnerName()}. */
  LaunchOutcome launch(LaunchRequest request);

  /** Stops the runner's compute. Stopping something already gone is {@link StopOutcome#STOPPED}. */
  StopOutcome stop(String runnerName, String hostId);

  /**
   * What to launch. {@code jitConfig} is a secret: it never appears in {@link #toString()}, logs,
   * or launch parameters that Describe calls can read.
   */
  record LaunchRequest(
      String runnerName, String platform, List<String> labels, JitConfig jitConfig) {
    public LaunchRequest {
      Objects.requireNonNull(runnerName, "runnerName");
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(jitConfig, "jitConfig");
      labels = List.copyOf(labels);
    }
  }

  /** Outcome of a launch. */
  sealed interface LaunchOutcome {
    record Launched(String hostId) implements LaunchOutcome {}

    /** Throttled or out of capacity for now: try again later. */
    record RetryLater(String reason) implements LaunchOutcome {}

    /** Will never work as asked (bad configuration, refused): give the slot back. */
    record Rejected(String reason) implements LaunchOutcome {}
  }

  enum StopOutcome {
    STOPPED,
    RETRY_LATER
  }
}
