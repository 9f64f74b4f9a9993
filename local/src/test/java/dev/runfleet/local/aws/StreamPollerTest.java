package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.Context;
import dev.runfleet.aws.lambda.StreamRecord;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

class StreamPollerTest {

  private static final AtomicInteger TABLE_NUMBER = new AtomicInteger();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static EmbeddedDynamoDb ddb;
  private static DynamoDbClient client;
  private static DynamoDbStreamsClient streams;

  private String table;
  private String streamArn;
  private final List<StreamPoller> pollers = new ArrayList<>();
  private final List<StreamPoller.FailedRecord> sentToOnFailure = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startEmbeddedDynamoDb() {
    ddb = EmbeddedDynamoDb.start(0);
    client = ddb.client();
    streams = ddb.streamsClient();
  }

  @AfterAll
  static void stopEmbeddedDynamoDb() {
    streams.close();
    client.close();
    ddb.close();
  }

  @BeforeEach
  void jobsTable() {
    table = "jobs-stream-" + TABLE_NUMBER.incrementAndGet();
    streamArn = EmbeddedDynamoDb.createJobsTable(client, table);
  }

  @AfterEach
  void stopPollers() {
    pollers.forEach(StreamPoller::close);
  }

  @Test
  void itemChanges_reachTheHandlerInOrder_asStreamRecordsWithBothImages() {
    Recorder recorder = new Recorder(batch -> List.of());
    start(recorder, StreamPoller.Options.defaults());

    put("job-a", 1);
    put("job-a", 2);
    put("job-b", 1);
    client.deleteItem(b -> b.tableName(table).key(key("job-a")));

    await().atMost(PATIENCE).until(() -> recorder.succeeded().size() == 4);
    List<StreamRecord> records = recorder.succeeded();
    assertThat(records)
        .extracting(StreamRecord::eventName)
        .containsExactly("INSERT", "MODIFY", "INSERT", "REMOVE");
    assertThat(records)
        .allSatisfy(
            r -> {
              assertThat(r.eventSourceArn()).isEqualTo(streamArn);
              assertThat(r.eventId()).isNotBlank();
            });
    StreamRecord modify = records.get(1);
    assertThat(modify.oldImage().get("pk").s()).isEqualTo("job-a");
    assertThat(modify.oldImage().get("n").n()).isEqualTo("1");
    assertThat(modify.newImage().get("n").n()).isEqualTo("2");
    assertThat(modify.newImage().get("labels").l())
        .extracting(AttributeValue::s)
        .containsExactly("self-hosted", "linux");
    assertThat(records.get(0).oldImage()).isNull();
    assertThat(records.get(3).newImage()).isNull();
    assertThat(records.get(3).oldImage().get("n").n()).isEqualTo("2");
    assertThat(sequenceNumbers(records)).isSorted().doesNotHaveDuplicates();
    assertThat(recorder.requestIds).doesNotHaveDuplicates().hasSameSizeAs(recorder.invocations);
  }

  @Test
  void manyRecords_areDeliveredInWriteOrder_inBatchesNoLargerThanTheBatchSize() {
    for (int i = 0; i < 25; i++) {
      put("job-" + i, i);
    }
    Recorder recorder = new Recorder(batch -> List.of());
    start(recorder, StreamPoller.Options.defaults().withBatchSize(4));

    await().atMost(PATIENCE).until(() -> recorder.succeeded().size() == 25);
    assertThat(recorder.succeeded())
        .extracting(StreamPollerTest::number)
        .containsExactlyElementsOf(range(0, 25));
    assertThat(recorder.invocations).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 4));
  }

  @Test
  void batchItemFailure_redeliversThatRecordAndTheOnesAfterIt() {
    for (int i = 0; i < 5; i++) {
      put("job-" + i, i);
    }
    AtomicInteger calls = new AtomicInteger();
    Recorder recorder =
        new Recorder(
            batch ->
                calls.incrementAndGet() == 1 ? List.of(batch.get(2).sequenceNumber()) : List.of());
    StreamPoller poller = start(recorder, StreamPoller.Options.defaults().withBatchSize(10));

    await().atMost(PATIENCE).until(() -> poller.stats().records() == 5);
    assertThat(recorder.invocations).hasSize(2);
    assertThat(numbers(recorder.invocations.get(0))).containsExactly("0", "1", "2", "3", "4");
    assertThat(numbers(recorder.invocations.get(1))).containsExactly("2", "3", "4");
    assertThat(poller.stats().failures()).isEqualTo(1);
    assertThat(poller.stats().discarded()).isZero();
  }

  enum Failure {
    THROWS,
    REPORTS_ITEM_FAILURE
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void recordThatAlwaysFails_goesToOnFailureAfterMaxRetries_andLaterRecordsStillFlow(
      Failure failure) {
    for (int i = 0; i < 4; i++) {
      put("job-" + i, i);
    }
    Recorder recorder =
        new Recorder(
            batch -> {
              for (StreamRecord r : batch) {
                if ("1".equals(number(r))) {
                  if (failure == Failure.THROWS) {
                    throw new IllegalStateException("poison record");
                  }
                  return List.of(r.sequenceNumber());
                }
              }
              return List.of();
            });
    StreamPoller poller =
        start(
            recorder,
            StreamPoller.Options.defaults()
                .withBatchSize(10)
                .withMaxRetries(2)
                .withRetryDelay(Duration.ofMillis(5)));

    await().atMost(PATIENCE).until(() -> sentToOnFailure.size() == 1);
    StreamPoller.FailedRecord poison = sentToOnFailure.get(0);
    assertThat(number(poison.record())).isEqualTo("1");
    assertThat(poison.attempts()).isEqualTo(3);
    assertThat(poison.shardId()).isNotBlank();
    assertThat(poison.streamArn()).isEqualTo(streamArn);

    put("job-after", 99);
    await().atMost(PATIENCE).until(() -> poller.stats().records() == 4);
    assertThat(recorder.succeeded())
        .extracting(StreamPollerTest::number)
        .containsExactly("0", "2", "3", "99");
    assertThat(poller.stats().discarded()).isEqualTo(1);
    assertThat(sentToOnFailure).hasSize(1);
  }

  /**
   * ParallelizationFactor as Lambda has it: one key's records in order, other keys in parallel
   * batches. The batch holding k0's first record is held until another batch has finished: with one
   * batch at a time that never happens, and were k0's records spread over lanes its later records
   * would overtake the held one.
   */
  @Test
  void parallelizationFactor_keepsEachKeysRecordsInOrder_whileOtherKeysRunInParallelBatches()
      throws InterruptedException {
    int keys = 16;
    int writes = 6;
    for (int n = 0; n < writes; n++) {
      for (int k = 0; k < keys; k++) {
        put("k" + k, n);
      }
    }
    Map<String, List<Integer>> seen = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.CountDownLatch otherBatchDone = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean heldWhileOthersRan =
        new java.util.concurrent.atomic.AtomicBoolean();
    AtomicInteger handlersMade = new AtomicInteger();
    BatchHandler<StreamRecord> handler =
        (batch, context) -> {
          boolean holdsFirstOfK0 =
              batch.stream().anyMatch(r -> "k0".equals(pk(r)) && "0".equals(number(r)));
          if (holdsFirstOfK0) {
            try {
              heldWhileOthersRan.set(
                  otherBatchDone.await(10, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          for (StreamRecord r : batch) {
            seen.computeIfAbsent(pk(r), k -> new CopyOnWriteArrayList<>())
                .add(Integer.parseInt(number(r)));
          }
          if (!holdsFirstOfK0) {
            otherBatchDone.countDown();
          }
          return List.of();
        };
    StreamPoller poller =
        new StreamPoller(
            streams,
            streamArn,
            table,
            () -> {
              handlersMade.incrementAndGet();
              return handler;
            },
            StreamPoller.Options.defaults().withBatchSize(3).withParallelizationFactor(4),
            sentToOnFailure::add);
    pollers.add(poller.start());

    await().atMost(PATIENCE).until(() -> poller.stats().records() == keys * writes);
    assertThat(heldWhileOthersRan).isTrue();
    assertThat(seen).hasSize(keys);
    seen.forEach((key, ns) -> assertThat(ns).as(key).containsExactly(0, 1, 2, 3, 4, 5));
    assertThat(handlersMade.get()).isBetween(2, 4);
  }

  @Test
  void close_stopsThePollerThread() {
    StreamPoller poller = start(new Recorder(batch -> List.of()), StreamPoller.Options.defaults());

    poller.close();

    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .doesNotContain("stream-poller-" + table);
  }

  // ---- helpers ----

  private StreamPoller start(Recorder handler, StreamPoller.Options options) {
    StreamPoller poller =
        new StreamPoller(streams, streamArn, table, handler, options, sentToOnFailure::add);
    pollers.add(poller);
    return poller.start();
  }

  private void put(String pk, int n) {
    client.putItem(
        b ->
            b.tableName(table)
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS(pk),
                        "sk", AttributeValue.fromS("JOB"),
                        "n", AttributeValue.fromN(Integer.toString(n)),
                        "labels",
                            AttributeValue.fromL(
                                List.of(
                                    AttributeValue.fromS("self-hosted"),
                                    AttributeValue.fromS("linux"))))));
  }

  private static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("JOB"));
  }

  private static List<String> sequenceNumbers(List<StreamRecord> records) {
    return records.stream().map(StreamRecord::sequenceNumber).toList();
  }

  private static String pk(StreamRecord record) {
    return record.newImage().get("pk").s();
  }

  private static String number(StreamRecord record) {
    return record.newImage().get("n").n();
  }

  private static List<String> numbers(List<StreamRecord> records) {
    return records.stream().map(StreamPollerTest::number).toList();
  }

  private static List<String> range(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(Integer.toString(i));
    }
    return out;
  }

  /**
   * Records every invocation; {@code failures} decides which sequence numbers a batch reports as
   * failed (or throws).
   */
  private static final class Recorder implements BatchHandler<StreamRecord> {

    final List<List<StreamRecord>> invocations = new CopyOnWriteArrayList<>();
    final List<String> requestIds = new CopyOnWriteArrayList<>();
    private final List<StreamRecord> succeeded = new CopyOnWriteArrayList<>();
    private final Function<List<StreamRecord>, List<String>> failures;

    Recorder(Function<List<StreamRecord>, List<String>> failures) {
      this.failures = failures;
    }

    @Override
    public List<String> handle(List<StreamRecord> records, Context context) {
      requestIds.add(context.getAwsRequestId());
      List<StreamRecord> batch = List.copyOf(records);
      invocations.add(batch);
      List<String> failed = failures.apply(batch);
      boolean failing = false;
      for (StreamRecord record : batch) {
        failing |= failed.contains(record.sequenceNumber());
        if (!failing) {
          succeeded.add(record);
        }
      }
      return failed;
    }

    /**
     * Records the handler succeeded for, in delivery order (including those before a reported
     * failure).
     */
    List<StreamRecord> succeeded() {
      return List.copyOf(succeeded);
    }
  }
}
