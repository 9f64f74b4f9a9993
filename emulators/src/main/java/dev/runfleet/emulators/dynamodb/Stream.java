package dev.runfleet.emulators.dynamodb;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One table stream with its single shard. Records are appended under the engine's write lock and
 * read by pollers under this object's monitor, so reading a stream never blocks table writes for
 * long.
 */
final class Stream {

  /** How long DynamoDB keeps stream records. */
  static final Duration RETENTION = Duration.ofHours(24);

  /** Sequence numbers are rendered with 21+ digits, as DynamoDB's are. */
  private static final BigInteger SEQUENCE_BASE = BigInteger.TEN.pow(20);

  /** One change. Images are kept whole; the view type is applied when the record is read. */
  record Record(
      long sequence,
      Instant created,
      String eventId,
      String eventName,
      Map<String, Value> keys,
      Map<String, Value> oldImage,
      Map<String, Value> newImage,
      boolean expiredByTtl) {}

  final String arn;
  final String label;
  final String tableName;
  final String shardId;
  final String viewType;
  final Instant created;
  final KeySchema key;
  final long startingSequence;

  private final List<Record> records = new ArrayList<>();
  private boolean enabled = true;
  private long endingSequence = -1;

  /** Every record below this sequence number has been trimmed. */
  private long trimmedBelow;

  Stream(
      String arn,
      String label,
      String tableName,
      String shardId,
      String viewType,
      Instant created,
      KeySchema key,
      long startingSequence) {
    this.arn = arn;
    this.label = label;
    this.tableName = tableName;
    this.shardId = shardId;
    this.viewType = viewType;
    this.created = created;
    this.key = key;
    this.startingSequence = startingSequence;
    this.trimmedBelow = startingSequence;
  }

  static String sequenceText(long sequence) {
    return SEQUENCE_BASE.add(BigInteger.valueOf(sequence)).toString();
  }

  /** The sequence a client quotes back; null when it is not one of ours. */
  static Long parseSequence(String text) {
    try {
      BigInteger n = new BigInteger(text).subtract(SEQUENCE_BASE);
      return n.signum() < 0 || n.bitLength() > 62 ? null : n.longValue();
    } catch (NumberFormatException | NullPointerException e) {
      return null;
    }
  }

  synchronized boolean enabled() {
    return enabled;
  }

  synchronized void append(Record record) {
    records.add(record);
  }

  /** Closes the shard: no more records; readers reach its end. */
  synchronized void disable(long lastSequence) {
    if (enabled) {
      enabled = false;
      endingSequence = records.isEmpty() ? startingSequence : lastSequence;
    }
  }

  /** -1 while the shard is open. */
  synchronized long endingSequence() {
    return endingSequence;
  }

  /** Drops records older than the retention. */
  synchronized void trim(Instant now) {
    Instant horizon = now.minus(RETENTION);
    int n = 0;
    while (n < records.size() && records.get(n).created().isBefore(horizon)) {
      n++;
    }
    if (n > 0) {
      trimmedBelow = records.get(n - 1).sequence() + 1;
      records.subList(0, n).clear();
    }
  }

  synchronized long trimHorizon() {
    return trimmedBelow;
  }

  /** The position just after the newest record (where LATEST starts). */
  synchronized long latest(long nextSequence) {
    return records.isEmpty() ? Math.max(trimmedBelow, nextSequence) : last() + 1;
  }

  private long last() {
    return records.get(records.size() - 1).sequence();
  }

  /** Whether a record with exactly this sequence number exists (or existed) in this shard. */
  synchronized boolean holds(long sequence) {
    return sequence >= startingSequence && (records.isEmpty() || sequence <= last());
  }

  /** Up to {@code limit} records with sequence at or after {@code from}. */
  synchronized List<Record> read(long from, int limit) {
    int lo = 0;
    int hi = records.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (records.get(mid).sequence() < from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return List.copyOf(records.subList(lo, Math.min(records.size(), lo + limit)));
  }

  /** Whether a reader at {@code from} has read everything a closed shard will ever hold. */
  synchronized boolean exhausted(long from) {
    return !enabled && (records.isEmpty() || from > last());
  }
}
