package dev.runfleet.local.bench;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The embedded DynamoDB's cost per call, through the real SDK clients over HTTP as every function
 * reaches it: calls per second and latency percentiles for each operation the pipeline uses, on
 * items shaped like the jobs table's.
 */
public final class DynamoDbBenchmark {

  /**
   * What to run.
   *
   * @param calls measured calls per operation
   * @param threads clients calling at once
   * @param warmup unmeasured calls per operation first (JIT, connection pools)
   */
  public record Options(int calls, int threads, int warmup) {
    public Options {
      if (calls < 1 || calls > 1_000_000) {
        throw new IllegalArgumentException("--calls must be in [1, 1000000]; was " + calls);
      }
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("--threads must be in [1, 64]; was " + threads);
      }
      if (warmup < 0 || warmup > 1_000_000) {
        throw new IllegalArgumentException("--warmup must be in [0, 1000000]; was " + warmup);
      }
    }

    public static Options defaults() {
      return new Options(5_000, 4, 2_000);
    }
  }

  /** One operation's numbers; latencies in microseconds. */
  public record Operation(
      int calls, double callsPerSecond, double p50Micros, double p99Micros, double maxMicros) {}

  /**
   * The result.
   *
   * @param operations by operation name, in the order measured
   * @param cores processors available to this JVM
   * @param loadAverage the one-minute load average at the end (other work slows every call)
   */
  public record Report(
      Map<String, Operation> operations,
      int threads,
      int cores,
      double loadAverage,
      double elapsedSeconds) {}

  private static final String TABLE = "bench-jobs";

  private final Options options;

  public DynamoDbBenchmark(Options options) {
    this.options = options;
  }

  public Report run(PrintStream out) {
    long started = System.nanoTime();
    out.printf(
        "runfleet bench dynamodb: %d calls per operation from %d threads through the SDK to the"
            + " embedded DynamoDB%n",
        options.calls(), options.threads());
    Map<String, Operation> operations = new LinkedHashMap<>();
    try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0);
        DynamoDbClient client = dynamoDb.client();
        DynamoDbStreamsClient streams = dynamoDb.streamsClient()) {
      String streamArn = EmbeddedDynamoDb.createJobsTable(client, TABLE);
      AtomicLong ids = new AtomicLong();
      Map<String, TimedCalls.Call> calls = new LinkedHashMap<>();
      calls.put(
          "PutItem", n -> client.putItem(b -> b.tableName(TABLE).item(job(ids.incrementAndGet()))));
      calls.put(
          "GetItem",
          n ->
              client.getItem(
                  b ->
                      b.tableName(TABLE)
                          .key(key(1 + n % Math.max(1, ids.get())))
                          .consistentRead(true)));
      calls.put(
          "UpdateItem",
          n ->
              client.updateItem(
                  b ->
                      b.tableName(TABLE)
                          .key(key(1 + n % Math.max(1, ids.get())))
                          .updateExpression("SET #v = if_not_exists(#v, :zero) + :one")
                          .conditionExpression("attribute_exists(#pk)")
                          .expressionAttributeNames(
                              Map.of("#v", JobsTable.DISPATCH_COUNT, "#pk", JobsTable.PK))
                          .expressionAttributeValues(
                              Map.of(":zero", number(0), ":one", number(1)))));
      calls.put(
          "Query",
          n ->
              client.query(
                  b ->
                      b.tableName(TABLE)
                          .indexName(JobsTable.QUEUE_INDEX)
                          .keyConditionExpression("#q = :q")
                          .expressionAttributeNames(Map.of("#q", JobsTable.QUEUE_PK))
                          .expressionAttributeValues(Map.of(":q", string("QUEUED#bench")))
                          .limit(25)));
      calls.put(
          "TransactWriteItems",
          n -> {
            long a = ids.incrementAndGet();
            long c = ids.incrementAndGet();
            client.transactWriteItems(
                b ->
                    b.transactItems(
                        TransactWriteItem.builder()
                            .put(
                                p ->
                                    p.tableName(TABLE)
                                        .item(job(a))
                                        .conditionExpression("attribute_not_exists(pk)"))
                            .build(),
                        TransactWriteItem.builder()
                            .put(
                                p ->
                                    p.tableName(TABLE)
                                        .item(job(c))
                                        .conditionExpression("attribute_not_exists(pk)"))
                            .build()));
          });
      String shard =
          streams
              .describeStream(b -> b.streamArn(streamArn))
              .streamDescription()
              .shards()
              .get(0)
              .shardId();
      calls.put(
          "GetRecords",
          n -> {
            String iterator =
                streams
                    .getShardIterator(
                        b ->
                            b.streamArn(streamArn)
                                .shardId(shard)
                                .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            streams.getRecords(b -> b.shardIterator(iterator).limit(100));
          });
      for (Map.Entry<String, TimedCalls.Call> call : calls.entrySet()) {
        measure(call.getValue(), options.warmup());
        Operation result = measure(call.getValue(), options.calls());
        operations.put(call.getKey(), result);
        out.printf(
            "  %-20s %8.0f calls/s   p50 %7.0f µs   p99 %7.0f µs%n",
            call.getKey(), result.callsPerSecond(), result.p50Micros(), result.p99Micros());
      }
    }
    return new Report(
        operations,
        options.threads(),
        Runtime.getRuntime().availableProcessors(),
        Rates.loadAverage(),
        Rates.round((System.nanoTime() - started) / 1e9, 1));
  }

  /** The report as one JSON line. */
  public static void print(Report report, PrintStream out) {
    JsonLine.print(report, out);
  }

  private Operation measure(TimedCalls.Call call, int count) {
    if (count == 0) {
      return new Operation(0, 0, 0, 0, 0);
    }
    long started = System.nanoTime();
    long[] nanos = TimedCalls.run(options.threads(), count, "a benchmark call", call);
    double seconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(nanos);
    return new Operation(
        count,
        Rates.round(count / seconds, 1),
        Rates.round(Rates.percentile(nanos, 0.50) / 1e3, 1),
        Rates.round(Rates.percentile(nanos, 0.99) / 1e3, 1),
        Rates.round(nanos[count - 1] / 1e3, 1));
  }

  private static Map<String, AttributeValue> key(long id) {
    return Map.of(JobsTable.PK, string("JOB#" + id), JobsTable.SK, string(JobsTable.SK_JOB));
  }

  private static Map<String, AttributeValue> job(long id) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(id));
    item.put(JobsTable.TYPE, string(JobsTable.TYPE_JOB));
    item.put(JobsTable.JOB_ID, number(id));
    item.put(JobsTable.STATUS, string("QUEUED"));
    item.put(JobsTable.REPOSITORY, string("octo-org/octo-repo"));
    item.put(
        JobsTable.LABELS, AttributeValue.fromL(List.of(string("self-hosted"), string("linux"))));
    item.put(JobsTable.QUEUE_PK, string("QUEUED#bench"));
    item.put(JobsTable.QUEUE_SK, string(String.format("%020d", id)));
    return item;
  }

  private static AttributeValue string(String s) {
    return AttributeValue.fromS(s);
  }

  private static AttributeValue number(long n) {
    return AttributeValue.fromN(Long.toString(n));
  }
}
