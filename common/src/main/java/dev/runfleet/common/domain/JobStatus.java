package dev.runfleet.common.domain;

/**
 * Where a job stands in runfleet. The order of {@link #rank()} is the order in which a job may only
 * move forward; {@link #IGNORED} is absorbing: a job runfleet does not serve never becomes anything
 * else.
 */
public enum JobStatus {
  /** Environment approval pending: known, not dispatchable. */
  WAITING(1),
  /** Waiting for a runner slot. */
  QUEUED(2),
  /** A runner slot was reserved and a runner was requested for it. */
  DISPATCHED(3),
  /** GitHub reported the job running on a runner. */
  IN_PROGRESS(4),
  /** GitHub reported the job finished (any conclusion, cancellation included). */
  COMPLETED(5),
  /**
   * Not served: no platform serves its labels, or the allow-list refused it ({@link
   * IgnoredReason}).
   */
  IGNORED(6);

  private final int rank;

  JobStatus(int rank) {
    this.rank = rank;
  }

  public int rank() {
    return rank;
  }

  public boolean isTerminal() {
    return this == COMPLETED || this == IGNORED;
  }

  /** The later of two statuses in the monotone order. */
  public static JobStatus later(JobStatus a, JobStatus b) {
    return a.rank >= b.rank ? a : b;
  }
}
