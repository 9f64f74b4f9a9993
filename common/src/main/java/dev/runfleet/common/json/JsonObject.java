package dev.runfleet.common.json;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A JSON object as {@link Json#read} gives it, with the typed access every reader needs: a field of
 * the wrong type reads as absent, and each reader decides what absent means (its own error or
 * default), so no reader repeats the type checks.
 */
public final class JsonObject {

  private static final JsonObject EMPTY = new JsonObject(Map.of());

  private final Map<String, Object> fields;

  JsonObject(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** An object without fields: what {@link #object} answers for a field that holds none. */
  public static JsonObject empty() {
    return EMPTY;
  }

  /**
   * {@code value} when it is an object; an object without fields otherwise (how databind's tree
   * read a listed item or a body that was no object).
   */
  public static JsonObject orEmpty(Object value) {
    return value instanceof JsonObject o ? o : EMPTY;
  }

  /** {@code value} when it is an object; null otherwise. */
  public static JsonObject of(Object value) {
    return value instanceof JsonObject o ? o : null;
  }

  /** The fields in the order they were read. */
  public Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }

  public boolean has(String name) {
    return fields.containsKey(name);
  }

  /** The field's value, null when absent or JSON null. */
  public Object get(String name) {
    return fields.get(name);
  }

  /** The field's string; null when absent or not a string. */
  public String text(String name) {
    return fields.get(name) instanceof String s ? s : null;
  }

  /**
   * The field as text as databind's {@code path(name).asText()} gave it: empty when absent, else
   * {@link Json#asText}.
   */
  public String asText(String name) {
    return fields.containsKey(name) ? Json.asText(fields.get(name)) : "";
  }

  /**
   * As databind's {@code path(name).asText(otherwise)}: {@code otherwise} when absent or JSON null,
   * else {@link Json#asText}.
   */
  public String asText(String name, String otherwise) {
    Object value = fields.get(name);
    return value == null ? otherwise : Json.asText(value);
  }

  /** The field's object; an empty object when absent or not an object (databind's {@code path}). */
  public JsonObject object(String name) {
    return orEmpty(fields.get(name));
  }

  /** The field's array; null when absent or not an array. */
  @SuppressWarnings("unchecked")
  public List<Object> array(String name) {
    return fields.get(name) instanceof List<?> list ? (List<Object>) list : null;
  }

  /** The field's array; empty when absent or not an array. */
  public List<Object> items(String name) {
    List<Object> list = array(name);
    return list == null ? List.of() : list;
  }

  /** The field's boolean; {@code otherwise} when absent or not a boolean. */
  public boolean bool(String name, boolean otherwise) {
    return fields.get(name) instanceof Boolean b ? b : otherwise;
  }

  /** The object as compact JSON text. */
  @Override
  public String toString() {
    return Json.write(this);
  }
}
