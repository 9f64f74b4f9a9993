package dev.runfleet.emulators.dynamodb;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Items of a table or index: partitions by partition key, each sorted by {@link IndexKey}. Scans
 * walk partitions in key order, which is stable, so a scan can resume after any item. Reads and
 * writes of one partition find it by hash: in key order every lookup compared keys byte by byte
 * some seventeen times in a table of 100,000 partitions, which share long prefixes.
 */
final class ItemStore {

  private final TreeMap<Value, TreeMap<IndexKey, Map<String, Value>>> partitions =
      new TreeMap<>(Value::compareKeys);
  private final Map<Object, TreeMap<IndexKey, Map<String, Value>>> byHash = new HashMap<>();
  private long count;
  private long bytes;

  Map<String, Value> get(Value partition, IndexKey position) {
    TreeMap<IndexKey, Map<String, Value>> p = byHash.get(hashKey(partition));
    return p == null ? null : p.get(position);
  }

  void put(Value partition, IndexKey position, Map<String, Value> item) {
    Map<String, Value> old =
        byHash
            .computeIfAbsent(
                hashKey(partition),
                k -> {
                  TreeMap<IndexKey, Map<String, Value>> created = new TreeMap<>();
                  partitions.put(partition, created);
                  return created;
                })
            .put(position, item);
    if (old == null) {
      count++;
    } else {
      bytes -= Value.itemSize(old);
    }
    bytes += Value.itemSize(item);
  }

  void remove(Value partition, IndexKey position) {
    Object key = hashKey(partition);
    TreeMap<IndexKey, Map<String, Value>> p = byHash.get(key);
    if (p == null) {
      return;
    }
    Map<String, Value> old = p.remove(position);
    if (old != null) {
      count--;
      bytes -= Value.itemSize(old);
      if (p.isEmpty()) {
        partitions.remove(partition);
        byHash.remove(key);
      }
    }
  }

  /** One partition, ascending; empty when absent. */
  NavigableMap<IndexKey, Map<String, Value>> partition(Value partition) {
    TreeMap<IndexKey, Map<String, Value>> p = byHash.get(hashKey(partition));
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
    byHash.clear();
    count = 0;
    bytes = 0;
  }

  /**
   * What equal keys share, as {@link Value#compareKeys} judges equal: strings and binaries are
   * equal by content already; numbers by value, whatever their scale ({@code 1} and {@code 1.0}).
   */
  private static Object hashKey(Value partition) {
    return partition instanceof Value.N n ? n.value().stripTrailingZeros() : partition;
  }
}
