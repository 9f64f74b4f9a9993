package dev.runfleet.producer.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.ItemSize;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.EventKind;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.common.port.JobEventStore.Appended;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/** The store against the embedded DynamoDB, each test on a table of its own. */
class DynamoDbJobEventStoreTest {

  private static final List<String> FARGATE = List.of("self-hosted", "linux", "x64", "fargate");
  private static final Instant CREATED = Instant.parse("2024-05-01T10:00:00Z");
  private static final AtomicLong JOB_IDS = new AtomicLong(1_000);

  private static EmbeddedDynamoDb dynamo;
  private static DynamoDbClient client;

  private String table;
  private DynamoDbJobEventStore store;

  @BeforeAll
  static void startDynamoDb() {
    dynamo = EmbeddedDynamoDb.start(0);
    client = dynamo.client();
  }

  @AfterAll
  static void stopDynamoDb() {
    client.close();
    dynamo.close();
  }

  @BeforeEach
  void createTable() {
    table = "jobs-" + UUID.randomUUID();
    EmbeddedDynamoDb.createJobsTable(client, table);
    store = store(retry -> {});
  }

  private DynamoDbJobEventStore store(Backoff backoff) {
    return new DynamoDbJobEventStore(
        client, table, new JobStateMachine(PlatformCatalog.defaults()), Clock.systemUTC(), backoff);
  }

  private static long newJobId() {
    return JOB_IDS.incrementAndGet();
  }

  private static WorkflowJobEvent event(
      long jobId, EventKind kind, List<String> labels, String runner, String conclusion) {
    return new WorkflowJobEvent(
        UUID.randomUUID().toString(),
        kind,
        new JobKey(jobId, 1),
        555,
        "acme/widgets",
        "acme",
        42L,
        labels,
        runner == null ? null : 9L,
        runner,
        CREATED,
        conclusion);
  }

  private static WorkflowJobEvent event(long jobId, EventKind kind) {
    return switch (kind) {
      case WAITING, QUEUED -> event(jobId, kind, FARGATE, null, null);
      case IN_PROGRESS -> event(jobId, kind, FARGATE, "runner-" + jobId, null);
      case COMPLETED -> event(jobId, kind, FARGATE, "runner-" + jobId, "success");
    };
  }

  private Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    var response =
        client.getItem(
            GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build());
    return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
  }

  private Map<String, AttributeValue> jobItem(long jobId) {
    return item(JobsTable.jobKey(new JobKey(jobId, 1)));
  }

  private List<Map<String, AttributeValue>> partition(long jobId) {
    return client
        .query(
            QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(
                    Map.of(":pk", AttributeValue.fromS("JOB#" + new JobKey(jobId, 1).asString())))
                .consistentRead(true)
                .build())
        .items();
  }

  @Test
  void append_firstQueued_recordsDeliveryEventAndQueuedProjection() {
    long jobId = newJobId();
    WorkflowJobEvent queued = event(jobId, EventKind.QUEUED);

    Appended appended = store.append(queued);

    Map<String, AttributeValue> stored = jobItem(jobId);
    Job job = JobsTable.toJob(stored);
    assertThat(appended).isEqualTo(Appended.Recorded.of(job));
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.platform()).isEqualTo("fargate");
    assertThat(job.version()).isEqualTo(1);
    assertThat(stored.get(JobsTable.QUEUE_PK).s()).isEqualTo("fargate");
    assertThat(stored.get(JobsTable.QUEUE_SK).s())
        .isEqualTo(JobsTable.queueSortKey(CREATED, queued.key()));

    Map<String, AttributeValue> delivery = item(JobsTable.deliveryKey(queued.deliveryId()));
    assertThat(delivery.get(JobsTable.TYPE).s()).isEqualTo(JobsTable.TYPE_DELIVERY);
    assertThat(delivery.get(JobsTable.JOB_KEY).s()).isEqualTo(jobId + ":1");
    assertThat(delivery.get(DynamoDbJobEventStore.KIND).s()).isEqualTo("queued");
    assertThat(delivery).containsKeys(JobsTable.TTL, DynamoDbJobEventStore.RECEIVED_AT);

    Map<String, AttributeValue> eventItem = item(JobsTable.eventKey(queued.key(), "queued"));
    assertThat(eventItem.get(JobsTable.TYPE).s()).isEqualTo(JobsTable.TYPE_EVENT);
    assertThat(eventItem.get(DynamoDbJobEventStore.DELIVERY_ID).s()).isEqualTo(queued.deliveryId());
    assertThat(eventItem).containsKey(JobsTable.TTL);
  }

  @Test
  void append_whenSameDeliveryRedelivered_isDuplicateAndChangesNothing() {
    long jobId = newJobId();
    WorkflowJobEvent queued = event(jobId, EventKind.QUEUED);
    store.append(queued);
    Map<String, AttributeValue> before = jobItem(jobId);
    List<Map<String, AttributeValue>> partitionBefore = partition(jobId);

    Appended again = store.append(queued);

    assertThat(again).isInstanceOf(Appended.Duplicate.class);
    assertThat(((Appended.Duplicate) again).reason())
        .isEqualTo("delivery " + queued.deliveryId() + " seen before");
    assertThat(jobItem(jobId)).isEqualTo(before);
    assertThat(partition(jobId)).isEqualTo(partitionBefore);
  }

  @Test
  void append_whenRedeliveredAfterTheJobMoved_isStillDuplicate() {
    long jobId = newJobId();
    WorkflowJobEvent queued = event(jobId, EventKind.QUEUED);
    store.append(queued);
    store.append(event(jobId, EventKind.IN_PROGRESS));

    assertThat(store.append(queued)).isInstanceOf(Appended.Duplicate.class);
    assertThat(JobsTable.toJob(jobItem(jobId)).status()).isEqualTo(JobStatus.IN_PROGRESS);
  }

  @Test
  void append_sameJobAndKindFromAnotherDelivery_isDuplicate() {
    long jobId = newJobId();
    store.append(event(jobId, EventKind.QUEUED));
    Map<String, AttributeValue> before = jobItem(jobId);
    WorkflowJobEvent repeat = event(jobId, EventKind.QUEUED);

    Appended appended = store.append(repeat);

    assertThat(appended)
        .isEqualTo(new Appended.Duplicate("event " + jobId + ":1/queued seen before"));
    assertThat(jobItem(jobId)).isEqualTo(before);
    assertThat(item(JobsTable.deliveryKey(repeat.deliveryId())))
        .as("a refused event leaves no delivery behind")
        .isNull();
  }

  static Stream<List<EventKind>> permutations() {
    List<List<EventKind>> out = new ArrayList<>();
    permute(new ArrayList<>(List.of(EventKind.values())), 0, out);
    return out.stream();
  }

  private static void permute(List<EventKind> kinds, int from, List<List<EventKind>> out) {
    if (from == kinds.size()) {
      out.add(List.copyOf(kinds));
      return;
    }
    for (int i = from; i < kinds.size(); i++) {
      Collections.swap(kinds, from, i);
      permute(kinds, from + 1, out);
      Collections.swap(kinds, from, i);
    }
  }

  @Test
  void permutations_coverEveryOrderOfTheFourKinds() {
    assertThat(permutations().distinct()).hasSize(24);
  }

  @ParameterizedTest
  @MethodSource("permutations")
  void append_inAnyOrderWithDuplicates_convergesOnCompleted(List<EventKind> order) {
    long jobId = newJobId();
    List<WorkflowJobEvent> events = order.stream().map(k -> event(jobId, k)).toList();

    for (WorkflowJobEvent e : events) {
      assertThat(store.append(e)).isInstanceOf(Appended.Recorded.class);
    }
    for (WorkflowJobEvent e : events) {
      assertThat(store.append(e)).isInstanceOf(Appended.Duplicate.class);
    }

    Map<String, AttributeValue> stored = jobItem(jobId);
    Job job = JobsTable.toJob(stored);
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.ranOn()).isEqualTo("runner-" + jobId);
    assertThat(job.platform()).isEqualTo("fargate");
    assertThat(stored).doesNotContainKeys(JobsTable.QUEUE_PK, JobsTable.QUEUE_SK);
    assertThat(partition(jobId)).hasSize(5); // the job and one event per kind
  }

  /** The store on a client that counts its calls, by operation. */
  private DynamoDbJobEventStore counted(Map<String, Integer> calls) {
    DynamoDbClient counting =
        new DynamoDbClient() {
          @Override
          public GetItemResponse getItem(GetItemRequest request) {
            calls.merge("GetItem", 1, Integer::sum);
            return client.getItem(request);
          }

          @Override
          public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            calls.merge("TransactWriteItems", 1, Integer::sum);
            return client.transactWriteItems(request);
          }

          @Override
          public String serviceName() {
            return SERVICE_NAME;
          }

          @Override
          public void close() {}
        };
    return new DynamoDbJobEventStore(
        counting,
        table,
        new JobStateMachine(PlatformCatalog.defaults()),
        Clock.systemUTC(),
        retry -> {});
  }

  @Test
  void append_queuedOfANewJob_isOneWriteAndNoRead() {
    Map<String, Integer> calls = new TreeMap<>();

    Appended appended = counted(calls).append(event(newJobId(), EventKind.QUEUED));

    assertThat(((Appended.Recorded) appended).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(calls).containsExactly(Map.entry("TransactWriteItems", 1));
  }

  @Test
  void append_queuedAfterWaiting_foldsOnTheJobItsCancelledWriteReturned() {
    long jobId = newJobId();
    Map<String, Integer> calls = new TreeMap<>();
    DynamoDbJobEventStore store = counted(calls);
    store.append(event(jobId, EventKind.WAITING));
    calls.clear();

    Appended queued = store.append(event(jobId, EventKind.QUEUED));

    assertThat(((Appended.Recorded) queued).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(JobsTable.toJob(jobItem(jobId)).version()).isEqualTo(2);
    assertThat(calls)
        .as("no read: the first write bet on a new job and got the job back")
        .containsExactly(Map.entry("TransactWriteItems", 2));
  }

  @ParameterizedTest
  @EnumSource(EventKind.class)
  void append_firstEventOfAJob_isOneWriteAndNoRead(EventKind kind) {
    long jobId = newJobId();
    Map<String, Integer> calls = new TreeMap<>();

    Appended appended = counted(calls).append(event(jobId, kind));

    Job stored = JobsTable.toJob(jobItem(jobId));
    assertThat(appended).isEqualTo(Appended.Recorded.of(stored));
    assertThat(stored.status()).isEqualTo(kind.status());
    assertThat(stored.version()).isEqualTo(1);
    assertThat(stored)
        .as("as the fold makes a new job")
        .isEqualTo(
            new JobStateMachine(PlatformCatalog.defaults())
                .apply(null, event(jobId, kind), stored.updatedAt())
                .withVersion(1));
    assertThat(calls).containsExactly(Map.entry("TransactWriteItems", 1));
  }

  /** Each event of a job in GitHub's order, with the publisher's dispatch between. */
  @Test
  void append_jobInOrder_isOneWritePerEvent_andLeavesThePublishersFields() {
    long jobId = newJobId();
    Map<String, Integer> calls = new TreeMap<>();
    DynamoDbJobEventStore store = counted(calls);
    store.append(event(jobId, EventKind.QUEUED));
    Job queued = JobsTable.toJob(jobItem(jobId));
    Job dispatched = dispatch(queued, "fargate-runner-1");

    Map<EventKind, Map<String, Integer>> perKind = new java.util.LinkedHashMap<>();
    for (EventKind kind : List.of(EventKind.IN_PROGRESS, EventKind.COMPLETED)) {
      calls.clear();
      assertThat(store.append(event(jobId, kind))).isInstanceOf(Appended.Recorded.class);
      perKind.put(kind, new TreeMap<>(calls));
    }

    assertThat(perKind)
        .containsExactly(
            Map.entry(EventKind.IN_PROGRESS, Map.of("TransactWriteItems", 1)),
            Map.entry(EventKind.COMPLETED, Map.of("TransactWriteItems", 1)));
    Map<String, AttributeValue> stored = jobItem(jobId);
    Job job = JobsTable.toJob(stored);
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.ranOn()).isEqualTo("runner-" + jobId);
    assertThat(job.version()).isEqualTo(dispatched.version() + 2);
    assertThat(job.dispatchedRunner()).isEqualTo("fargate-runner-1");
    assertThat(job.dispatchCount()).isEqualTo(1);
    assertThat(job.queuedAt()).isEqualTo(queued.queuedAt());
    assertThat(stored).doesNotContainKeys(JobsTable.QUEUE_PK, JobsTable.QUEUE_SK);
  }

  @Test
  void append_inProgressOfAQueuedJob_isOneWrite_andTakesItOutOfTheQueueIndex() {
    long jobId = newJobId();
    Map<String, Integer> calls = new TreeMap<>();
    DynamoDbJobEventStore store = counted(calls);
    store.append(event(jobId, EventKind.QUEUED));
    calls.clear();

    Appended appended = store.append(event(jobId, EventKind.IN_PROGRESS));

    Map<String, AttributeValue> stored = jobItem(jobId);
    Job job = JobsTable.toJob(stored);
    assertThat(appended).isEqualTo(Appended.Recorded.of(job));
    assertThat(job.version()).isEqualTo(2);
    assertThat(job.ranOn()).isEqualTo("runner-" + jobId);
    assertThat(stored).doesNotContainKeys(JobsTable.QUEUE_PK, JobsTable.QUEUE_SK);
    assertThat(calls).containsExactly(Map.entry("TransactWriteItems", 1));
  }

  @Test
  void append_inProgressAfterCompleted_foldsOnTheReturnedJob_andMovesNothing() {
    long jobId = newJobId();
    Map<String, Integer> calls = new TreeMap<>();
    DynamoDbJobEventStore store = counted(calls);
    store.append(event(jobId, EventKind.COMPLETED));
    Map<String, AttributeValue> before = jobItem(jobId);
    calls.clear();

    Appended appended = store.append(event(jobId, EventKind.IN_PROGRESS));

    assertThat(appended).isEqualTo(Appended.Recorded.of(JobsTable.toJob(before)));
    assertThat(jobItem(jobId)).isEqualTo(before);
    assertThat(item(JobsTable.eventKey(new JobKey(jobId, 1), "in_progress"))).isNotNull();
    assertThat(calls)
        .as("the lost guess returned the job: no read")
        .containsExactly(Map.entry("TransactWriteItems", 2));
  }

  @Test
  void append_completedOfAJobOnAnotherPlatform_foldsOnTheStoredJob() {
    long jobId = newJobId();
    store.append(event(jobId, EventKind.QUEUED));
    // The job as stored says another platform (the catalog changed meanwhile): the fold keeps it.
    Map<String, AttributeValue> elsewhere = new java.util.HashMap<>(jobItem(jobId));
    elsewhere.put(JobsTable.PLATFORM, AttributeValue.fromS("ec2-linux-x64"));
    client.putItem(b -> b.tableName(table).item(elsewhere));
    long version = JobsTable.toJob(elsewhere).version();

    Appended appended = store.append(event(jobId, EventKind.COMPLETED));

    Job job = JobsTable.toJob(jobItem(jobId));
    assertThat(appended).isEqualTo(Appended.Recorded.of(job));
    assertThat(job.platform()).isEqualTo("ec2-linux-x64");
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.version()).isEqualTo(version + 1);
  }

  /** The publisher's dispatch of {@code job}: its own fields, on the job's version. */
  private Job dispatch(Job job, String runner) {
    client.updateItem(
        b ->
            b.tableName(table)
                .key(JobsTable.jobKey(job.key()))
                .updateExpression(
                    "SET #s = :d, #r = :r, #c = #c + :one, #v = #v + :one REMOVE qpk, qsk")
                .conditionExpression("#v = :v")
                .expressionAttributeNames(
                    Map.of(
                        "#s", JobsTable.STATUS,
                        "#r", JobsTable.DISPATCHED_RUNNER,
                        "#c", JobsTable.DISPATCH_COUNT,
                        "#v", JobsTable.VERSION))
                .expressionAttributeValues(
                    Map.of(
                        ":d", AttributeValue.fromS(JobStatus.DISPATCHED.name()),
                        ":r", AttributeValue.fromS(runner),
                        ":one", JobsTable.n(1),
                        ":v", JobsTable.n(job.version()))));
    return JobsTable.toJob(jobItem(job.key().jobId()));
  }

  @Test
  void append_completedBeforeQueued_staysCompleted() {
    long jobId = newJobId();

    Appended completed = store.append(event(jobId, EventKind.COMPLETED));
    Appended queued = store.append(event(jobId, EventKind.QUEUED));

    assertThat(((Appended.Recorded) completed).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(queued).isInstanceOf(Appended.Recorded.class);
    assertThat(((Appended.Recorded) queued).status()).isEqualTo(JobStatus.COMPLETED);
    Map<String, AttributeValue> stored = jobItem(jobId);
    assertThat(JobsTable.toJob(stored).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(JobsTable.toJob(stored).version()).as("the late queued moved nothing").isEqualTo(1);
    assertThat(stored).doesNotContainKey(JobsTable.QUEUE_PK);
    assertThat(item(JobsTable.eventKey(new JobKey(jobId, 1), "queued"))).isNotNull();
  }

  @Test
  void append_queuedWithJobStatusWaiting_isWaitingOutsideTheQueueIndex() {
    long jobId = newJobId();
    EventKind kind = EventKind.classify("queued", "waiting").orElseThrow();

    Appended appended = store.append(event(jobId, kind));

    assertThat(((Appended.Recorded) appended).status()).isEqualTo(JobStatus.WAITING);
    Map<String, AttributeValue> stored = jobItem(jobId);
    assertThat(stored.get(JobsTable.STATUS).s()).isEqualTo("WAITING");
    assertThat(stored).doesNotContainKeys(JobsTable.QUEUE_PK, JobsTable.QUEUE_SK);

    store.append(event(jobId, EventKind.QUEUED));

    Map<String, AttributeValue> queued = jobItem(jobId);
    assertThat(queued.get(JobsTable.STATUS).s()).isEqualTo("QUEUED");
    assertThat(queued.get(JobsTable.QUEUE_PK).s()).isEqualTo("fargate");
    assertThat(JobsTable.toJob(queued).version()).isEqualTo(2);
  }

  @Test
  void append_githubHostedLabels_recordsIgnoredJob() {
    long jobId = newJobId();

    Appended appended =
        store.append(event(jobId, EventKind.QUEUED, List.of("ubuntu-latest"), null, null));

    Appended.Recorded job = (Appended.Recorded) appended;
    assertThat(job.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(job.platform()).isNull();
    Map<String, AttributeValue> stored = jobItem(jobId);
    assertThat(stored.get(JobsTable.STATUS).s()).isEqualTo("IGNORED");
    assertThat(stored).doesNotContainKeys(JobsTable.PLATFORM, JobsTable.QUEUE_PK);

    store.append(event(jobId, EventKind.COMPLETED, List.of("ubuntu-latest"), "GitHub 5", "ok"));
    assertThat(JobsTable.toJob(jobItem(jobId)).status()).isEqualTo(JobStatus.IGNORED);
  }

  @Test
  void append_queuedJobs_areReadableOldestFirstFromTheQueueIndex() {
    long older = newJobId();
    long newer = newJobId();
    store.append(
        new WorkflowJobEvent(
            UUID.randomUUID().toString(),
            EventKind.QUEUED,
            new JobKey(newer, 1),
            1,
            "acme/widgets",
            null,
            null,
            FARGATE,
            null,
            null,
            CREATED.plusSeconds(60),
            null));
    store.append(event(older, EventKind.QUEUED));

    List<Map<String, AttributeValue>> queue =
        client
            .query(
                QueryRequest.builder()
                    .tableName(table)
                    .indexName(JobsTable.QUEUE_INDEX)
                    .keyConditionExpression("qpk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("fargate")))
                    .build())
            .items();

    assertThat(queue)
        .extracting(i -> JobsTable.toJob(i).key().jobId())
        .containsExactly(older, newer);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void append_concurrentEventsForOneJob_loseNoUpdate() throws Exception {
    int jobs = 12;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Long> jobIds = new ArrayList<>();
      List<Future<Appended>> results = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int j = 0; j < jobs; j++) {
        long jobId = newJobId();
        jobIds.add(jobId);
        for (EventKind kind : EventKind.values()) {
          WorkflowJobEvent e = event(jobId, kind);
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    // No pause between retries: every lost race means another writer moved the job,
                    // so
                    // four writers on one job need at most four attempts, well inside the bound.
                    return store.append(e);
                  }));
        }
      }
      start.countDown();

      for (Future<Appended> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(Appended.Recorded.class);
      }
      for (long jobId : jobIds) {
        Job job = JobsTable.toJob(jobItem(jobId));
        assertThat(job.status()).as("job %s", jobId).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.ranOn()).as("job %s", jobId).isEqualTo("runner-" + jobId);
        assertThat(partition(jobId)).as("job %s", jobId).hasSize(5);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void append_whenDeliveryKeyIs2049Bytes_answersTooLargeAndWritesNothing() {
    // "DELIVERY#" is 9 bytes: the partition key is one byte over DynamoDB's 2048.
    String delivery = "d".repeat(ItemSize.MAX_PARTITION_KEY_BYTES + 1 - "DELIVERY#".length());
    long jobId = newJobId();
    WorkflowJobEvent queued = event(jobId, EventKind.QUEUED);
    WorkflowJobEvent event =
        new WorkflowJobEvent(
            delivery,
            queued.kind(),
            queued.key(),
            queued.runId(),
            queued.repository(),
            queued.organization(),
            queued.installationId(),
            queued.labels(),
            null,
            null,
            queued.createdAt(),
            null);

    Appended appended = store.append(event);

    assertThat(appended)
        .isEqualTo(
            new Appended.TooLarge(
                "key attribute pk of item delivery is 2049 bytes, over DynamoDB's 2048"));
    assertThat(store.oversize(event)).contains(((Appended.TooLarge) appended).reason());
    assertThat(client.scan(b -> b.tableName(table)).items()).isEmpty();
  }

  @Test
  void oversize_whenEveryItemFits_isEmpty() {
    assertThat(store.oversize(event(newJobId(), EventKind.COMPLETED))).isEmpty();
  }
}
