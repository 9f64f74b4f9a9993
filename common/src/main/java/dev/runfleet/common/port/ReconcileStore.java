package dev.runfleet.common.port;

import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import java.time.Instant;
import java.util.List;

/**
 * The reconciler's view of the jobs table: jobs and runners by status (an index read, never a
 * scan), and the repairs it records. Every repair is conditional on what the reconciler read, so a
 * repair racing a webhook or another pass is refused (false) and the next pass looks again.
 */
public interface ReconcileStore {

  /** Up to {@code limit} jobs in {@code status}; the index may lag, callers re-check each. */
  List<Job> jobs(JobStatus status, int limit);

  /** Up to {@code limit} runners in {@code status}, with when the reconciler last re-sent it. */
  List<Listed> runners(RunnerStatus status, int limit);

  /** A runner as listed, and when its spin-up was published again (null: never). */
  record Listed(Runner runner, Instant respunAt) {}

  /**
   * Records what GitHub reports of a job whose webhooks were lost: {@code status} (the later of it
   * and the job's), and the runner it ran on unless one is known. Conditional on the job's version.
   */
  boolean recordGitHubView(Job job, JobStatus status, String ranOn, Instant now);

  /** A DISPATCHED job whose runner is gone goes back to QUEUED, conditional on its version. */
  boolean requeue(Job job, Instant now);

  /** A job that is never dispatched again, and why; conditional on its version. */
  boolean giveUp(Job job, IgnoredReason reason, Instant now);

  /**
   * Notes that the spin-up of a REQUESTED runner was published again, once: false when it was noted
   * before or the runner moved on.
   */
  boolean markRespun(String runnerName, Instant now);
}
