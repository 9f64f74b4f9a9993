package dev.runfleet.emulators.dynamodb;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The in-memory DynamoDB: tables, items, indexes, streams and TTL, without any wire format. One
 * read-write lock guards everything: calls take microseconds, and a single lock makes every write
 * linearisable and every transaction serialisable without further thought.
 */
public final class DynamoDbEngine {

  /** The account in every ARN the emulator hands out. */
  public static final String ACCOUNT = "000000000000";

  /** Items whose TTL lies further back than this are left alone, as DynamoDB documents. */
  private static final Duration TTL_LOOKBACK = Duration.ofDays(5 * 365);

  private static final DateTimeFormatter LABEL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final String region;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TreeMap<String, Table> tables = new TreeMap<>();
  private final Map<String, Stream> streams = new LinkedHashMap<>();
  private long sequence;

  public DynamoDbEngine(Clock clock, String region) {
    this.clock = clock;
    this.region = region;
  }

  public DynamoDbEngine() {
    this(Clock.systemUTC(), "us-east-1");
  }

  public Clock clock() {
    return clock;
  }

  public String region() {
    return region;
  }

  Instant now() {
    return clock.instant();
  }

  <T> T read(Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  <T> T write(Supplier<T> action) {
    lock.writeLock().lock();
    try {
      return action.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---- state, callers hold the lock ----

  /** The table, or ResourceNotFoundException as the item operations word it. */
  Table table(String name) {
    Table table = tables.get(name);
    if (table == null) {
      throw DynamoDbError.resourceNotFound("Requested resource not found");
    }
    return table;
  }

  Table tableOrNull(String name) {
    return tables.get(name);
  }

  TreeMap<String, Table> tables() {
    return tables;
  }

  Map<String, Stream> streams() {
    return streams;
  }

  String arn(String resource) {
    return "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":" + resource;
  }

  long lastSequence() {
    return sequence;
  }

  /** Opens a new stream on {@code table}, as CreateTable or UpdateTable do. */
  void openStream(Table table, String viewType) {
    Instant created = now();
    String label = LABEL.format(created);
    while (table.stream != null && table.stream.label.compareTo(label) >= 0) {
      // Labels must differ between a table's streams, even when enabled twice in one millisecond.
      created = created.plusMillis(1);
      label = LABEL.format(created);
    }
    String shardId =
        String.format(
            "shardId-%020d-%s",
            created.toEpochMilli(), UUID.randomUUID().toString().replace("-", "").substring(0, 8));
    Stream stream =
        new Stream(
            table.arn + "/stream/" + label,
            label,
            table.name,
            shardId,
            viewType,
            created,
            table.key,
            sequence + 1);
    table.stream = stream;
    streams.put(stream.arn, stream);
  }

  /**
   * Stores {@code next} in place of {@code old} (either may be null) and records the change on the
   * table's stream. Callers have validated everything and hold the write lock.
   */
  void commit(
      Table table, Map<String, Value> key, Map<String, Value> old, Map<String, Value> next) {
    commit(table, key, old, next, false);
  }

  private void commit(
      Table table,
      Map<String, Value> key,
      Map<String, Value> old,
      Map<String, Value> next,
      boolean byTtl) {
    if (java.util.Objects.equals(old, next)) {
      // Nothing changed (a delete of nothing, a put or update of the same item): DynamoDB writes no
      // stream record for it.
      return;
    }
    table.write(key, next);
    if (table.streamEnabled()) {
      String event = old == null ? "INSERT" : next == null ? "REMOVE" : "MODIFY";
      table.stream.append(
          new Stream.Record(
              ++sequence,
              now(),
              UUID.randomUUID().toString().replace("-", ""),
              event,
              table.key.keyOf(next != null ? next : old),
              old,
              next,
              byTtl));
    }
  }

  /**
   * Deletes every item whose TTL attribute (a number, epoch seconds) lies before the clock's now,
   * recording each removal on the stream as the TTL service does; also trims stream records older
   * than 24 hours. Returns how many items expired.
   */
  public int expireItems() {
    return write(
        () -> {
          Instant now = now();
          long nowSeconds = now.getEpochSecond();
          long oldest = now.minus(TTL_LOOKBACK).getEpochSecond();
          int expired = 0;
          for (Table table : tables.values()) {
            if (table.ttlAttribute == null) {
              continue;
            }
            List<Map<String, Value>> victims = new ArrayList<>();
            for (var partition : table.items.partitionsFrom(null).values()) {
              for (Map<String, Value> item : partition.values()) {
                if (item.get(table.ttlAttribute) instanceof Value.N n) {
                  BigDecimal seconds = n.value();
                  if (seconds.compareTo(BigDecimal.valueOf(nowSeconds)) < 0
                      && seconds.compareTo(BigDecimal.valueOf(oldest)) >= 0) {
                    victims.add(item);
                  }
                }
              }
            }
            for (Map<String, Value> item : victims) {
              commit(table, table.key.keyOf(item), item, null, true);
              expired++;
            }
          }
          for (Stream stream : streams.values()) {
            stream.trim(now);
          }
          return expired;
        });
  }
}
