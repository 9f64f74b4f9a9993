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

  /**
   * The live host an earlier launch attempt started for the runner (found by its name: ECS {@code
   * startedBy}, the EC2 {@code runfleet:runner} tag), so a retry after a crash records that host
   * instead of starting a second one, and a tear-down finds a host no record names yet.
   */
  HostLookup find(String runnerName);

  /** Stops the runner's compute. Stopping something already gone is {@link StopOutcome#STOPPED}. */
  StopOutcome stop(String runnerName, String hostId);

  /**
   * What to launch. A launcher never sees the JIT config itself: {@code jitConfigRef} names the
   * secret {@link JitHandOff} stored it under, which the runner reads with its own role. The name
   * is safe in tags, overrides and user data; the config is not.
   *
   * @param runnerName the runner's name, also the launch's idempotency key
   * @param platform the platform whose host to start
   * @param labels the labels the runner registers with
   * @param jitConfigRef the name of the secret holding the runner's JIT config
   * @param attemptId unique per launch attempt (the orchestrator's launch claim): client tokens are
   *     derived from it, so the SDK's own retries of a call are idempotent while a later attempt is
   *     a new request; a launcher finds the host of an earlier attempt by the runner's name
   * @param avoidSpot the job's previous runner lost its spot host: under {@code spotPreferred} go
   *     straight to on-demand ({@code spotOnly} still asks for spot)
   */
  record LaunchRequest(
      String runnerName,
      String platform,
      List<String> labels,
      String jitConfigRef,
      String attemptId,
      boolean avoidSpot) {
    public LaunchRequest {
      Objects.requireNonNull(runnerName, "runnerName");
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(jitConfigRef, "jitConfigRef");
      Objects.requireNonNull(attemptId, "attemptId");
      labels = List.copyOf(labels);
    }

    public LaunchRequest(
        String runnerName,
        String platform,
        List<String> labels,
        String jitConfigRef,
        String attemptId) {
      this(runnerName, platform, labels, jitConfigRef, attemptId, false);
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

  /** Outcome of {@link #find}. */
  sealed interface HostLookup {
    record Found(String hostId) implements HostLookup {}

    record None() implements HostLookup {}

    /** The host API could not answer now. */
    record RetryLater(String reason) implements HostLookup {}
  }

  enum StopOutcome {
    STOPPED,
    RETRY_LATER
  }
}
