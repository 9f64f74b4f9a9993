package dev.runfleet.emulators.dynamodb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A global or local secondary index. It holds the table's item objects (items are immutable) and
 * projects on read, so a write costs one map insertion per index the item belongs to.
 */
final class Index {

  final String name;
  final boolean global;
  final KeySchema key;
  final String projectionType;
  final List<String> nonKeyAttributes;
  final ItemStore store = new ItemStore();

  Index(
      String name,
      boolean global,
      KeySchema key,
      String projectionType,
      List<String> nonKeyAttributes) {
    this.name = name;
    this.global = global;
    this.key = key;
    this.projectionType = projectionType;
    this.nonKeyAttributes = List.copyOf(nonKeyAttributes);
  }

  /** The position of an item of {@code table} in this index: index sort key, then table key. */
  IndexKey position(KeySchema table, Map<String, Value> item) {
    Value tableHash = item.get(table.hash());
    Value tableRange = table.hasRange() ? item.get(table.range()) : null;
    Value[] parts;
    if (key.hasRange()) {
      parts =
          tableRange == null
              ? new Value[] {item.get(key.range()), tableHash}
              : new Value[] {item.get(key.range()), tableHash, tableRange};
    } else {
      parts = tableRange == null ? new Value[] {tableHash} : new Value[] {tableHash, tableRange};
    }
    return IndexKey.of(parts);
  }

  void add(KeySchema table, Map<String, Value> item) {
    if (key.covers(item)) {
      store.put(item.get(key.hash()), position(table, item), item);
    }
  }

  void remove(KeySchema table, Map<String, Value> item) {
    if (key.covers(item)) {
      store.remove(item.get(key.hash()), position(table, item));
    }
  }

  /** What a read of this index returns of {@code item}. */
  Map<String, Value> project(KeySchema table, Map<String, Value> item) {
    if ("ALL".equals(projectionType)) {
      return item;
    }
    Map<String, Value> projected = new LinkedHashMap<>();
    copy(item, table.hash(), projected);
    copy(item, table.range(), projected);
    copy(item, key.hash(), projected);
    copy(item, key.range(), projected);
    if ("INCLUDE".equals(projectionType)) {
      for (String a : nonKeyAttributes) {
        copy(item, a, projected);
      }
    }
    return projected;
  }

  private static void copy(Map<String, Value> from, String name, Map<String, Value> to) {
    if (name != null && from.containsKey(name)) {
      to.put(name, from.get(name));
    }
  }
}
