package dev.runfleet.publisher.adapter;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.publisher.flow.Change;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/** Turns stream records into {@link Change}s through the table contract's own item mapping. */
@Singleton
public final class StreamDecoder {

  @Inject
  public StreamDecoder() {}

  public Change decode(DynamodbEvent.DynamodbStreamRecord record) {
    String sequence = record.getDynamodb().getSequenceNumber();
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> before =
        image(record.getDynamodb().getOldImage());
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> after =
        image(record.getDynamodb().getNewImage());
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

  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> image(
      Map<String, AttributeValue> image) {
    return image == null || image.isEmpty()
        ? null
        : DynamodbAttributeValueTransformer.toAttributeValueMapV2(image);
  }
}
