package dev.runfleet.emulators.dynamodb;

import java.util.Arrays;

/**
 * A position inside one partition: the sort key, followed for an index by the table key so that
 * items with equal index keys still have one deterministic order. A bound (only the first part,
 * with {@code bound} -1 or +1) sorts before or after every key that starts with that part, which is
 * how key conditions become sub-maps.
 */
final class IndexKey implements Comparable<IndexKey> {

  static final IndexKey EMPTY = new IndexKey(new Value[0], 0);

  private final Value[] parts;
  private final int bound;

  private IndexKey(Value[] parts, int bound) {
    this.parts = parts;
    this.bound = bound;
  }

  static IndexKey of(Value... parts) {
    return new IndexKey(parts, 0);
  }

  static IndexKey lowest(Value first) {
    return new IndexKey(new Value[] {first}, -1);
  }

  static IndexKey highest(Value first) {
    return new IndexKey(new Value[] {first}, 1);
  }

  Value first() {
    return parts.length == 0 ? null : parts[0];
  }

  @Override
  public int compareTo(IndexKey other) {
    int n = Math.min(parts.length, other.parts.length);
    for (int i = 0; i < n; i++) {
      int c = Value.compareKeys(parts[i], other.parts[i]);
      if (c != 0) {
        return c;
      }
    }
    if (parts.length == other.parts.length) {
      return Integer.compare(bound, other.bound);
    }
    return parts.length < other.parts.length ? bound : -other.bound;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexKey k && bound == k.bound && Arrays.equals(parts, k.parts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(parts) * 31 + bound;
  }
}
