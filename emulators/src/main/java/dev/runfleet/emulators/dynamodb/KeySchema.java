package dev.runfleet.emulators.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key of a table or index: a partition (HASH) attribute and an optional sort (RANGE) one, each
 * with its scalar type S, N or B.
 */
record KeySchema(String hash, String hashType, String range, String rangeType) {

  boolean hasRange() {
    return range != null;
  }

  boolean isKeyAttribute(String name) {
    return name.equals(hash) || name.equals(range);
  }

  /** The key attributes of {@code item} (which holds them). */
  Map<String, Value> keyOf(Map<String, Value> item) {
    Map<String, Value> key = new LinkedHashMap<>(4);
    key.put(hash, item.get(hash));
    if (range != null) {
      key.put(range, item.get(range));
    }
    return key;
  }

  /** Whether {@code item} carries both key attributes (a sparse index holds only such items). */
  boolean covers(Map<String, Value> item) {
    return item.containsKey(hash) && (range == null || item.containsKey(range));
  }
}
