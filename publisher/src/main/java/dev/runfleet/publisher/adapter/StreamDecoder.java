package dev.runfleet.publisher.adapter;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.lambda.StreamRecord;
import dev.runfleet.publisher.flow.Change;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Turns stream records into {@link Change}s through the table contract's own item mapping. */
@Singleton
public final class StreamDecoder {

  @Inject
  public StreamDecoder() {}

  public Change decode(StreamRecord record) {
    String sequence = record.sequenceNumber();
    Map<String, AttributeValue> before = image(record.oldImage());
    Map<String, AttributeValue> after = image(record.newImage());
    Optional<String> type = JobsTable.typeOf(after).or(() -> JobsTable.typeOf(before));
    if (type.isEmpty()) {
      return new Change.Unrelated(sequence);
    }
    if (after == null) {
      // A removal: only a runner's matters, when it went (by TTL) still holding a slot.
      return type.get().equals(JobsTable.TYPE_RUNNER) && before != null
          ? new Change.RunnerRemoved(sequence, JobsTable.toRunner(before))
          : new Change.Unrelated(sequence);
    }
    return switch (type.get()) {
      case JobsTable.TYPE_JOB ->
          new Change.JobChanged(
              sequence, before == null ? null : JobsTable.toJob(before), JobsTable.toJob(after));
      case JobsTable.TYPE_RUNNER ->
          new Change.RunnerChanged(
              sequence,
              before == null ? null : JobsTable.toRunner(before),
              JobsTable.toRunner(after));
      default -> new Change.Unrelated(sequence);
    };
  }

  private static Map<String, AttributeValue> image(Map<String, AttributeValue> image) {
    return image == null || image.isEmpty() ? null : image;
  }
}
