package dev.runfleet.common.port;

import dev.runfleet.common.domain.Admission;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.WorkflowJobEvent;
import java.util.Optional;

/**
 * The producer's outbound port: appends a verified event to the log and folds it into the job
 * projection.
 */
public interface JobEventStore {

  /**
   * Appends idempotently, folding the event with the allow-list's verdict on its repository (see
   * {@link dev.runfleet.common.domain.JobStateMachine}): a delivery id seen before, or an event
   * with the same (job id, run attempt, kind) seen before, changes nothing and answers {@link
   * Appended.Duplicate}.
   *
   * @throws StoreUnavailableException when the store cannot answer now (throttling, outage):
   *     retryable
   */
  Appended append(WorkflowJobEvent event, Admission admission);

  /**
   * Why the store could never hold {@code event} (an item or a key over the store's size limits),
   * or empty, without writing anything. Asked before an event is refused for anything else (past
   * GitHub's limits, stale, the allow-list unknown), so that an event too large to keep is answered
   * as such whatever else is wrong with it; an event with nothing else wrong is sized by {@link
   * #append} as it builds its write, which answers {@link Appended.TooLarge}.
   */
  default Optional<String> oversize(WorkflowJobEvent event) {
    return Optional.empty();
  }

  /** Appends an event whose repository the allow-list permits. */
  default Appended append(WorkflowJobEvent event) {
    return append(event, Admission.ALLOWED);
  }

  /** What {@link #append} did. */
  sealed interface Appended {
    /**
     * The event was recorded; the job after it, as far as the answer to GitHub tells it. Not the
     * whole projection: an event written blind (one call, no read) knows the fields it sets and the
     * ones its condition checked, not the publisher's.
     *
     * @param platform the platform serving the job, null when none does
     * @param ignoredReason why the job is ignored, null unless {@code status} is IGNORED
     */
    record Recorded(JobKey key, JobStatus status, String platform, IgnoredReason ignoredReason)
        implements Appended {

      /** What {@code job} tells. */
      public static Recorded of(Job job) {
        return new Recorded(job.key(), job.status(), job.platform(), job.ignoredReason());
      }
    }

    /** Nothing changed; {@code reason} says which key matched. */
    record Duplicate(String reason) implements Appended {}

    /** Nothing was written: the store refuses an item this large; {@code reason} says which. */
    record TooLarge(String reason) implements Appended {}
  }
}
