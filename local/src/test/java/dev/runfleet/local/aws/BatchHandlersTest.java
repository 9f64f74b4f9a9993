package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.runfleet.aws.lambda.SqsMessage;
import dev.runfleet.aws.lambda.StreamRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The pollers' batches reach the handlers' entries with what Lambda's JSON would have carried. */
class BatchHandlersTest {

  private static final String STREAM =
      "arn:aws:dynamodb:us-east-1:000000000000:table/jobs/stream/x";

  @Test
  void stream_handsOverImagesAsSdkValues_andReturnsTheFailedSequenceNumbers() {
    Map<String, AttributeValue> before = Map.of("pk", AttributeValue.fromS("job#1"));
    Map<String, AttributeValue> after =
        Map.of("pk", AttributeValue.fromS("job#1"), "n", AttributeValue.fromN("2"));
    Record modified =
        Record.builder()
            .eventID("e-1")
            .eventName(OperationType.MODIFY)
            .dynamodb(
                software.amazon.awssdk.services.dynamodb.model.StreamRecord.builder()
                    .keys(Map.of("pk", AttributeValue.fromS("job#1")))
                    .oldImage(before)
                    .newImage(after)
                    .sequenceNumber("100")
                    .approximateCreationDateTime(Instant.parse("2026-12-05T10:00:00Z"))
                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                    .build())
            .build();
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(List.of(LambdaEvents.dynamodbRecord(modified, STREAM, "us-east-1")));
    List<StreamRecord> seen = new ArrayList<>();

    StreamsEventResponse response =
        BatchHandlers.stream(
                (records, context) -> {
                  seen.addAll(records);
                  return List.of("100");
                })
            .handleRequest(event, null);

    assertThat(seen)
        .containsExactly(new StreamRecord("e-1", "MODIFY", STREAM, "100", before, after));
    assertThat(response.getBatchItemFailures())
        .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("100");
  }

  @Test
  void sqs_handsOverIdBodyAndAttributes_andReturnsTheFailedMessageIds() {
    Message message =
        Message.builder()
            .messageId("m-1")
            .receiptHandle("r")
            .body("{\"type\":\"spin-up\"}")
            .messageAttributes(
                Map.of(
                    "platform",
                    MessageAttributeValue.builder()
                        .dataType("String")
                        .stringValue("fargate")
                        .build()))
            .build();
    SQSEvent event = new SQSEvent();
    event.setRecords(
        List.of(LambdaEvents.sqsMessage(message, "arn:aws:sqs:us-east-1:0:fargate", "us-east-1")));
    List<SqsMessage> seen = new ArrayList<>();

    SQSBatchResponse response =
        BatchHandlers.sqs(
                (messages, context) -> {
                  seen.addAll(messages);
                  return List.of("m-1");
                })
            .handleRequest(event, null);

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).messageId()).isEqualTo("m-1");
    assertThat(seen.get(0).body()).isEqualTo("{\"type\":\"spin-up\"}");
    assertThat(seen.get(0).messageAttributes()).containsExactly(Map.entry("platform", "fargate"));
    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-1");
  }
}
