package dev.runfleet.common.domain;

import java.time.Instant;

/**
 * Folds GitHub's events into a job. The fold is monotone, so any order and any number of duplicates
 * of the same events converge on one state: a {@code completed} that overtakes its {@code queued}
 * leaves the job completed, a late {@code waiting} never takes a queued job back, and a job no
 * platform serves stays ignored.
 */
public final class JobStateMachine {

  private final PlatformCatalog catalog;

  public JobStateMachine(PlatformCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The job after {@code event}. {@code current} is null for a job not seen before; the result then
   * has version 0.
   */
  public Job apply(Job current, WorkflowJobEvent event, Instant now) {
    if (current == null) {
      return fresh(event, now);
    }
    if (!current.key().equals(event.key())) {
      throw new IllegalArgumentException(
          "event for " + event.key() + " applied to job " + current.key());
    }
    if (current.status() == JobStatus.IGNORED) {
      return current;
    }
    JobStatus next = JobStatus.later(current.status(), event.kind().status());
    String runner = current.ranOn() != null ? current.ranOn() : event.reportedRunner();
    if (next == current.status() && java.util.Objects.equals(runner, current.ranOn())) {
      return current;
    }
    return current.withStatus(next, now).withRanOn(runner);
  }

  private Job fresh(WorkflowJobEvent event, Instant now) {
    String platform = catalog.route(event.labels()).map(Platform::name).orElse(null);
    JobStatus status = platform == null ? JobStatus.IGNORED : event.kind().status();
    return new Job(
        event.key(),
        event.runId(),
        event.repository(),
        event.organization(),
        event.installationId(),
        event.labels(),
        platform,
        status,
        event.createdAt(),
        null,
        platform == null ? null : event.reportedRunner(),
        0,
        0,
        now);
  }
}
