package dev.runfleet.emulators.dynamodb;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Items of a table or index: partitions by partition key, each sorted by {@link IndexKey}. Scans
 * walk partitions in key order, which is stable, so a scan can resume after any item.
 */
final class ItemStore {

  private final TreeMap<Value, TreeMap<IndexKey, Map<String, Value>>> partitions =
      new TreeMap<>(Value::compareKeys);
  private long count;
  private long bytes;

  Map<String, Value> get(Value partition, IndexKey position) {
    TreeMap<IndexKey, Map<String, Value>> p = partitions.get(partition);
    return p == null ? null : p.get(position);
  }

  void put(Value partition, IndexKey position, Map<String, Value> item) {
    Map<String, Value> old =
        partitions.computeIfAbsent(partition, k -> new TreeMap<>()).put(position, item);
    if (old == null) {
      count++;
    } else {
      bytes -= Value.itemSize(old);
    }
    bytes += Value.itemSize(item);
  }

  void remove(Value partition, IndexKey position) {
    TreeMap<IndexKey, Map<String, Value>> p = partitions.get(partition);
    if (p == null) {
      return;
    }
    Map<String, Value> old = p.remove(position);
    if (old != null) {
      count--;
      bytes -= Value.itemSize(old);
      if (p.isEmpty()) {
        partitions.remove(partition);
      }
    }
  }

  /** One partition, ascending; empty when absent. */
  NavigableMap<IndexKey, Map<String, Value>> partition(Value partition) {
    TreeMap<IndexKey, Map<String, Value>> p = partitions.get(partition);
    return p == null ? Collections.emptyNavigableMap() : p;
  }

  /** Partitions from {@code from} (inclusive), or all when null. */
  NavigableMap<Value, TreeMap<IndexKey, Map<String, Value>>> partitionsFrom(Value from) {
    return from == null ? partitions : partitions.tailMap(from, true);
  }

  long count() {
    return count;
  }

  long bytes() {
    return bytes;
  }

  void clear() {
    partitions.clear();
    count = 0;
    bytes = 0;
  }
}
