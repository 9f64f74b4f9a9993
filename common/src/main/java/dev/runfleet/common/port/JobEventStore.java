package dev.runfleet.common.port;

import dev.runfleet.common.domain.Admission;
import dev.runfleet.common.domain.Job;
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
   * or empty. Asked before anything about the event is checked or written, so that an event too
   * large to keep is answered as such whatever else is wrong with it; {@link #append} still answers
   * {@link Appended.TooLarge} for what only the write reveals.
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
    /** The event was recorded; {@code job} is the projection after it. */
    record Recorded(Job job) implements Appended {}

    /** Nothing changed; {@code reason} says which key matched. */
    record Duplicate(String reason) implements Appended {}

    /** Nothing was written: the store refuses an item this large; {@code reason} says which. */
    record TooLarge(String reason) implements Appended {}
  }
}
