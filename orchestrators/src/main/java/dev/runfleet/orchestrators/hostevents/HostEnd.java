package dev.runfleet.orchestrators.hostevents;

import dev.runfleet.common.domain.HostKind;
import java.util.Objects;

/**
 * A runner host that ended, or is about to (a spot interruption warning gives two minutes), as
 * EventBridge reported it.
 *
 * @param hostKind EC2 for an instance, ECS_FARGATE for a task
 * @param hostId the instance id or the task ARN, as the launcher records it
 * @param cluster the task's cluster ARN (ECS), else null
 * @param cause why it ended
 * @param reason AWS's own words (stop code, stopped reason, the runner container's exit code)
 */
public record HostEnd(
    HostKind hostKind, String hostId, String cluster, Cause cause, String reason) {

  /**
   * The stop reason a runner record gets when its host was interrupted: the next spin-up for the
   * same job reads it and asks for on-demand capacity under {@code spotPreferred}.
   */
  public static final String SPOT_INTERRUPTED = "spot-interrupted";

  public HostEnd {
    Objects.requireNonNull(hostKind, "hostKind");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(reason, "reason");
  }

  /** Why a host ended. */
  public enum Cause {
    /** EC2 Spot Instance Interruption Warning, or ECS stop code SpotInterruption. */
    SPOT_INTERRUPTION,
    /** ECS stop code TaskFailedToStart (image pull, network, secrets...). */
    FAILED_TO_START,
    /** ECS stop code EssentialContainerExited: the runner process ended. */
    CONTAINER_EXIT,
    /** Any other stop (stopped by someone else, the service, a termination notice). */
    STOPPED
  }

  /** The runner record's stop reason: {@value #SPOT_INTERRUPTED} first for interruptions. */
  public String stopReason() {
    String prefix = cause == Cause.SPOT_INTERRUPTION ? SPOT_INTERRUPTED : "host-ended";
    return prefix + ": " + reason;
  }
}
