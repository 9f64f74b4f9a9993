package dev.runfleet.emulators.dynamodb.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Reads a whole stream (every shard, from TRIM_HORIZON) through the Streams API. */
final class StreamReader {

  /** A record and the shard it came from. */
  record ShardRecord(String shardId, Record record) {}

  private final DynamoDbStreamsClient streams;
  private final String streamArn;

  StreamReader(DynamoDbStreamsClient streams, String streamArn) {
    this.streams = streams;
    this.streamArn = streamArn;
  }

  List<Shard> shards() {
    List<Shard> shards = new ArrayList<>();
    String start = null;
    do {
      String from = start;
      StreamDescription d =
          streams
              .describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
              .streamDescription();
      shards.addAll(d.shards());
      start = d.lastEvaluatedShardId();
    } while (start != null);
    return shards;
  }

  /** Every record now readable, shard by shard, in shard order. */
  List<ShardRecord> readAll() {
    List<ShardRecord> all = new ArrayList<>();
    for (Shard shard : shards()) {
      String iterator =
          streams
              .getShardIterator(
                  b ->
                      b.streamArn(streamArn)
                          .shardId(shard.shardId())
                          .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      int empty = 0;
      while (iterator != null && empty < 3) {
        String it = iterator;
        GetRecordsResponse r = streams.getRecords(b -> b.shardIterator(it).limit(1000));
        r.records().forEach(rec -> all.add(new ShardRecord(shard.shardId(), rec)));
        empty = r.records().isEmpty() ? empty + 1 : 0;
        iterator = r.nextShardIterator();
      }
    }
    return all;
  }

  /**
   * Records matching {@code filter}, polling until {@code done} holds for them or time runs out.
   */
  List<ShardRecord> await(
      Predicate<Record> filter, Predicate<List<ShardRecord>> done, long timeoutMillis) {
    Supplier<List<ShardRecord>> matching =
        () -> readAll().stream().filter(r -> filter.test(r.record())).toList();
    try {
      return Awaitility.await()
          .atMost(Duration.ofMillis(timeoutMillis))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(matching::get, done::test);
    } catch (ConditionTimeoutException e) {
      // The caller asserts on what arrived, which says more than a timeout does.
      return matching.get();
    }
  }
}
