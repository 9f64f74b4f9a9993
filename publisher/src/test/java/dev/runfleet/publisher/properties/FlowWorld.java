package dev.runfleet.publisher.properties;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.publisher.adapter.DynamoDbFlowControlStore;
import dev.runfleet.publisher.flow.Change;
import dev.runfleet.publisher.flow.FlowController;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;

/**
 * One try's world: a fresh jobs table on the class's embedded DynamoDB, the real store behind a
 * {@link RecordingStore}, operator knobs, and the simulated rest of the pipeline (GitHub queueing,
 * running and cancelling jobs; orchestrators stopping and failing runners), each of whose writes is
 * fed to a publisher as the stream change it commits.
 */
final class FlowWorld implements AutoCloseable {

  static final PlatformCatalog CATALOG = PlatformCatalog.defaults();
  static final List<String> PLATFORMS = CATALOG.names();
  static final int MAX_LAUNCH_ATTEMPTS = 3;

  /** DynamoDB's bound on one TransactGetItems, the only atomic multi-item read. */
  private static final int MAX_ATOMIC_READ = 100;

  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Telemetry TELEMETRY = new Telemetry("publisher-properties");

  private final DynamoDbClient client;
  private final String table;
  private final TunableSettings settings = new TunableSettings();
  private final MonotonicClock clock = new MonotonicClock();
  private final RecordingStore store;
  private final List<RunnerCommand> published = Collections.synchronizedList(new ArrayList<>());
  private final List<Change> history = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong sequence = new AtomicLong();
  private final int runnersPerJob;
  private final ReadWriteLock snapshotGate = new ReentrantReadWriteLock();

  /**
   * @param runnersPerJob how many runners a job may be given over its life (launch failures give a
   *     job another one); their names are known in advance so a snapshot can read them all
   */
  FlowWorld(DynamoDbClient client, String purpose, int runnersPerJob) {
    this.client = client;
    this.table = "props-" + purpose + "-" + TABLES.incrementAndGet();
    this.runnersPerJob = runnersPerJob;
    EmbeddedDynamoDb.createJobsTable(client, table);
    this.store =
        new RecordingStore(new DynamoDbFlowControlStore(client, table), settings, clock::nanos);
  }

  TunableSettings settings() {
    return settings;
  }

  RecordingStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  /** A publisher invocation: the real controller over the shared table. */
  FlowController publisher() {
    return new FlowController(
        store,
        published::add,
        (at, now) -> {},
        CATALOG,
        settings,
        TELEMETRY,
        clock,
        MAX_LAUNCH_ATTEMPTS,
        java.time.Duration.ofMinutes(10));
  }

  List<RunnerCommand> published() {
    synchronized (published) {
      return List.copyOf(published);
    }
  }

  /** Every change fed to a publisher so far, in feeding order. */
  List<Change> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  // ---- GitHub's side ----

  /** GitHub queues a job: the producer's write, without telling any publisher yet. */
  Job queue(long jobId, String platform, long queuedAtMillis) {
    Job job =
        new Job(
            new JobKey(jobId, 1),
            9,
            "octo/repo",
            "octo",
            1L,
            List.of("self-hosted"),
            platform,
            JobStatus.QUEUED,
            null,
            T0.plusMillis(queuedAtMillis),
            null,
            null,
            0,
            1,
            T0);
    // A snapshot reads the runner names known when it starts: the job must not become visible to
    // publishers between a snapshot's listing of names and its read.
    snapshotGate.writeLock().lock();
    try {
      for (int n = 1; n <= runnersPerJob; n++) {
        store.expectRunner(Runner.nameFor(platform, job.key(), n));
      }
      client.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(JobsTable.jobItem(job))
              .conditionExpression("attribute_not_exists(#pk)")
              .expressionAttributeNames(Map.of("#pk", JobsTable.PK))
              .build());
    } finally {
      snapshotGate.writeLock().unlock();
    }
    return job;
  }

  /** The stream change of a job just queued. */
  Change queued(Job job) {
    return new Change.JobChanged(nextSequence(), null, job);
  }

  /**
   * GitHub cancels a job still waiting in the queue.
   *
   * @return the change, to feed to a publisher, or empty when the job was no longer queued
   */
  Optional<Change> cancelQueued(JobKey key) {
    Job before = job(key).orElseThrow();
    if (before.status() != JobStatus.QUEUED) {
      return Optional.empty();
    }
    Job after = bump(before.withStatus(JobStatus.COMPLETED, clock.instant()));
    if (!putJob(after, before)) {
      return Optional.empty();
    }
    return Optional.of(new Change.JobChanged(nextSequence(), before, after));
  }

  /**
   * GitHub runs a job on one of our runners, which need not be the runner requested for it: GitHub
   * gives an idle runner any queued job its labels satisfy. Written as the producer writes it, from
   * whatever state the job is in (a publisher may dispatch it meanwhile), and fed to {@code via}.
   *
   * @return false when the job already runs or ended, or the runner is no longer idle
   */
  boolean runOn(JobKey key, String runnerName, FlowController via) {
    for (int attempt = 0; attempt < 5; attempt++) {
      Job before = job(key).orElseThrow();
      Runner runner = runner(runnerName).orElseThrow();
      if ((before.status() != JobStatus.QUEUED && before.status() != JobStatus.DISPATCHED)
          || (runner.status() != RunnerStatus.REQUESTED
              && runner.status() != RunnerStatus.LAUNCHED)) {
        return false;
      }
      Job running =
          bump(before.withStatus(JobStatus.IN_PROGRESS, clock.instant()).withRanOn(runnerName));
      if (putJob(running, before)) {
        feed(via, List.of(new Change.JobChanged(nextSequence(), before, running)));
        return true;
      }
    }
    store.problem("job " + key + " kept changing under GitHub's in_progress");
    return false;
  }

  /**
   * The runner's job runs to completion (on it, if it was still waiting for its job), and the
   * orchestrator stops the runner: the stream changes fed in order to {@code via}. False when the
   * runner has no job to run.
   */
  boolean runAndStop(String runnerName, FlowController via) {
    Runner runner = runner(runnerName).orElseThrow();
    if (runner.status().isTerminal() || runner.jobKey() == null) {
      return false;
    }
    Job job = job(runner.jobKey()).orElseThrow();
    boolean waiting =
        job.status() == JobStatus.DISPATCHED && runnerName.equals(job.dispatchedRunner());
    boolean running = job.status() == JobStatus.IN_PROGRESS && runnerName.equals(job.ranOn());
    if (waiting && !runOn(job.key(), runnerName, via)) {
      return false;
    }
    if (!waiting && !running) {
      return false;
    }
    Job started = job(runner.jobKey()).orElseThrow();
    Job completed = bump(started.withStatus(JobStatus.COMPLETED, clock.instant()));
    if (started.status() != JobStatus.IN_PROGRESS || !putJob(completed, started)) {
      store.problem("job " + started.key() + " changed under a running job");
      return false;
    }
    feed(via, List.of(new Change.JobChanged(nextSequence(), started, completed)));
    return end(runnerName, RunnerStatus.STOPPED, via);
  }

  /** The orchestrator gives up launching a runner (capacity, quota): FAILED, fed to {@code via}. */
  boolean failLaunch(String runnerName, FlowController via) {
    Runner runner = runner(runnerName).orElseThrow();
    if (runner.status() != RunnerStatus.REQUESTED) {
      return false;
    }
    return end(runnerName, RunnerStatus.FAILED, via);
  }

  private boolean end(String runnerName, RunnerStatus terminal, FlowController via) {
    Runner before = runner(runnerName).orElseThrow();
    Runner after =
        new Runner(
            before.name(),
            before.platform(),
            before.jobKey(),
            before.scope(),
            terminal,
            before.hostId(),
            before.githubRunnerId(),
            false,
            "ended by the test",
            before.createdAt(),
            clock.instant());
    try {
      client.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(JobsTable.runnerItem(after))
              .conditionExpression("#status = :status AND #released = :false")
              .expressionAttributeNames(
                  Map.of("#status", JobsTable.STATUS, "#released", JobsTable.SLOT_RELEASED))
              .expressionAttributeValues(
                  Map.of(
                      ":status", JobsTable.s(before.status().name()),
                      ":false", AttributeValue.fromBool(false)))
              .build());
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
    feed(via, List.of(new Change.RunnerChanged(nextSequence(), before, after)));
    return true;
  }

  /**
   * Feeds the stream changes of reservations committed since the last call (new runners, jobs
   * dispatched) to {@code via}.
   *
   * @return the runners those changes announced
   */
  List<String> feedCommitted(FlowController via) {
    List<Change> changes = new ArrayList<>();
    List<String> announced = new ArrayList<>();
    for (RecordingStore.Committed c : store.drainCommitted()) {
      if (c instanceof RecordingStore.Committed.RunnerCreated r) {
        changes.add(new Change.RunnerChanged(nextSequence(), null, r.runner()));
        announced.add(r.runner().name());
      } else if (c instanceof RecordingStore.Committed.JobDispatched j) {
        changes.add(new Change.JobChanged(nextSequence(), j.before(), j.after()));
      }
    }
    if (!changes.isEmpty()) {
      feed(via, changes);
    }
    return announced;
  }

  /**
   * Feeds a batch as the stream's event source mapping does: a batch that reports a failure is
   * retried from the failed change, a bounded number of times.
   */
  void feed(FlowController via, List<Change> changes) {
    history.addAll(changes);
    List<Change> remaining = changes;
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<String> failedAt = via.onChanges(remaining).failedAt();
      if (failedAt.isEmpty()) {
        return;
      }
      int from = 0;
      while (!remaining.get(from).sequenceNumber().equals(failedAt.get())) {
        from++;
      }
      remaining = remaining.subList(from, remaining.size());
    }
    store.problem("a batch failed five times from " + remaining.get(0));
  }

  private String nextSequence() {
    return Long.toString(sequence.incrementAndGet());
  }

  // ---- reads ----

  Optional<Job> job(JobKey key) {
    return store.job(key);
  }

  Optional<Runner> runner(String name) {
    return store.runner(name);
  }

  /**
   * Counters and runner records in one atomic read (TransactGetItems is serializable against
   * transactions), so invariants that relate them hold at the instant it read them, even while
   * publishers write.
   */
  Snapshot snapshot() {
    snapshotGate.readLock().lock();
    try {
      return snapshotOf(new ArrayList<>(store.expectedRunners()));
    } finally {
      snapshotGate.readLock().unlock();
    }
  }

  private Snapshot snapshotOf(List<String> names) {
    Collections.sort(names);
    List<String> counters = new ArrayList<>(PLATFORMS);
    counters.add(TunableSettings.GLOBAL);
    if (counters.size() + names.size() > MAX_ATOMIC_READ) {
      throw new IllegalStateException(
          "an atomic snapshot reads at most " + MAX_ATOMIC_READ + " items: queue fewer jobs");
    }
    List<TransactGetItem> gets = new ArrayList<>();
    for (String c : counters) {
      gets.add(get(JobsTable.slotsKey(c)));
    }
    for (String n : names) {
      gets.add(get(JobsTable.runnerKey(n)));
    }
    List<ItemResponse> responses = client.transactGetItems(b -> b.transactItems(gets)).responses();
    Map<String, Integer> inFlight = new TreeMap<>();
    for (int i = 0; i < counters.size(); i++) {
      Map<String, AttributeValue> item = responses.get(i).item();
      inFlight.put(
          counters.get(i),
          item == null || !item.containsKey(JobsTable.IN_FLIGHT)
              ? 0
              : (int) JobsTable.num(item, JobsTable.IN_FLIGHT));
    }
    List<Runner> runners = new ArrayList<>();
    for (int i = counters.size(); i < responses.size(); i++) {
      Map<String, AttributeValue> item = responses.get(i).item();
      if (item != null && !item.isEmpty()) {
        runners.add(JobsTable.toRunner(item));
      }
    }
    return new Snapshot(inFlight, runners);
  }

  private TransactGetItem get(Map<String, AttributeValue> key) {
    return TransactGetItem.builder().get(Get.builder().tableName(table).key(key).build()).build();
  }

  /** Every item of the table, keyed by pk and sk: for comparing whole states at quiescence. */
  Map<String, Map<String, AttributeValue>> items() {
    Map<String, Map<String, AttributeValue>> out = new TreeMap<>();
    client
        .scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
        .items()
        .forEach(
            item -> out.put(item.get(JobsTable.PK).s() + "|" + item.get(JobsTable.SK).s(), item));
    return out;
  }

  List<Job> jobs() {
    return items().values().stream()
        .filter(i -> JobsTable.typeOf(i).filter(JobsTable.TYPE_JOB::equals).isPresent())
        .map(JobsTable::toJob)
        .sorted(Comparator.comparing((Job j) -> j.key().jobId()))
        .toList();
  }

  List<Runner> runners() {
    return items().values().stream()
        .filter(i -> JobsTable.typeOf(i).filter(JobsTable.TYPE_RUNNER::equals).isPresent())
        .map(JobsTable::toRunner)
        .sorted(Comparator.comparing(Runner::name))
        .toList();
  }

  // ---- writes of the simulated pipeline ----

  private boolean putJob(Job after, Job before) {
    try {
      client.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(JobsTable.jobItem(after))
              .conditionExpression("#status = :status AND #version = :version")
              .expressionAttributeNames(
                  Map.of("#status", JobsTable.STATUS, "#version", JobsTable.VERSION))
              .expressionAttributeValues(
                  Map.of(
                      ":status", JobsTable.s(before.status().name()),
                      ":version", JobsTable.n(before.version())))
              .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static Job bump(Job job) {
    return job.withVersion(job.version() + 1);
  }

  @Override
  public void close() {
    client.deleteTable(b -> b.tableName(table));
  }

  /** The slot counters and the runner records, read at one instant. */
  record Snapshot(Map<String, Integer> inFlight, List<Runner> runners) {

    /**
     * Accounting: every counter equals the number of runner records that still hold a slot of it.
     */
    List<String> slotsMatchRunners() {
      List<String> violations = new ArrayList<>();
      Map<String, Integer> holding = new HashMap<>();
      for (Runner r : runners) {
        if (!r.slotReleased()) {
          holding.merge(r.platform(), 1, Integer::sum);
          holding.merge(TunableSettings.GLOBAL, 1, Integer::sum);
        }
      }
      inFlight.forEach(
          (name, count) -> {
            int held = holding.getOrDefault(name, 0);
            if (count != held) {
              violations.add(
                  name + " counter says " + count + " but " + held + " runners hold slots");
            }
          });
      return violations;
    }

    /** True when some platform has as many runners holding slots as its cap now allows. */
    boolean atCap(TunableSettings settings) {
      for (String platform : PLATFORMS) {
        long holding =
            runners.stream()
                .filter(r -> r.platform().equals(platform) && !r.slotReleased())
                .count();
        if (holding > 0 && holding >= settings.cap(platform)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The caps held: each reservation checked {@code inFlight < cap} with the cap its publisher
     * read, so among the runners still holding slots, the i-th reserved was reserved under a cap of
     * at least i. Order-free form: for every c, at most c of them were reserved under a cap ≤ c.
     * (The counters only fall when a runner's slot is released, so a runner still holding its slot
     * was counted by every reservation after it.) Sound while caps change at any moment, and
     * implies that the live runners never outnumber the highest cap in force during their
     * reservations.
     */
    List<String> capsHeld(RecordingStore store) {
      List<String> violations = new ArrayList<>();
      Map<String, List<Integer>> caps = new HashMap<>();
      for (Runner r : runners) {
        if (r.slotReleased()) {
          continue;
        }
        OptionalInt platformCap = store.platformCapOf(r.name());
        OptionalInt globalCap = store.globalCapOf(r.name());
        if (platformCap.isEmpty() || globalCap.isEmpty()) {
          violations.add("runner " + r.name() + " holds a slot no reservation asked for");
          continue;
        }
        caps.computeIfAbsent(r.platform(), p -> new ArrayList<>()).add(platformCap.getAsInt());
        caps.computeIfAbsent(TunableSettings.GLOBAL, p -> new ArrayList<>())
            .add(globalCap.getAsInt());
      }
      caps.forEach(
          (name, list) -> {
            Collections.sort(list);
            for (int i = 0; i < list.size(); i++) {
              if (list.get(i) < i + 1) {
                violations.add(
                    name
                        + ": "
                        + list.size()
                        + " runners hold slots, reserved under caps "
                        + list
                        + ", so "
                        + (i + 1)
                        + " of them were reserved under a cap below "
                        + (i + 1));
                break;
              }
            }
          });
      return violations;
    }
  }

  /**
   * Wall time that advances with {@link System#nanoTime()}, so test intervals and controller
   * instants agree.
   */
  static final class MonotonicClock extends Clock {
    private final Instant origin = Instant.now();
    private final long originNanos = System.nanoTime();

    long nanos() {
      return System.nanoTime();
    }

    @Override
    public Instant instant() {
      return origin.plusNanos(System.nanoTime() - originNanos);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the test clock is UTC only");
    }
  }
}
