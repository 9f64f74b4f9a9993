package dev.runfleet.common.port;

/**
 * Whether a runner's compute still exists (ECS DescribeTasks, EC2 DescribeInstances): the
 * reconciler's third truth beside the table and GitHub.
 */
public interface HostLookup {

  /** What is known of host {@code hostId} of runner {@code runnerName} on {@code platform}. */
  HostState state(String platform, String runnerName, String hostId);

  enum HostState {
    /** Starting or running. */
    ALIVE,
    /** Stopped, terminated, or unknown to the provider: it will never run a job again. */
    GONE,
    /** The provider could not be asked now (throttled, unavailable): decide nothing. */
    UNKNOWN
  }
}
