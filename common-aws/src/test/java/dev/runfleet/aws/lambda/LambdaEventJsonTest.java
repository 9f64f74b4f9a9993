package dev.runfleet.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Lambda's own example events (src/test/resources/lambda-events), read as Lambda delivers them. */
class LambdaEventJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode fixture(String name) throws IOException {
    try (InputStream in = LambdaEventJsonTest.class.getResourceAsStream("/lambda-events/" + name)) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  private static InputStream bytes(Object event) {
    return new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sqs_readsEveryRecordAsLambdaDeliversIt() throws IOException {
    LambdaEventJson.Batch<SqsMessage> batch = LambdaEventJson.sqs(bytes(fixture("sqs_event.json")));

    assertThat(batch.unreadable()).isEmpty();
    assertThat(batch.records())
        .extracting(SqsMessage::messageId)
        .containsExactly(
            "059f36b4-87a3-44ab-83d2-661975830a7d", "2e1424d4-f796-459a-8184-9c92662be6da");
    SqsMessage first = batch.records().get(0);
    assertThat(first.body()).isEqualTo("Test message.");
    assertThat(first.attributes()).containsEntry("ApproximateReceiveCount", "1");
    assertThat(first.messageAttributes()).containsExactly(Map.entry("myAttribute", "myValue"));
    assertThat(batch.records().get(1).messageAttributes()).isEmpty();
  }

  @Test
  void sqs_aRecordWithoutABody_isUnreadableByItsId_andTheOthersAreRead() throws IOException {
    ObjectNode event = fixture("sqs_event.json");
    ((ObjectNode) event.get("Records").get(0)).remove("body");

    LambdaEventJson.Batch<SqsMessage> batch = LambdaEventJson.sqs(bytes(event));

    assertThat(batch.unreadable())
        .containsExactly(
            new LambdaEventJson.Unreadable(
                "059f36b4-87a3-44ab-83d2-661975830a7d", 0, "body is missing or not a string"));
    assertThat(batch.records())
        .extracting(SqsMessage::messageId)
        .containsExactly("2e1424d4-f796-459a-8184-9c92662be6da");
  }

  @Test
  void sqs_aRecordWithoutAMessageId_isUnreadableWithoutAnId() throws IOException {
    ObjectNode event = fixture("sqs_event.json");
    ((ObjectNode) event.get("Records").get(1)).remove("messageId");

    LambdaEventJson.Batch<SqsMessage> batch = LambdaEventJson.sqs(bytes(event));

    assertThat(batch.unreadable())
        .containsExactly(
            new LambdaEventJson.Unreadable(null, 1, "messageId is missing or not a string"));
    assertThat(batch.records()).hasSize(1);
  }

  @Test
  void dynamoDbStream_readsImagesAsTheSdksAttributeValues() throws IOException {
    LambdaEventJson.Batch<StreamRecord> batch =
        LambdaEventJson.dynamoDbStream(bytes(fixture("dynamo_event.json")));

    assertThat(batch.unreadable()).isEmpty();
    assertThat(batch.records())
        .extracting(StreamRecord::eventName, StreamRecord::sequenceNumber)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("INSERT", "4421584500000000017450439091"),
            org.assertj.core.groups.Tuple.tuple("MODIFY", "4421584500000000017450439092"),
            org.assertj.core.groups.Tuple.tuple("REMOVE", "4421584500000000017450439093"));
    StreamRecord insert = batch.records().get(0);
    assertThat(insert.eventId()).isEqualTo("c4ca4238a0b923820dcc509a6f75849b");
    assertThat(insert.eventSourceArn())
        .isEqualTo(
            "arn:aws:dynamodb:eu-central-1:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899");
    assertThat(insert.oldImage()).isNull();
    assertThat(insert.newImage())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Message", AttributeValue.fromS("New item!"), "Id", AttributeValue.fromN("101")));
    assertThat(batch.records().get(1).oldImage())
        .containsEntry("Message", AttributeValue.fromS("New item!"));
    assertThat(batch.records().get(2).newImage()).isNull();
    assertThat(batch.records().get(2).oldImage())
        .containsEntry("Message", AttributeValue.fromS("This item has changed"));
  }

  @Test
  void dynamoDbStream_readsEveryAttributeType() throws IOException {
    ObjectNode event = fixture("dynamo_event.json");
    ObjectNode image = (ObjectNode) event.get("Records").get(0).get("dynamodb").get("NewImage");
    image.set(
        "all",
        JSON.readTree(
            "{\"M\":{\"b\":{\"B\":\"AQI=\"},\"t\":{\"BOOL\":true},\"z\":{\"NULL\":true},"
                + "\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"2\"}]},\"ss\":{\"SS\":[\"a\",\"b\"]},"
                + "\"ns\":{\"NS\":[\"1\"]},\"bs\":{\"BS\":[\"AQ==\"]}}}"));

    Map<String, AttributeValue> all =
        LambdaEventJson.dynamoDbStream(bytes(event)).records().get(0).newImage().get("all").m();

    assertThat(all.get("b").b()).isEqualTo(SdkBytes.fromByteArray(new byte[] {1, 2}));
    assertThat(all.get("t").bool()).isTrue();
    assertThat(all.get("z").nul()).isTrue();
    assertThat(all.get("l").l())
        .containsExactly(AttributeValue.fromS("x"), AttributeValue.fromN("2"));
    assertThat(all.get("ss").ss()).containsExactly("a", "b");
    assertThat(all.get("ns").ns()).containsExactly("1");
    assertThat(all.get("bs").bs()).containsExactly(SdkBytes.fromByteArray(new byte[] {1}));
  }

  @Test
  void dynamoDbStream_aRecordWithABadImage_isUnreadableBySequence_andTheOthersAreRead()
      throws IOException {
    ObjectNode event = fixture("dynamo_event.json");
    ObjectNode image = (ObjectNode) event.get("Records").get(1).get("dynamodb").get("NewImage");
    image.set("Id", JSON.readTree("{\"X\":\"101\"}"));

    LambdaEventJson.Batch<StreamRecord> batch = LambdaEventJson.dynamoDbStream(bytes(event));

    assertThat(batch.unreadable())
        .containsExactly(
            new LambdaEventJson.Unreadable(
                "4421584500000000017450439092", 1, "dynamodb.NewImage.Id has an unknown type"));
    assertThat(batch.records())
        .extracting(StreamRecord::sequenceNumber)
        .containsExactly("4421584500000000017450439091", "4421584500000000017450439093");
  }

  @Test
  void dynamoDbStream_aRecordWithoutASequenceNumber_isNamedByItsEventId() throws IOException {
    ObjectNode event = fixture("dynamo_event.json");
    ((ObjectNode) event.get("Records").get(2).get("dynamodb")).remove("SequenceNumber");

    LambdaEventJson.Batch<StreamRecord> batch = LambdaEventJson.dynamoDbStream(bytes(event));

    assertThat(batch.unreadable())
        .containsExactly(
            new LambdaEventJson.Unreadable(
                "eccbc87e4b5ce2fe28308fd9f2a7baf3",
                2,
                "dynamodb.SequenceNumber is missing or not a string"));
    assertThat(batch.records()).hasSize(2);
  }

  @Test
  void anEventThatIsNotJson_failsAsAWhole_sayingWhere() {
    assertThatThrownBy(() -> LambdaEventJson.sqs(bytes("{\"Records\": [")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageStartingWith("the event is not JSON (line 1, column");
  }

  @Test
  void anEventWithoutRecords_failsAsAWhole() {
    assertThatThrownBy(() -> LambdaEventJson.dynamoDbStream(bytes("{\"version\":\"0\"}")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("the event has no Records array");
    assertThatThrownBy(() -> LambdaEventJson.sqs(bytes("")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("the event has no Records array");
  }

  @Test
  void batchItemFailures_areWrittenAsLambdaReadsThem() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    LambdaEventJson.writeBatchItemFailures(out, List.of("a", "b"));

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"a\"},{\"itemIdentifier\":\"b\"}]}");
  }
}
