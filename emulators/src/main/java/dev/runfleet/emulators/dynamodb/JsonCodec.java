package dev.runfleet.emulators.dynamodb;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Value and item conversion between the model and DynamoDB's JSON 1.0 wire form. */
public final class JsonCodec {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonCodec() {}

  /** Parses a request body; anything that is not a JSON object is a serialization error. */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return NODES.objectNode();
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        return NODES.objectNode();
      }
      if (!node.isObject()) {
        throw DynamoDbError.serialization("Start of structure or map found where not expected.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw DynamoDbError.serialization("Malformed JSON request body");
    } catch (IOException e) {
      throw DynamoDbError.serialization("Unreadable request body");
    }
  }

  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw DynamoDbError.internal("response not serialisable: " + e.getMessage());
    }
  }

  /** An attribute map ({@code Item}, {@code Key}, ...); null when the node is absent or null. */
  public static Map<String, Value> item(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw DynamoDbError.serialization("Unexpected value type in payload; expected a map");
    }
    Map<String, Value> item = new LinkedHashMap<>(node.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      item.put(e.getKey(), value(e.getValue()));
    }
    return item;
  }

  public static Value value(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw DynamoDbError.serialization(
          "Unexpected value type in payload; expected an AttributeValue");
    }
    if (node.size() == 0) {
      throw DynamoDbError.validation(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    if (node.size() > 1) {
      throw DynamoDbError.validation(
          "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the"
              + " supported datatypes");
    }
    Map.Entry<String, JsonNode> e = node.fields().next();
    JsonNode v = e.getValue();
    return switch (e.getKey()) {
      case "S" -> Value.s(text(v));
      case "N" -> Value.n(text(v));
      case "B" -> Value.b(binary(v));
      case "BOOL" -> Value.bool(v.asBoolean());
      case "NULL" -> {
        if (!v.asBoolean()) {
          throw DynamoDbError.validation(
              "One or more parameter values were invalid: Null attribute value types must have the"
                  + " value of true");
        }
        yield Value.nul();
      }
      case "SS" -> {
        Set<String> set = new LinkedHashSet<>();
        for (JsonNode x : array(v)) {
          addUnique(set, text(x), v);
        }
        yield new Value.SS(set);
      }
      case "NS" -> {
        Set<BigDecimal> set = new LinkedHashSet<>();
        for (JsonNode x : array(v)) {
          addUnique(set, Value.n(text(x)).value(), v);
        }
        yield new Value.NS(set);
      }
      case "BS" -> {
        Set<Value.B> set = new LinkedHashSet<>();
        for (JsonNode x : array(v)) {
          addUnique(set, Value.b(binary(x)), v);
        }
        yield new Value.BS(set);
      }
      case "L" -> {
        List<Value> list = new ArrayList<>(v.size());
        for (JsonNode x : array(v)) {
          list.add(value(x));
        }
        yield Value.l(list);
      }
      case "M" -> Value.m(item(v));
      default -> throw DynamoDbError.serialization("Unknown AttributeValue type " + e.getKey());
    };
  }

  private static <T> void addUnique(Set<T> set, T element, JsonNode whole) {
    if (!set.add(element)) {
      throw DynamoDbError.validation(
          "One or more parameter values were invalid: Input collection "
              + whole
              + " contains duplicates.");
    }
  }

  private static JsonNode array(JsonNode v) {
    if (!v.isArray()) {
      throw DynamoDbError.serialization("Unexpected value type in payload; expected a list");
    }
    return v;
  }

  private static String text(JsonNode v) {
    if (!v.isTextual() && !v.isNumber()) {
      throw DynamoDbError.serialization("Unexpected value type in payload; expected a string");
    }
    return v.asText();
  }

  private static byte[] binary(JsonNode v) {
    try {
      return Base64.getDecoder().decode(text(v));
    } catch (IllegalArgumentException e) {
      throw DynamoDbError.serialization("Base64 encoded length is expected a multiple of 4 bytes");
    }
  }

  /**
   * The wire form of an attribute map, as a node of the response tree that the generator writes
   * straight from the model when the response is serialised: no node per attribute and value is
   * built (an item's nodes were about a third of the emulator's JSON time in the pipeline bench).
   */
  public static JsonNode encode(Map<String, Value> item) {
    return NODES.pojoNode(new EncodedItem(item));
  }

  /** An attribute map that writes itself as DynamoDB's JSON; equal when the maps are. */
  private record EncodedItem(Map<String, Value> item) implements JsonSerializable {

    @Override
    public void serialize(JsonGenerator json, SerializerProvider provider) throws IOException {
      writeItem(json, item);
    }

    @Override
    public void serializeWithType(
        JsonGenerator json, SerializerProvider provider, TypeSerializer typeSerializer)
        throws IOException {
      writeItem(json, item);
    }
  }

  private static void writeItem(JsonGenerator json, Map<String, Value> item) throws IOException {
    json.writeStartObject();
    for (Map.Entry<String, Value> e : item.entrySet()) {
      json.writeFieldName(e.getKey());
      writeValue(json, e.getValue());
    }
    json.writeEndObject();
  }

  private static void writeValue(JsonGenerator json, Value value) throws IOException {
    json.writeStartObject();
    if (value instanceof Value.S s) {
      json.writeStringField("S", s.value());
    } else if (value instanceof Value.N n) {
      json.writeStringField("N", n.text());
    } else if (value instanceof Value.M m) {
      json.writeFieldName("M");
      writeItem(json, m.values());
    } else if (value instanceof Value.L l) {
      json.writeArrayFieldStart("L");
      for (Value x : l.values()) {
        writeValue(json, x);
      }
      json.writeEndArray();
    } else if (value instanceof Value.B b) {
      json.writeStringField("B", b.base64());
    } else if (value instanceof Value.Bool b) {
      json.writeBooleanField("BOOL", b.value());
    } else if (value instanceof Value.Null) {
      json.writeBooleanField("NULL", true);
    } else if (value instanceof Value.SS ss) {
      json.writeArrayFieldStart("SS");
      for (String x : ss.values()) {
        json.writeString(x);
      }
      json.writeEndArray();
    } else if (value instanceof Value.NS ns) {
      json.writeArrayFieldStart("NS");
      for (BigDecimal x : ns.values()) {
        json.writeString(Value.text(x));
      }
      json.writeEndArray();
    } else if (value instanceof Value.BS bs) {
      json.writeArrayFieldStart("BS");
      for (Value.B x : bs.values()) {
        json.writeString(x.base64());
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** A timestamp as the JSON protocol carries it: epoch seconds with a fraction. */
  static double epochSeconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
