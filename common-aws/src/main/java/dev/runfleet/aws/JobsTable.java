package dev.runfleet.aws;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The jobs table contract shared by every stage: key layout, attribute names, the FIFO queue index,
 * and the mapping between items and the domain's {@link Job} and {@link Runner}. Terraform creates
 * the same table; a test compares the two.
 *
 * <pre>
 * item        pk                       sk              notes
 * job         JOB#&lt;jobId&gt;:&lt;attempt&gt;    JOB             projection; qpk/qsk only while QUEUED (sparse index);
 *                                                      ignoredReason (no-platform | not-allowed) only while IGNORED
 * event       JOB#&lt;jobId&gt;:&lt;attempt&gt;    EVENT#&lt;kind&gt;    one per (job, attempt, kind): the event log
 * delivery    DELIVERY#&lt;guid&gt;          DELIVERY        one per X-GitHub-Delivery
 * runner      RUNNER#&lt;name&gt;            RUNNER          owner record; holds a slot until slotReleased;
 *                                                      githubRunnerId + jitSecret (a name) once a JIT config is minted
 * released    RUNNER#&lt;name&gt;            RELEASED        marker: the slot of a runner removed by TTL was given back
 * counter     SLOTS#&lt;platform|global&gt;  SLOTS           inFlight
 * budget      BUDGET#launch            BUDGET          tat: next spin-up's theoretical arrival time (GCRA);
 *                                                      wakeAt: when the one pending wake-up of the publisher is due
 * dispatcher  DISPATCHER#fleet         DISPATCHER      the one dispatch pass of the fleet: leaseOwner, leaseUntil (epoch
 *                                                      µs) while a pass runs; passRequests counts the passes asked for
 * scan        REDELIVERY#scan          REDELIVERY      the reconciler's place in the App's delivery log: watermark,
 *                                                      scanTop, cursor (resume point), version
 * asked       REDELIVERY#&lt;guid&gt;        ASKED           the reconciler asked GitHub to redeliver this guid (outcome); TTL
 * </pre>
 *
 * <p>Two indexes: {@link #QUEUE_INDEX} (queued jobs per platform, oldest first; idle runners) and
 * {@link #STATUS_INDEX} (jobs and runners by their {@code status}, which the reconciler reads for
 * the live states: a partition holds at most as many items as runners may be in flight).
 */
public final class JobsTable {

  public static final String PK = "pk";
  public static final String SK = "sk";
  public static final String TYPE = "type";
  public static final String TTL = "ttl";

  /** The FIFO index: partition = platform, sort = zero-padded queue time then job key. Sparse. */
  public static final String QUEUE_INDEX = "queue-index";

  public static final String QUEUE_PK = "qpk";
  public static final String QUEUE_SK = "qsk";

  /**
   * Jobs and runners by status: partition = {@link #STATUS} (job and runner statuses never share a
   * name), sort = {@link #PK}. Every job and runner item is in it without any writer setting an
   * index attribute, so no transition can leave an item out; events, deliveries and counters carry
   * no status and are not.
   */
  public static final String STATUS_INDEX = "status-index";

  public static final String SK_JOB = "JOB";
  public static final String SK_DELIVERY = "DELIVERY";
  public static final String SK_RUNNER = "RUNNER";
  public static final String SK_SLOTS = "SLOTS";
  public static final String SK_RELEASED = "RELEASED";
  public static final String SK_BUDGET = "BUDGET";
  public static final String SK_DISPATCHER = "DISPATCHER";
  public static final String SK_EVENT_PREFIX = "EVENT#";
  public static final String SK_REDELIVERY = "REDELIVERY";
  public static final String SK_REDELIVERY_ASKED = "ASKED";

  public static final String TYPE_JOB = "job";
  public static final String TYPE_EVENT = "event";
  public static final String TYPE_DELIVERY = "delivery";
  public static final String TYPE_RUNNER = "runner";
  public static final String TYPE_SLOTS = "slots";
  public static final String TYPE_RELEASED = "released";
  public static final String TYPE_BUDGET = "budget";
  public static final String TYPE_DISPATCHER = "dispatcher";

  public static final String GLOBAL = "global";

  // job attributes
  public static final String JOB_ID = "jobId";
  public static final String RUN_ATTEMPT = "runAttempt";
  public static final String RUN_ID = "runId";
  public static final String REPOSITORY = "repository";
  public static final String ORGANIZATION = "organization";
  public static final String INSTALLATION_ID = "installationId";
  public static final String LABELS = "labels";
  public static final String PLATFORM = "platform";
  public static final String STATUS = "status";

  /**
   * Why an IGNORED job is ignored ({@link IgnoredReason#wireName()}). Items written before it
   * existed were all {@code no-platform}, which is what reading one without it gives.
   */
  public static final String IGNORED_REASON = "ignoredReason";

  public static final String QUEUED_AT = "queuedAt";
  public static final String DISPATCHED_RUNNER = "dispatchedRunner";
  public static final String RAN_ON = "ranOn";
  public static final String DISPATCH_COUNT = "dispatchCount";
  public static final String VERSION = "version";
  public static final String UPDATED_AT = "updatedAt";

  // runner attributes
  public static final String NAME = "name";
  public static final String JOB_KEY = "jobKey";
  public static final String HOST_ID = "hostId";
  public static final String GITHUB_RUNNER_ID = "githubRunnerId";
  public static final String SLOT_RELEASED = "slotReleased";
  public static final String DETAIL = "detail";
  public static final String CREATED_AT = "createdAt";

  /** The hand-over secret's name (a reference to the JIT config, never the config itself). */
  public static final String JIT_SECRET = "jitSecret";

  // counter attributes
  public static final String IN_FLIGHT = "inFlight";

  // launch budget attributes: the theoretical arrival time of the next spin-up, epoch microseconds
  public static final String TAT = "tat";

  // on the budget item: when the publisher's one pending wake-up is due, epoch microseconds
  public static final String WAKE_AT = "wakeAt";

  // dispatcher attributes: who runs the fleet's one dispatch pass, until when, and how many passes
  // were asked for (a pass that finds the count moved when it lets go passes again)
  public static final String LEASE_OWNER = "leaseOwner";
  public static final String LEASE_UNTIL = "leaseUntil";
  public static final String PASS_REQUESTS = "passRequests";

  /**
   * How long items live after their last change: far beyond GitHub's 24 h queue limit, short enough
   * to stay small.
   */
  public static final Duration RETENTION = Duration.ofDays(7);

  private JobsTable() {}

  public static Map<String, AttributeValue> jobKey(JobKey key) {
    return key("JOB#" + key.asString(), SK_JOB);
  }

  public static Map<String, AttributeValue> eventKey(JobKey key, String kind) {
    return key("JOB#" + key.asString(), SK_EVENT_PREFIX + kind);
  }

  public static Map<String, AttributeValue> deliveryKey(String deliveryId) {
    return key("DELIVERY#" + deliveryId, SK_DELIVERY);
  }

  public static Map<String, AttributeValue> runnerKey(String runnerName) {
    return key("RUNNER#" + runnerName, SK_RUNNER);
  }

  /**
   * The marker that the slot of runner {@code runnerName}, removed by TTL while it held one, was
   * given back; it outlives the stream's 24 hours, so a redelivered removal finds it.
   */
  public static Map<String, AttributeValue> releasedMarkerKey(String runnerName) {
    return key("RUNNER#" + runnerName, SK_RELEASED);
  }

  /** The fleet's launch-rate budget, shared by every publisher. */
  public static Map<String, AttributeValue> launchBudgetKey() {
    return key("BUDGET#launch", SK_BUDGET);
  }

  /** The fleet's one dispatch pass: its lease and the count of passes asked for. */
  public static Map<String, AttributeValue> dispatcherKey() {
    return key("DISPATCHER#fleet", SK_DISPATCHER);
  }

  /** The reconciler's one item of progress through the App's webhook delivery log. */
  public static Map<String, AttributeValue> redeliveryScanKey() {
    return key("REDELIVERY#scan", SK_REDELIVERY);
  }

  /** The note that the reconciler asked GitHub to redeliver {@code guid}. */
  public static Map<String, AttributeValue> redeliveryAskedKey(String guid) {
    return key("REDELIVERY#" + guid, SK_REDELIVERY_ASKED);
  }

  public static Map<String, AttributeValue> slotsKey(String platformOrGlobal) {
    return key("SLOTS#" + platformOrGlobal, SK_SLOTS);
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, s(pk), SK, s(sk));
  }

  /**
   * The queue-index partition of a platform's runners without a job: a runner item carries qpk/qsk
   * only while it waits for work (sparse), sorted by when it began to wait.
   */
  public static String idlePartition(String platform) {
    return "IDLE#" + platform;
  }

  public static String idleSortKey(Instant since, String runnerName) {
    return String.format("%015d", since.toEpochMilli()) + "#" + runnerName;
  }

  /** The queue index sort key: zero-padded epoch millis, then the job key as tie-break. */
  public static String queueSortKey(Instant queuedAt, JobKey key) {
    return String.format(
        "%013d#%020d#%05d", queuedAt.toEpochMilli(), key.jobId(), key.runAttempt());
  }

  public static long ttl(Instant now) {
    return now.plus(RETENTION).getEpochSecond();
  }

  // ---- job ----

  /** The full item for {@code job}; queue index attributes only while it is QUEUED. */
  public static Map<String, AttributeValue> jobItem(Job job) {
    Map<String, AttributeValue> item = new HashMap<>(jobKey(job.key()));
    item.put(TYPE, s(TYPE_JOB));
    item.put(JOB_ID, n(job.key().jobId()));
    item.put(RUN_ATTEMPT, n(job.key().runAttempt()));
    item.put(RUN_ID, n(job.runId()));
    item.put(REPOSITORY, s(job.repository()));
    putIfPresent(item, ORGANIZATION, job.organization());
    if (job.installationId() != null) {
      item.put(INSTALLATION_ID, n(job.installationId()));
    }
    item.put(LABELS, AttributeValue.fromL(job.labels().stream().map(JobsTable::s).toList()));
    putIfPresent(item, PLATFORM, job.platform());
    item.put(STATUS, s(job.status().name()));
    if (job.ignoredReason() != null) {
      item.put(IGNORED_REASON, s(job.ignoredReason().wireName()));
    }
    item.put(QUEUED_AT, n(job.queuedAt().toEpochMilli()));
    putIfPresent(item, DISPATCHED_RUNNER, job.dispatchedRunner());
    putIfPresent(item, RAN_ON, job.ranOn());
    item.put(DISPATCH_COUNT, n(job.dispatchCount()));
    item.put(VERSION, n(job.version()));
    item.put(UPDATED_AT, n(job.updatedAt().toEpochMilli()));
    item.put(TTL, n(ttl(job.updatedAt())));
    if (job.status() == JobStatus.QUEUED) {
      item.put(QUEUE_PK, s(job.platform()));
      item.put(QUEUE_SK, s(queueSortKey(job.queuedAt(), job.key())));
    }
    return item;
  }

  public static Job toJob(Map<String, AttributeValue> item) {
    JobStatus status = JobStatus.valueOf(str(item, STATUS));
    return new Job(
        new JobKey(num(item, JOB_ID), (int) num(item, RUN_ATTEMPT)),
        num(item, RUN_ID),
        str(item, REPOSITORY),
        optStr(item, ORGANIZATION).orElse(null),
        item.containsKey(INSTALLATION_ID) ? num(item, INSTALLATION_ID) : null,
        item.containsKey(LABELS)
            ? item.get(LABELS).l().stream().map(AttributeValue::s).toList()
            : List.of(),
        optStr(item, PLATFORM).orElse(null),
        status,
        status != JobStatus.IGNORED
            ? null
            : optStr(item, IGNORED_REASON)
                .map(IgnoredReason::fromWireName)
                .orElse(IgnoredReason.NO_PLATFORM),
        Instant.ofEpochMilli(num(item, QUEUED_AT)),
        optStr(item, DISPATCHED_RUNNER).orElse(null),
        optStr(item, RAN_ON).orElse(null),
        (int) num(item, DISPATCH_COUNT),
        num(item, VERSION),
        Instant.ofEpochMilli(num(item, UPDATED_AT)));
  }

  // ---- runner ----

  public static Map<String, AttributeValue> runnerItem(Runner runner) {
    Map<String, AttributeValue> item = new HashMap<>(runnerKey(runner.name()));
    item.put(TYPE, s(TYPE_RUNNER));
    item.put(NAME, s(runner.name()));
    item.put(PLATFORM, s(runner.platform()));
    if (runner.jobKey() != null) {
      item.put(JOB_KEY, s(runner.jobKey().asString()));
    }
    item.put(REPOSITORY, s(runner.scope().repository()));
    putIfPresent(item, ORGANIZATION, runner.scope().organization());
    if (runner.scope().installationId() != null) {
      item.put(INSTALLATION_ID, n(runner.scope().installationId()));
    }
    item.put(STATUS, s(runner.status().name()));
    putIfPresent(item, HOST_ID, runner.hostId());
    if (runner.githubRunnerId() != null) {
      item.put(GITHUB_RUNNER_ID, n(runner.githubRunnerId()));
    }
    item.put(SLOT_RELEASED, AttributeValue.fromBool(runner.slotReleased()));
    putIfPresent(item, DETAIL, runner.detail());
    putIfPresent(item, JIT_SECRET, runner.jitSecret());
    item.put(CREATED_AT, n(runner.createdAt().toEpochMilli()));
    item.put(UPDATED_AT, n(runner.updatedAt().toEpochMilli()));
    item.put(TTL, n(ttl(runner.updatedAt())));
    return item;
  }

  public static Runner toRunner(Map<String, AttributeValue> item) {
    return new Runner(
        str(item, NAME),
        str(item, PLATFORM),
        optStr(item, JOB_KEY).map(JobKey::parse).orElse(null),
        new GitHubScope(
            optStr(item, ORGANIZATION).orElse(null),
            str(item, REPOSITORY),
            item.containsKey(INSTALLATION_ID) ? num(item, INSTALLATION_ID) : null),
        RunnerStatus.valueOf(str(item, STATUS)),
        optStr(item, HOST_ID).orElse(null),
        item.containsKey(GITHUB_RUNNER_ID) ? num(item, GITHUB_RUNNER_ID) : null,
        item.containsKey(SLOT_RELEASED) && Boolean.TRUE.equals(item.get(SLOT_RELEASED).bool()),
        optStr(item, DETAIL).orElse(null),
        Instant.ofEpochMilli(num(item, CREATED_AT)),
        Instant.ofEpochMilli(num(item, UPDATED_AT)),
        optStr(item, JIT_SECRET).orElse(null));
  }

  /** The item's type attribute, or empty for items that carry none. */
  public static Optional<String> typeOf(Map<String, AttributeValue> item) {
    return item == null ? Optional.empty() : optStr(item, TYPE);
  }

  // ---- table ----

  /**
   * The table as Terraform creates it: on-demand, stream with both images, the sparse queue index.
   */
  public static CreateTableRequest createTableRequest(String tableName) {
    return CreateTableRequest.builder()
        .tableName(tableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(attr(PK), attr(SK), attr(QUEUE_PK), attr(QUEUE_SK), attr(STATUS))
        .keySchema(
            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
        .globalSecondaryIndexes(
            GlobalSecondaryIndex.builder()
                .indexName(QUEUE_INDEX)
                .keySchema(
                    KeySchemaElement.builder()
                        .attributeName(QUEUE_PK)
                        .keyType(KeyType.HASH)
                        .build(),
                    KeySchemaElement.builder()
                        .attributeName(QUEUE_SK)
                        .keyType(KeyType.RANGE)
                        .build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build(),
            GlobalSecondaryIndex.builder()
                .indexName(STATUS_INDEX)
                .keySchema(
                    KeySchemaElement.builder().attributeName(STATUS).keyType(KeyType.HASH).build(),
                    KeySchemaElement.builder().attributeName(PK).keyType(KeyType.RANGE).build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build())
        .streamSpecification(
            StreamSpecification.builder()
                .streamEnabled(true)
                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                .build())
        .build();
  }

  private static AttributeDefinition attr(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  // ---- attribute helpers ----

  public static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  public static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  public static String str(Map<String, AttributeValue> item, String name) {
    return optStr(item, name)
        .orElseThrow(
            () -> new IllegalArgumentException("item lacks " + name + ": " + item.get(PK)));
  }

  public static Optional<String> optStr(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
  }

  public static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.n() == null) {
      throw new IllegalArgumentException("item lacks number " + name + ": " + item.get(PK));
    }
    return Long.parseLong(v.n());
  }
}
