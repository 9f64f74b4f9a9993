package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class LambdaEventsTest {

  private static final String STREAM =
      "arn:aws:dynamodb:us-east-1:000000000000:table/jobs/stream/x";

  @Test
  void attributeValue_convertsEveryTypeRecursively() {
    AttributeValue nested =
        AttributeValue.fromM(
            Map.of(
                "s", AttributeValue.fromS("text"),
                "n", AttributeValue.fromN("42.5"),
                "b", AttributeValue.fromB(bytes("bin")),
                "ss", AttributeValue.fromSs(List.of("a", "b")),
                "ns", AttributeValue.fromNs(List.of("1", "2")),
                "bs", AttributeValue.fromBs(List.of(bytes("x"), bytes("y"))),
                "null", AttributeValue.fromNul(true),
                "bool", AttributeValue.fromBool(false),
                "list",
                    AttributeValue.fromL(
                        List.of(
                            AttributeValue.fromS("first"),
                            AttributeValue.fromM(Map.of("deep", AttributeValue.fromN("7")))))));

    var converted = LambdaEvents.attributeValue(nested).getM();

    assertThat(converted.get("s").getS()).isEqualTo("text");
    assertThat(converted.get("n").getN()).isEqualTo("42.5");
    assertThat(text(converted.get("b").getB())).isEqualTo("bin");
    assertThat(converted.get("ss").getSS()).containsExactly("a", "b");
    assertThat(converted.get("ns").getNS()).containsExactly("1", "2");
    assertThat(converted.get("bs").getBS())
        .extracting(LambdaEventsTest::text)
        .containsExactly("x", "y");
    assertThat(converted.get("null").getNULL()).isTrue();
    assertThat(converted.get("bool").getBOOL()).isFalse();
    assertThat(converted.get("list").getL().get(0).getS()).isEqualTo("first");
    assertThat(converted.get("list").getL().get(1).getM().get("deep").getN()).isEqualTo("7");
  }

  @Test
  void dynamodbRecord_carriesTheFieldsLambdaSets_includingTtlDeletionIdentity() {
    Instant created = Instant.parse("2026-01-02T03:04:05Z");
    Record record =
        Record.builder()
            .eventID("event-1")
            .eventName(OperationType.REMOVE)
            .eventVersion("1.1")
            .eventSource("aws:dynamodb")
            .awsRegion("ddblocal")
            .userIdentity(
                Identity.builder().principalId("dynamodb.amazonaws.com").type("Service").build())
            .dynamodb(
                StreamRecord.builder()
                    .approximateCreationDateTime(created)
                    .keys(Map.of("pk", AttributeValue.fromS("JOB#1:1")))
                    .oldImage(Map.of("pk", AttributeValue.fromS("JOB#1:1")))
                    .sequenceNumber("000000000000000000042")
                    .sizeBytes(17L)
                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                    .build())
            .build();

    DynamodbEvent.DynamodbStreamRecord converted =
        LambdaEvents.dynamodbRecord(record, STREAM, "eu-west-1");

    assertThat(converted.getEventID()).isEqualTo("event-1");
    assertThat(converted.getEventName()).isEqualTo("REMOVE");
    assertThat(converted.getEventVersion()).isEqualTo("1.1");
    assertThat(converted.getEventSource()).isEqualTo("aws:dynamodb");
    assertThat(converted.getAwsRegion()).isEqualTo("eu-west-1");
    assertThat(converted.getEventSourceARN()).isEqualTo(STREAM);
    assertThat(converted.getUserIdentity().getPrincipalId()).isEqualTo("dynamodb.amazonaws.com");
    assertThat(converted.getUserIdentity().getType()).isEqualTo("Service");
    assertThat(converted.getDynamodb().getApproximateCreationDateTime().toInstant())
        .isEqualTo(created);
    assertThat(converted.getDynamodb().getKeys().get("pk").getS()).isEqualTo("JOB#1:1");
    assertThat(converted.getDynamodb().getOldImage()).containsKey("pk");
    assertThat(converted.getDynamodb().getNewImage()).isNull();
    assertThat(converted.getDynamodb().getSequenceNumber()).isEqualTo("000000000000000000042");
    assertThat(converted.getDynamodb().getSizeBytes()).isEqualTo(17L);
    assertThat(converted.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
  }

  @Test
  void sqsMessage_carriesBodyAttributesAndSource() {
    Message message =
        Message.builder()
            .messageId("m-1")
            .receiptHandle("rh-1")
            .body("{\"type\":\"spin-up\"}")
            .md5OfBody("md5")
            .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2"))
            .messageAttributes(
                Map.of(
                    "platform",
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue("fargate")
                            .build(),
                    "blob",
                        MessageAttributeValue.builder()
                            .dataType("Binary")
                            .binaryValue(bytes("raw"))
                            .build()))
            .build();

    SQSEvent.SQSMessage converted =
        LambdaEvents.sqsMessage(message, "arn:aws:sqs:us-east-1:000000000000:q", "us-east-1");

    assertThat(converted.getMessageId()).isEqualTo("m-1");
    assertThat(converted.getReceiptHandle()).isEqualTo("rh-1");
    assertThat(converted.getBody()).isEqualTo("{\"type\":\"spin-up\"}");
    assertThat(converted.getMd5OfBody()).isEqualTo("md5");
    assertThat(converted.getAttributes()).containsEntry("ApproximateReceiveCount", "2");
    assertThat(converted.getMessageAttributes().get("platform").getStringValue())
        .isEqualTo("fargate");
    assertThat(converted.getMessageAttributes().get("platform").getDataType()).isEqualTo("String");
    assertThat(text(converted.getMessageAttributes().get("blob").getBinaryValue()))
        .isEqualTo("raw");
    assertThat(converted.getEventSource()).isEqualTo("aws:sqs");
    assertThat(converted.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:q");
    assertThat(converted.getAwsRegion()).isEqualTo("us-east-1");
  }

  private static SdkBytes bytes(String s) {
    return SdkBytes.fromString(s, StandardCharsets.UTF_8);
  }

  private static String text(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return new String(out, StandardCharsets.UTF_8);
  }
}
