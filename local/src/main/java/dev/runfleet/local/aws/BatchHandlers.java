package dev.runfleet.local.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import dev.runfleet.aws.lambda.SqsMessage;
import dev.runfleet.aws.lambda.StreamRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The seam between the pollers, which play Lambda's event source mappings with the {@code
 * aws-lambda-java-events} model, and the functions' stream handlers, which read Lambda's JSON
 * themselves: each batch goes to the handler's entry for records already read ({@code
 * handle(records, context)}), skipping a round trip through JSON, and its failed item ids come back
 * as the batch response Lambda would read from the handler's answer.
 */
public final class BatchHandlers {

  private BatchHandlers() {}

  /** A stream handler's entry for records already read, as the stream poller invokes it. */
  public static RequestHandler<DynamodbEvent, StreamsEventResponse> stream(
      BiFunction<List<StreamRecord>, Context, List<String>> handler) {
    return (event, context) -> {
      List<StreamRecord> records = new ArrayList<>(event.getRecords().size());
      for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
        records.add(
            new StreamRecord(
                record.getEventID(),
                record.getEventName(),
                record.getEventSourceARN(),
                record.getDynamodb().getSequenceNumber(),
                image(record.getDynamodb().getOldImage()),
                image(record.getDynamodb().getNewImage())));
      }
      List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
      for (String id : handler.apply(records, context)) {
        failures.add(new StreamsEventResponse.BatchItemFailure(id));
      }
      return new StreamsEventResponse(failures);
    };
  }

  /** An SQS handler's entry for messages already read, as an SQS poller invokes it. */
  public static RequestHandler<SQSEvent, SQSBatchResponse> sqs(
      BiFunction<List<SqsMessage>, Context, List<String>> handler) {
    return (event, context) -> {
      List<SqsMessage> messages = new ArrayList<>(event.getRecords().size());
      for (SQSEvent.SQSMessage message : event.getRecords()) {
        Map<String, String> messageAttributes = new HashMap<>();
        if (message.getMessageAttributes() != null) {
          message
              .getMessageAttributes()
              .forEach(
                  (name, value) -> {
                    if (value.getStringValue() != null) {
                      messageAttributes.put(name, value.getStringValue());
                    }
                  });
        }
        messages.add(
            new SqsMessage(
                message.getMessageId(),
                message.getBody(),
                message.getAttributes() == null ? Map.of() : message.getAttributes(),
                messageAttributes));
      }
      List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
      for (String id : handler.apply(messages, context)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(id));
      }
      return new SQSBatchResponse(failures);
    };
  }

  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> image(
      Map<String, AttributeValue> image) {
    return image == null || image.isEmpty()
        ? null
        : DynamodbAttributeValueTransformer.toAttributeValueMapV2(image);
  }
}
