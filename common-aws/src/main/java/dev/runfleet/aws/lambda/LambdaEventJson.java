package dev.runfleet.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
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
 * SQS and DynamoDB stream events read, and batch answers written, with jackson-core's streaming
 * parser and generator ({@link Json}, no databind): a handler that is a {@code
 * RequestStreamHandler} gets the event's bytes, so the Lambda runtime's own event deserialisation
 * (its shaded Jackson, Joda-Time and the event classes: some 800 classes, about a tenth of a cold
 * start) never runs. Field names are Lambda's.
 *
 * <p>A record that cannot be read is returned apart, with the identifier it has, so that it never
 * takes the batch's valid records down; only an event that is not a JSON object with a {@code
 * Records} array fails as a whole ({@link MalformedEventException}).
 */
public final class LambdaEventJson {

  private static final Logger LOG = LoggerFactory.getLogger(LambdaEventJson.class);

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
    List<Object> records = records(event);
    for (int i = 0; i < records.size(); i++) {
      JsonObject record = JsonObject.orEmpty(records.get(i));
      String id = record.text("messageId");
      try {
        messages.add(
            new SqsMessage(
                required(id, "messageId"),
                required(record.text("body"), "body"),
                strings(record.object("attributes"), null),
                strings(record.object("messageAttributes"), "stringValue")));
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
    List<Object> records = records(event);
    for (int i = 0; i < records.size(); i++) {
      JsonObject record = JsonObject.orEmpty(records.get(i));
      JsonObject dynamodb = record.object("dynamodb");
      String sequence = dynamodb.text("SequenceNumber");
      try {
        read.add(
            new StreamRecord(
                record.text("eventID"),
                record.text("eventName"),
                record.text("eventSourceARN"),
                required(sequence, "dynamodb.SequenceNumber"),
                image(dynamodb, "OldImage"),
                image(dynamodb, "NewImage")));
      } catch (IllegalArgumentException e) {
        unreadable.add(
            new Unreadable(
                sequence != null ? sequence : record.text("eventID"), i, e.getMessage()));
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
    List<Object> failures = new ArrayList<>(itemIdentifiers.size());
    for (String id : itemIdentifiers) {
      failures.add(Map.of("itemIdentifier", id));
    }
    writeAnswer(out, Map.of("batchItemFailures", failures));
  }

  /** Writes {@code answer} (maps, lists, strings, numbers) as the invocation's JSON answer. */
  public static void writeAnswer(OutputStream out, Object answer) throws IOException {
    try (JsonGenerator json = Json.factory().createGenerator(out)) {
      Json.write(json, answer);
    }
  }

  private static List<Object> records(InputStream event) {
    Object root;
    try {
      root = Json.read(event);
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
    List<Object> records = root instanceof JsonObject o ? o.array("Records") : null;
    if (records == null) {
      throw new MalformedEventException("the event has no Records array");
    }
    return records;
  }

  private static String required(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing or not a string");
    }
    return value;
  }

  /** An object's string fields, or each member's {@code field} when given; absent: empty. */
  private static Map<String, String> strings(JsonObject object, String field) {
    Map<String, String> values = new HashMap<>();
    object
        .fields()
        .forEach(
            (name, member) -> {
              Object value = field == null ? member : JsonObject.orEmpty(member).get(field);
              if (value instanceof String text) {
                values.put(name, text);
              }
            });
    return values;
  }

  private static Map<String, AttributeValue> image(JsonObject dynamodb, String field) {
    Object image = dynamodb.get(field);
    if (image == null) {
      return null;
    }
    return attributes(image, "dynamodb." + field);
  }

  private static Map<String, AttributeValue> attributes(Object value, String where) {
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(where + " is not an object");
    }
    Map<String, AttributeValue> attributes = new HashMap<>();
    object
        .fields()
        .forEach(
            (name, member) -> attributes.put(name, attributeValue(member, where + "." + name)));
    return attributes;
  }

  /** DynamoDB's JSON form of an attribute value: an object with exactly one type key. */
  static AttributeValue attributeValue(Object node, String where) {
    if (!(node instanceof JsonObject object) || object.fields().size() != 1) {
      throw new IllegalArgumentException(where + " is not an attribute value with one type");
    }
    Map.Entry<String, Object> typed = object.fields().entrySet().iterator().next();
    Object value = typed.getValue();
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
        for (Object element : array(value, at)) {
          list.add(attributeValue(element, at + "[" + list.size() + "]"));
        }
        yield AttributeValue.fromL(list);
      }
      case "SS" -> AttributeValue.fromSs(stringList(array(value, at), at));
      case "NS" -> AttributeValue.fromNs(stringList(array(value, at), at));
      case "BS" -> {
        List<SdkBytes> set = new ArrayList<>();
        for (Object element : array(value, at)) {
          set.add(binary(element, at));
        }
        yield AttributeValue.fromBs(set);
      }
      default -> throw new IllegalArgumentException(where + " has an unknown type");
    };
  }

  private static String string(Object value, String where) {
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(where + " is not a string");
    }
    return text;
  }

  private static boolean bool(Object value, String where) {
    if (!(value instanceof Boolean b)) {
      throw new IllegalArgumentException(where + " is not a boolean");
    }
    return b;
  }

  private static SdkBytes binary(Object value, String where) {
    String base64 = string(value, where);
    try {
      return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " is not base64");
    }
  }

  private static List<Object> array(Object value, String where) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(where + " is not an array");
    }
    @SuppressWarnings("unchecked")
    List<Object> items = (List<Object>) list;
    return items;
  }

  private static List<String> stringList(List<Object> array, String where) {
    List<String> values = new ArrayList<>();
    for (Object element : array) {
      values.add(string(element, where));
    }
    return values;
  }
}
