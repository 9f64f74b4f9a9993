package dev.runfleet.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read into plain values and written from them with jackson-core's streaming parser and
 * generator alone: the functions read every event, answer and configuration through here, so none
 * of them builds Jackson databind's {@code ObjectMapper} (about 400 classes and a quarter of a
 * second of a cold start) on its way to the first answer.
 *
 * <p>A value read is a {@link JsonObject}, a {@code List<Object>} of values, a {@link String}, a
 * {@link Long} (a whole number within 64 bits), a {@link BigInteger} (a whole number past them), a
 * {@link Double}, a {@link Boolean}, or {@code null} for JSON's null. A field named twice keeps its
 * last value, as databind's tree did.
 */
public final class Json {

  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  /** The process's one factory, for code that streams tokens itself. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /**
   * The first JSON value in {@code text}; null when the text holds none. What follows that value is
   * not read.
   *
   * @throws IOException ({@link com.fasterxml.jackson.core.JsonProcessingException}) when it is not
   *     JSON
   */
  public static Object read(String text) throws IOException {
    try (JsonParser parser = FACTORY.createParser(text)) {
      return read(parser);
    }
  }

  /** As {@link #read(String)}, from UTF-8 bytes. */
  public static Object read(byte[] bytes) throws IOException {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      return read(parser);
    }
  }

  /** As {@link #read(String)}, from a stream (which is not closed). */
  public static Object read(InputStream in) throws IOException {
    try (JsonParser parser = FACTORY.createParser(in)) {
      return read(parser);
    }
  }

  /**
   * The next value of {@code parser} (the value at its current token when it has one); null at the
   * end of its input.
   */
  public static Object read(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      token = parser.nextToken();
      if (token == null) {
        return null;
      }
    }
    return value(parser, token);
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          fields.put(name, value(parser, parser.nextToken()));
        }
        return new JsonObject(fields);
      case START_ARRAY:
        List<Object> items = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          items.add(value(parser, t));
        }
        return items;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected JSON token " + token);
    }
  }

  /** {@code value} (a tree as {@link #read} gives, or maps, lists and scalars) as JSON text. */
  public static String write(Object value) {
    return new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code value} as UTF-8 JSON. */
  public static byte[] bytes(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      write(json, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
    return out.toByteArray();
  }

  /** Writes {@code value} to {@code json}. */
  public static void write(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof String s) {
      json.writeString(s);
    } else if (value instanceof JsonObject o) {
      write(json, o.fields());
    } else if (value instanceof Map<?, ?> map) {
      json.writeStartObject();
      for (Map.Entry<?, ?> field : map.entrySet()) {
        json.writeFieldName(String.valueOf(field.getKey()));
        write(json, field.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof Iterable<?> items) {
      json.writeStartArray();
      for (Object item : items) {
        write(json, item);
      }
      json.writeEndArray();
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d) {
      json.writeNumber(d);
    } else if (value instanceof Float f) {
      json.writeNumber(f);
    } else if (value instanceof Number n) {
      // BigInteger, BigDecimal: their own text is JSON's.
      json.writeNumber(n.toString());
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  /** A whole number that fits a long, as databind's {@code canConvertToLong} on one. */
  public static boolean isLong(Object value) {
    return value instanceof Long;
  }

  /** A whole number of any size, as databind's {@code isIntegralNumber}. */
  public static boolean isWholeNumber(Object value) {
    return value instanceof Long || value instanceof BigInteger;
  }

  /**
   * A number whose value fits an int, as databind's {@code canConvertToInt} (a fraction within the
   * range counts, and converts by truncation in {@link #intValue}).
   */
  public static boolean fitsInt(Object value) {
    if (value instanceof Long l) {
      return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
    }
    if (value instanceof Double d) {
      return d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
    }
    return false;
  }

  /** The number's int value, as databind's {@code intValue} (truncating). */
  public static int intValue(Object value) {
    return ((Number) value).intValue();
  }

  /**
   * The value as a boolean as databind's {@code asBoolean(otherwise)} read it: a boolean itself, a
   * whole number other than zero, the text {@code "true"} or {@code "false"}; else {@code
   * otherwise}.
   */
  public static boolean asBoolean(Object value, boolean otherwise) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Long l) {
      return l != 0;
    }
    if (value instanceof BigInteger b) {
      return b.signum() != 0;
    }
    if (value instanceof String s) {
      String trimmed = s.trim();
      if (trimmed.equals("true")) {
        return true;
      }
      if (trimmed.equals("false")) {
        return false;
      }
    }
    return otherwise;
  }

  /**
   * The value as an int as databind's {@code asInt(otherwise)} read it: a number (truncated), a
   * boolean as 1 or 0, a numeric text; else {@code otherwise}.
   */
  public static int asInt(Object value, int otherwise) {
    if (value instanceof String s) {
      Number parsed = parse(s, false);
      return parsed == null ? otherwise : parsed.intValue();
    }
    return (int) asLong(value, otherwise);
  }

  /** As {@link #asInt}, databind's {@code asLong(otherwise)}. */
  public static long asLong(Object value, long otherwise) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      Number parsed = parse(s, true);
      return parsed == null ? otherwise : parsed.longValue();
    }
    return otherwise;
  }

  /**
   * Jackson's {@code NumberInput.parseAsInt/parseAsLong}: digits (with a sign) as a whole number
   * that must fit, anything else read as a double; null when it is no number.
   */
  private static Number parse(String text, boolean asLong) {
    String s = text.trim();
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      return null;
    }
    for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    try {
      return asLong ? (Number) Long.parseLong(s) : (Number) Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The value as text as databind's {@code asText()} gave it: a string itself, a number or boolean
   * written out, {@code "null"} for null, empty for an object or an array.
   */
  public static String asText(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof JsonObject || value instanceof List<?>) {
      return "";
    }
    return value.toString();
  }
}
