package dev.runfleet.emulators.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One table's definition and items. Guarded by the engine's lock. */
final class Table {

  final String name;
  final String arn;
  final String id;
  final Instant created;
  final KeySchema key;

  /** AttributeDefinitions as created (name to S/N/B), in request order. */
  final Map<String, String> attributeTypes;

  final List<Index> indexes = new ArrayList<>();
  final ItemStore items = new ItemStore();
  String billingMode;
  long readCapacity;
  long writeCapacity;

  /** The latest stream, enabled or not; null when the table never had one. */
  Stream stream;

  /** TTL attribute while TTL is enabled, else null. */
  String ttlAttribute;

  Table(
      String name,
      String arn,
      String id,
      Instant created,
      KeySchema key,
      Map<String, String> attributeTypes) {
    this.name = name;
    this.arn = arn;
    this.id = id;
    this.created = created;
    this.key = key;
    this.attributeTypes = new LinkedHashMap<>(attributeTypes);
  }

  IndexKey position(Map<String, Value> item) {
    return key.hasRange() ? IndexKey.of(item.get(key.range())) : IndexKey.EMPTY;
  }

  /** The stored item with the key of {@code keyOrItem}, or null. */
  Map<String, Value> get(Map<String, Value> keyOrItem) {
    return items.get(keyOrItem.get(key.hash()), position(keyOrItem));
  }

  /**
   * Replaces the item with {@code keyItem}'s key by {@code item} (null: deletes it), maintaining
   * the indexes; returns the previous item or null.
   */
  Map<String, Value> write(Map<String, Value> keyItem, Map<String, Value> item) {
    Value hash = keyItem.get(key.hash());
    IndexKey position = position(keyItem);
    Map<String, Value> old = items.get(hash, position);
    if (old != null) {
      for (Index index : indexes) {
        index.remove(key, old);
      }
    }
    if (item == null) {
      items.remove(hash, position);
    } else {
      items.put(hash, position, item);
      for (Index index : indexes) {
        index.add(key, item);
      }
    }
    return old;
  }

  Index index(String indexName) {
    for (Index index : indexes) {
      if (index.name.equals(indexName)) {
        return index;
      }
    }
    return null;
  }

  boolean streamEnabled() {
    return stream != null && stream.enabled();
  }
}
