package dev.runfleet.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.aws.Telemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SQS and DynamoDB stream events read, and batch answers written, with our own Jackson: a handler
 * that is a {@code RequestStreamHandler} gets the event's bytes, so the Lambda runtime's own event
 * deserialisation (its shaded Jackson, Joda-Time and the event classes: some 800 classes, about a
 * tenth of a cold start) never runs. Field names are Lambda's.
 *
 * <p>A record that cannot be read is returned apart, with the identifier it has, so that it never
 * takes the batch's valid records down; only an event that is not a JSON object with a {@code
 * Records} array fails as a whole ({@link MalformedEventException}).
 */
public final class LambdaEventJson {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaEventJson.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private LambdaEventJson() {}

  /**
   * A record that could not be read.
   *
   * @param id its {@code messageId}, {@code dynamodb.SequenceNumber} or else {@code eventID}; null
   *     when it has none
   * @param index its position in the event's {@code Records}
   * @param reason what is wrong with it (names fields, never their values)
   */
  public record Unreadable(String id, int index, String reason) {}

  /** The records read, in the event's order, and those that could not be. */
  public record Batch<T>(List<T> records, List<Unreadable> unreadable) {}

  /**
   * One invocation of a batch handler as Lambda makes it: the event read by {@code reader} ({@code
   * LambdaEventJson::sqs} or {@code ::dynamoDbStream}), the batch handed to {@code handler} inside
   * {@link Telemetry#invoke}, and the item ids it returns written as the batch's item failures.
   */
  public static <T> void invokeBatch(
      InputStream event,
      OutputStream answer,
      Context context,
      Telemetry telemetry,
      Function<InputStream, Batch<T>> reader,
      Function<Batch<T>, List<String>> handler)
      throws IOException {
    List<String> failures =
        telemetry.invoke(context, () -> handler.apply(readOrRefuse(event, reader, telemetry)));
    writeBatchItemFailures(answer, failures);
  }

  /**
   * {@code event} read by {@code reader} ({@code LambdaEventJson::sqs} or {@code
   * ::dynamoDbStream}); an event that cannot be read at all is logged with why, counted ({@code
   * EventsMalformed}) and fails the invocation, so that Lambda's retries and failure destinations
   * take the whole batch.
   */
  private static <T> Batch<T> readOrRefuse(
      InputStream event, Function<InputStream, Batch<T>> reader, Telemetry telemetry) {
    try {
      return reader.apply(event);
    } catch (MalformedEventException e) {
      LOG.error(
          "event refused: {}; the invocation fails and the whole batch is retried", e.getMessage());
      telemetry.count("EventsMalformed");
      throw e;
    }
  }

  /** An SQS event's records. */
  public static Batch<SqsMessage> sqs(InputStream event) {
    List<SqsMessage> messages = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    JsonNode records = records(event);
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      String id = text(record, "messageId");
      try {
        messages.add(
            new SqsMessage(
                required(id, "messageId"),
                required(text(record, "body"), "body"),
                strings(record.path("attributes"), null),
                strings(record.path("messageAttributes"), "stringValue")));
      } catch (IllegalArgumentException e) {
        unreadable.add(new Unreadable(id, i, e.getMessage()));
      }
    }
    return new Batch<>(messages, unreadable);
  }

  /** A DynamoDB stream event's records. */
  public static Batch<StreamRecord> dynamoDbStream(InputStream event) {
    List<StreamRecord> read = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    JsonNode records = records(event);
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      JsonNode dynamodb = record.path("dynamodb");
      String sequence = text(dynamodb, "SequenceNumber");
      try {
        read.add(
            new StreamRecord(
                text(record, "eventID"),
                text(record, "eventName"),
                text(record, "eventSourceARN"),
                required(sequence, "dynamodb.SequenceNumber"),
                image(dynamodb, "OldImage"),
                image(dynamodb, "NewImage")));
      } catch (IllegalArgumentException e) {
        unreadable.add(
            new Unreadable(
                sequence != null ? sequence : text(record, "eventID"), i, e.getMessage()));
      }
    }
    return new Batch<>(read, unreadable);
  }

  /**
   * Writes the partial batch answer Lambda reads when the mapping reports batch item failures:
   * {@code {"batchItemFailures":[{"itemIdentifier":...}]}}.
   */
  public static void writeBatchItemFailures(OutputStream out, List<String> itemIdentifiers)
      throws IOException {
    try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("batchItemFailures");
      for (String id : itemIdentifiers) {
        json.writeStartObject();
        json.writeStringField("itemIdentifier", id);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /** Writes {@code answer} (maps, lists, strings, numbers) as the invocation's JSON answer. */
  public static void writeAnswer(OutputStream out, Object answer) throws IOException {
    JSON.writeValue(out, answer);
  }

  private static JsonNode records(InputStream event) {
    JsonNode root;
    try {
      root = JSON.readTree(event);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(
          "the event is not JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (IOException e) {
      throw new MalformedEventException("the event could not be read: " + e.getClass().getName());
    }
    JsonNode records = root == null ? null : root.get("Records");
    if (records == null || !records.isArray()) {
      throw new MalformedEventException("the event has no Records array");
    }
    return records;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static String required(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing or not a string");
    }
    return value;
  }

  /** An object's string fields, or each member's {@code field} when given; absent: empty. */
  private static Map<String, String> strings(JsonNode object, String field) {
    Map<String, String> values = new HashMap<>();
    object
        .fields()
        .forEachRemaining(
            entry -> {
              JsonNode value = field == null ? entry.getValue() : entry.getValue().get(field);
              if (value != null && value.isTextual()) {
                values.put(entry.getKey(), value.textValue());
              }
            });
    return values;
  }

  private static Map<String, AttributeValue> image(JsonNode dynamodb, String field) {
    JsonNode image = dynamodb.get(field);
    if (image == null || image.isNull()) {
      return null;
    }
    return attributes(image, "dynamodb." + field);
  }

  private static Map<String, AttributeValue> attributes(JsonNode object, String where) {
    if (!object.isObject()) {
      throw new IllegalArgumentException(where + " is not an object");
    }
    Map<String, AttributeValue> attributes = new HashMap<>();
    object
        .fields()
        .forEachRemaining(
            entry ->
                attributes.put(
                    entry.getKey(),
                    attributeValue(entry.getValue(), where + "." + entry.getKey())));
    return attributes;
  }

  /** DynamoDB's JSON form of an attribute value: an object with exactly one type key. */
  static AttributeValue attributeValue(JsonNode node, String where) {
    if (!node.isObject() || node.size() != 1) {
      throw new IllegalArgumentException(where + " is not an attribute value with one type");
    }
    Map.Entry<String, JsonNode> typed = node.fields().next();
    JsonNode value = typed.getValue();
    String at = where + "." + typed.getKey();
    return switch (typed.getKey()) {
      case "S" -> AttributeValue.fromS(string(value, at));
      case "N" -> AttributeValue.fromN(string(value, at));
      case "B" -> AttributeValue.fromB(binary(value, at));
      case "BOOL" -> AttributeValue.fromBool(bool(value, at));
      case "NULL" -> AttributeValue.fromNul(bool(value, at));
      case "M" -> AttributeValue.fromM(attributes(value, at));
      case "L" -> {
        List<AttributeValue> list = new ArrayList<>();
        for (JsonNode element : array(value, at)) {
          list.add(attributeValue(element, at + "[" + list.size() + "]"));
        }
        yield AttributeValue.fromL(list);
      }
      case "SS" -> AttributeValue.fromSs(stringList(array(value, at), at));
      case "NS" -> AttributeValue.fromNs(stringList(array(value, at), at));
      case "BS" -> {
        List<SdkBytes> set = new ArrayList<>();
        for (JsonNode element : array(value, at)) {
          set.add(binary(element, at));
        }
        yield AttributeValue.fromBs(set);
      }
      default -> throw new IllegalArgumentException(where + " has an unknown type");
    };
  }

  private static String string(JsonNode value, String where) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + " is not a string");
    }
    return value.textValue();
  }

  private static boolean bool(JsonNode value, String where) {
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(where + " is not a boolean");
    }
    return value.booleanValue();
  }

  private static SdkBytes binary(JsonNode value, String where) {
    String base64 = string(value, where);
    try {
      return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " is not base64");
    }
  }

  private static JsonNode array(JsonNode value, String where) {
    if (!value.isArray()) {
      throw new IllegalArgumentException(where + " is not an array");
    }
    return value;
  }

  private static List<String> stringList(JsonNode array, String where) {
    List<String> values = new ArrayList<>();
    for (JsonNode element : array) {
      values.add(string(element, where));
    }
    return values;
  }
}
