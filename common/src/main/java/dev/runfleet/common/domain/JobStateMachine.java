package dev.runfleet.common.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Folds GitHub's events into a job. The fold is monotone, so any order and any number of duplicates
 * of the same events converge on one state: a {@code completed} that overtakes its {@code queued}
 * leaves the job completed, a late {@code waiting} never takes a queued job back, and an ignored
 * job stays ignored.
 *
 * <p>A job is ignored when no platform serves its labels ({@link IgnoredReason#NO_PLATFORM}), or
 * when an event arrives whose repository the allow-list refuses ({@link IgnoredReason#NOT_ALLOWED})
 * while the job has not been dispatched yet. A dispatched job folds on as usual whatever the
 * allow-list says: its runner holds a slot that only the job's later events give back, and the
 * orchestrator checks the allow-list again before it mints a runner config.
 */
public final class JobStateMachine {

  private final PlatformCatalog catalog;

  public JobStateMachine(PlatformCatalog catalog) {
    this.catalog = catalog;
  }

  /** As {@link #apply(Job, WorkflowJobEvent, Admission, Instant)} for an allowed repository. */
  public Job apply(Job current, WorkflowJobEvent event, Instant now) {
    return apply(current, event, Admission.ALLOWED, now);
  }

  /**
   * The job after {@code event}. {@code current} is null for a job not seen before; the result then
   * has version 0.
   */
  public Job apply(Job current, WorkflowJobEvent event, Admission admission, Instant now) {
    if (current == null) {
      return fresh(event, admission, now);
    }
    if (!current.key().equals(event.key())) {
      throw new IllegalArgumentException(
          "event for " + event.key() + " applied to job " + current.key());
    }
    if (current.status() == JobStatus.IGNORED) {
      return current;
    }
    if (admission == Admission.NOT_ALLOWED
        && current.status().rank() < JobStatus.DISPATCHED.rank()) {
      return current.ignored(IgnoredReason.NOT_ALLOWED, now);
    }
    JobStatus next = JobStatus.later(current.status(), event.kind().status());
    String runner = current.ranOn() != null ? current.ranOn() : event.reportedRunner();
    if (next == current.status() && Objects.equals(runner, current.ranOn())) {
      return current;
    }
    return current.withStatus(next, now).withRanOn(runner);
  }

  private Job fresh(WorkflowJobEvent event, Admission admission, Instant now) {
    String platform =
        admission == Admission.NOT_ALLOWED
            ? null
            : catalog.route(event.labels()).map(Platform::name).orElse(null);
    IgnoredReason ignored =
        admission == Admission.NOT_ALLOWED
            ? IgnoredReason.NOT_ALLOWED
            : platform == null ? IgnoredReason.NO_PLATFORM : null;
    return new Job(
        event.key(),
        event.runId(),
        event.repository(),
        event.organization(),
        event.installationId(),
        event.labels(),
        platform,
        ignored == null ? event.kind().status() : JobStatus.IGNORED,
        ignored,
        event.createdAt(),
        null,
        platform == null ? null : event.reportedRunner(),
        0,
        0,
        now);
  }
}
