package dev.runfleet.common.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What a {@code workflow_job} delivery means for runfleet. It differs from GitHub's {@code action}
 * in one place: a {@code queued} delivery whose job status is {@code waiting} (environment approval
 * pending) is {@link #WAITING}. The kind is part of the event's idempotency key, so the {@code
 * queued} that follows an approval is not taken for a duplicate of the {@code queued} that preceded
 * it.
 */
public enum EventKind {
  WAITING(JobStatus.WAITING),
  QUEUED(JobStatus.QUEUED),
  IN_PROGRESS(JobStatus.IN_PROGRESS),
  COMPLETED(JobStatus.COMPLETED);

  private final JobStatus status;

  EventKind(JobStatus status) {
    this.status = status;
  }

  /**
   * The status this kind of event moves a job to (never backwards, see {@link JobStateMachine}).
   */
  public JobStatus status() {
    return status;
  }

  /** The wire name, as in GitHub's {@code action}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Classifies a delivery by GitHub's {@code action} and the job's {@code status}; empty for
   * actions runfleet does not know (they are acknowledged and ignored, never an error).
   */
  public static Optional<EventKind> classify(String action, String jobStatus) {
    if (action == null) {
      return Optional.empty();
    }
    return switch (action) {
      case "queued" -> Optional.of("waiting".equals(jobStatus) ? WAITING : QUEUED);
      case "waiting" -> Optional.of(WAITING);
      case "in_progress" -> Optional.of(IN_PROGRESS);
      case "completed" -> Optional.of(COMPLETED);
      default -> Optional.empty();
    };
  }

  public static EventKind fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
