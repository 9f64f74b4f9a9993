package dev.runfleet.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.ForwardingFlowControlStore;
import dev.runfleet.common.port.StoreRefusedException;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.common.port.WakeUps;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.publisher.adapter.DynamoDbFlowControlStore;
import dev.runfleet.publisher.adapter.StreamDecoder;
import dev.runfleet.publisher.flow.Change;
import dev.runfleet.publisher.flow.FlowController;
import dev.runfleet.publisher.flow.FlowSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Flow control against the embedded DynamoDB: the real store, a recording command bus. */
class FlowControllerTest {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final java.time.Duration IDLE = java.time.Duration.ofMinutes(10);

  private static EmbeddedDynamoDb ddb;
  private static DynamoDbClient client;

  private String table;
  private DynamoDbFlowControlStore store;
  private final List<RunnerCommand> published = Collections.synchronizedList(new ArrayList<>());
  private final CommandBus bus = published::add;
  private final List<Instant> wakeUpTimes = Collections.synchronizedList(new ArrayList<>());
  private final WakeUps wakeUps = (at, now) -> wakeUpTimes.add(at);
  private final PlatformCatalog catalog =
      PlatformCatalog.defaults()
          .withCaps(Map.of("fargate", 2, "ec2-linux-x64", 3, "ec2-linux-arm64", 1));
  private int globalCap = 100;
  private boolean paused;
  private RuntimeParameters.LaunchRate rate = new RuntimeParameters.LaunchRate(1000, 1000);
  private FlowController flow;
  private FlowSettings settings;

  @BeforeAll
  static void startDynamoDb() {
    ddb = EmbeddedDynamoDb.start(0);
    client = ddb.client();
  }

  @AfterAll
  static void stopDynamoDb() {
    client.close();
    ddb.close();
  }

  @BeforeEach
  void freshTable() {
    table = "jobs-flow-" + TABLES.incrementAndGet();
    EmbeddedDynamoDb.createJobsTable(client, table);
    store = new DynamoDbFlowControlStore(client, table);
    FlowSettings settings =
        new FlowSettings() {
          @Override
          public int platformCap(Platform platform) {
            return platform.cap();
          }

          @Override
          public int globalCap() {
            return globalCap;
          }

          @Override
          public boolean paused() {
            return paused;
          }

          @Override
          public RuntimeParameters.LaunchRate launchRate() {
            return rate;
          }
        };
    this.settings = settings;
    flow =
        new FlowController(
            store,
            bus,
            wakeUps,
            catalog,
            settings,
            new Telemetry("test"),
            Clock.systemUTC(),
            3,
            IDLE);
  }

  private Job queue(long id, String platform, int secondsAfterT0) {
    Job job =
        new Job(
            new JobKey(id, 1),
            9,
            "octo/repo",
            "octo",
            1L,
            List.of("self-hosted"),
            platform,
            JobStatus.QUEUED,
            null,
            T0.plusSeconds(secondsAfterT0),
            null,
            null,
            0,
            1,
            T0);
    client.putItem(b -> b.tableName(table).item(JobsTable.jobItem(job)));
    return job;
  }

  private Job job(long id) {
    return store.job(new JobKey(id, 1)).orElseThrow();
  }

  private List<Runner> runners() {
    List<Runner> out = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        client.scan(ScanRequest.builder().tableName(table).build()).items()) {
      if (JobsTable.typeOf(item).filter(JobsTable.TYPE_RUNNER::equals).isPresent()) {
        out.add(JobsTable.toRunner(item));
      }
    }
    return out;
  }

  private void becameQueued(Job job) {
    flow.onChanges(List.of(new Change.JobChanged("1", null, job)));
  }

  private void stop(String runnerName, RunnerStatus terminal) {
    stop(runnerName, terminal, flow);
  }

  private void stop(String runnerName, RunnerStatus terminal, FlowController by) {
    Runner before = store.runner(runnerName).orElseThrow();
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
            "test",
            before.createdAt(),
            Instant.now());
    client.putItem(b -> b.tableName(table).item(JobsTable.runnerItem(after)));
    by.onChanges(List.of(new Change.RunnerChanged("2", before, after)));
  }

  @Test
  void onChanges_whenAJobRanOnA3000CharacterRunnerName_skipsItAsPoisonAndHandlesTheRest() {
    String longName = "rf-" + "n".repeat(2_997);
    Job poison = queue(2, "fargate", 2).withStatus(JobStatus.IN_PROGRESS, T0).withRanOn(longName);
    Job later = queue(1, "fargate", 1);

    FlowController.BatchOutcome outcome =
        flow.onChanges(
            List.of(
                new Change.JobChanged("10", null, poison),
                new Change.JobChanged("11", null, later)));

    assertThat(outcome.failedAt()).isEmpty();
    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(runners()).anyMatch(r -> new JobKey(1, 1).equals(r.jobKey()));
  }

  @Test
  void handler_whenAStreamRecordCannotBeRead_skipsItAsPoisonAndDispatchesTheRest()
      throws java.io.IOException {
    Job queued = queue(1, "fargate", 1);
    String event =
        "{\"Records\":["
            + "{\"eventID\":\"e-1\",\"eventName\":\"INSERT\",\"dynamodb\":"
            + "{\"SequenceNumber\":\"100\",\"NewImage\":{\"pk\":{\"Q\":\"?\"}}}},"
            + "{\"eventID\":\"e-2\",\"eventName\":\"INSERT\",\"eventSourceARN\":\"arn:stream\","
            + "\"dynamodb\":{\"SequenceNumber\":\"101\",\"NewImage\":"
            + lambdaJson(JobsTable.jobItem(queued))
            + "}}]}";
    java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();

    new PublisherHandler(
            flow,
            new StreamDecoder(),
            new Telemetry("test"),
            new SnapStartPriming("nothing", () -> {}))
        .handleRequest(
            new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), answer, null);

    assertThat(answer.toString(StandardCharsets.UTF_8)).isEqualTo("{\"batchItemFailures\":[]}");
    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(runners()).anyMatch(r -> new JobKey(1, 1).equals(r.jobKey()));
  }

  /** An item as Lambda writes a stream record's image: DynamoDB's JSON, one type per value. */
  private static String lambdaJson(Map<String, AttributeValue> item) {
    return image(item).toString();
  }

  private static ObjectNode image(Map<String, AttributeValue> item) {
    ObjectNode image = JSON.createObjectNode();
    item.forEach((name, value) -> image.set(name, lambdaJson(value)));
    return image;
  }

  private static JsonNode lambdaJson(AttributeValue value) {
    ObjectNode node = JSON.createObjectNode();
    switch (value.type()) {
      case S -> node.put("S", value.s());
      case N -> node.put("N", value.n());
      case BOOL -> node.put("BOOL", value.bool());
      case NUL -> node.put("NULL", true);
      case SS -> value.ss().forEach(node.putArray("SS")::add);
      case NS -> value.ns().forEach(node.putArray("NS")::add);
      case L -> value.l().forEach(element -> node.withArray("L").add(lambdaJson(element)));
      case M -> node.set("M", image(value.m()));
      default -> throw new IllegalArgumentException("no test encoding for " + value.type());
    }
    return node;
  }

  @Test
  void runner_whenTheKeyIsPastDynamoDbsLimit_isRefusedForGood() {
    assertThatThrownBy(() -> store.runner("rf-" + "n".repeat(2_997)))
        .isInstanceOf(StoreRefusedException.class)
        .hasMessageContaining("key attribute pk of item (untyped) is 3007 bytes");
  }

  @Test
  void onChanges_whenTheStoreIsUnavailable_stopsAtThatChangeForARetry() {
    Job queued = queue(1, "fargate", 1);
    FlowController unavailable =
        new FlowController(
            new ForwardingFlowControlStore(store) {
              @Override
              public BusyMark markBusyIfFree(String runnerName, JobKey job, Instant now) {
                throw new StoreUnavailableException("throttled", null);
              }
            },
            bus,
            wakeUps,
            catalog,
            settings,
            new Telemetry("test"),
            Clock.systemUTC(),
            3,
            IDLE);

    FlowController.BatchOutcome outcome =
        unavailable.onChanges(
            List.of(
                new Change.JobChanged(
                    "20", null, queued.withStatus(JobStatus.IN_PROGRESS, T0).withRanOn("rf-x")),
                new Change.JobChanged("21", null, queued)));

    assertThat(outcome.failedAt()).contains("20");
  }

  @Test
  void dispatch_whenCapReached_leavesJobQueued() {
    for (int i = 1; i <= 5; i++) {
      queue(i, "fargate", i);
    }
    becameQueued(job(1));
    assertThat(store.inFlight("fargate")).isEqualTo(2);
    assertThat(store.inFlight("global")).isEqualTo(2);
    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(2).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(List.of(job(3).status(), job(4).status(), job(5).status()))
        .containsOnly(JobStatus.QUEUED);
    assertThat(runners()).hasSize(2).allMatch(r -> r.status() == RunnerStatus.REQUESTED);
  }

  @Test
  void onChanges_whenARunnerHoldingASlotIsRemovedByTtl_givesTheSlotBackOnceAndDispatches() {
    queue(1, "fargate", 1);
    queue(2, "fargate", 2);
    queue(3, "fargate", 3);
    becameQueued(job(1));
    assertThat(store.inFlight("fargate")).isEqualTo(2);
    Runner gone = store.runner(job(1).dispatchedRunner()).orElseThrow();
    client.deleteItem(b -> b.tableName(table).key(JobsTable.runnerKey(gone.name())));

    flow.onChanges(List.of(new Change.RunnerRemoved("30", gone)));

    // The slot came back and went at once to the oldest job still waiting.
    assertThat(store.inFlight("global")).isEqualTo(2);
    assertThat(job(3).status()).isEqualTo(JobStatus.DISPATCHED);
  }

  @Test
  void onChanges_whenTheSameRemovalIsDeliveredAgain_givesNothingBackTwice() {
    queue(1, "fargate", 1);
    becameQueued(job(1));
    Runner gone = store.runner(job(1).dispatchedRunner()).orElseThrow();
    client.deleteItem(b -> b.tableName(table).key(JobsTable.runnerKey(gone.name())));

    flow.onChanges(List.of(new Change.RunnerRemoved("30", gone)));
    flow.onChanges(List.of(new Change.RunnerRemoved("30", gone)));

    assertThat(store.inFlight("fargate")).isZero();
    assertThat(store.inFlight("global")).isZero();
  }

  @Test
  void onChanges_whenARemovedRunnerHadReleasedItsSlot_changesNothing() {
    queue(1, "fargate", 1);
    queue(2, "fargate", 2);
    becameQueued(job(1));
    Runner held = store.runner(job(1).dispatchedRunner()).orElseThrow();
    Runner released =
        new Runner(
            held.name(),
            held.platform(),
            held.jobKey(),
            held.scope(),
            RunnerStatus.STOPPED,
            held.hostId(),
            held.githubRunnerId(),
            true,
            "test",
            held.createdAt(),
            Instant.now());

    flow.onChanges(List.of(new Change.RunnerRemoved("31", released)));

    assertThat(store.inFlight("fargate")).isEqualTo(2);
  }

  @Test
  void dispatch_takesOldestQueuedFirst_notInsertionOrder() {
    queue(10, "fargate", 30);
    queue(11, "fargate", 10);
    queue(12, "fargate", 20);
    flow.sweep();
    assertThat(job(11).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(12).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(10).status()).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void saturatedPlatform_neverBlocksAnother() {
    for (int i = 1; i <= 4; i++) {
      queue(i, "fargate", i);
    }
    queue(20, "ec2-linux-arm64", 50);
    flow.sweep();
    assertThat(job(20).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(store.inFlight("fargate")).isEqualTo(2);
  }

  @Test
  void globalCap_boundsAllPlatformsTogether() {
    globalCap = 3;
    for (int i = 1; i <= 4; i++) {
      queue(i, "fargate", i);
      queue(100 + i, "ec2-linux-x64", i);
    }
    flow.sweep();
    assertThat(store.inFlight("global")).isEqualTo(3);
    assertThat(store.inFlight("fargate") + store.inFlight("ec2-linux-x64")).isEqualTo(3);
  }

  @Test
  void paused_dispatchesNothing_andResumeDispatches() {
    queue(1, "fargate", 1);
    paused = true;
    flow.sweep();
    assertThat(job(1).status()).isEqualTo(JobStatus.QUEUED);
    paused = false;
    flow.sweep();
    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
  }

  @Test
  void newRunner_isAnnouncedWithASpinUpCarryingThePlatformLabels() {
    queue(1, "fargate", 1);
    flow.sweep();
    Runner runner = runners().get(0);
    flow.onChanges(List.of(new Change.RunnerChanged("3", null, runner)));
    assertThat(published).hasSize(1);
    RunnerCommand.SpinUp spinUp = (RunnerCommand.SpinUp) published.get(0);
    assertThat(spinUp.runnerName()).isEqualTo(runner.name()).isEqualTo("rf-fargate-1-1-1");
    assertThat(spinUp.commandId()).isEqualTo("spin-up:rf-fargate-1-1-1");
    assertThat(spinUp.platform()).isEqualTo("fargate");
    assertThat(spinUp.job()).isEqualTo(new JobKey(1, 1));
    assertThat(spinUp.runnerLabels())
        .containsExactlyInAnyOrder("self-hosted", "linux", "x64", "fargate");
    assertThat(spinUp.repository()).isEqualTo("octo/repo");
  }

  @Test
  void endedRunner_releasesItsSlotExactlyOnce_andTheNextJobGoes() {
    for (int i = 1; i <= 3; i++) {
      queue(i, "fargate", i);
    }
    flow.sweep();
    Job first = job(1);
    Job running =
        new Job(
            first.key(),
            first.runId(),
            first.repository(),
            first.organization(),
            first.installationId(),
            first.labels(),
            first.platform(),
            JobStatus.COMPLETED,
            null,
            first.queuedAt(),
            first.dispatchedRunner(),
            first.dispatchedRunner(),
            first.dispatchCount(),
            first.version() + 1,
            Instant.now());
    client.putItem(b -> b.tableName(table).item(JobsTable.jobItem(running)));
    flow.onChanges(List.of(new Change.JobChanged("4", first, running)));
    assertThat(published)
        .singleElement()
        .isInstanceOfSatisfying(
            RunnerCommand.TearDown.class,
            t -> assertThat(t.runnerName()).isEqualTo(first.dispatchedRunner()));

    stop(first.dispatchedRunner(), RunnerStatus.STOPPED);
    Runner released = store.runner(first.dispatchedRunner()).orElseThrow();
    assertThat(released.slotReleased()).isTrue();
    assertThat(store.release(released, null, Instant.now())).isFalse();
    // the freed slot went to job 3 at once: still two in flight, none left queued
    assertThat(store.inFlight("fargate")).isEqualTo(2);
    assertThat(job(3).status()).isEqualTo(JobStatus.DISPATCHED);
  }

  @Test
  void failedLaunch_requeuesItsJob_keepingItsPlaceInLine() {
    queue(1, "ec2-linux-arm64", 1);
    queue(2, "ec2-linux-arm64", 2);
    flow.sweep();
    String firstRunner = job(1).dispatchedRunner();
    stop(firstRunner, RunnerStatus.FAILED);
    Job retried = job(1);
    assertThat(retried.status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(retried.dispatchedRunner()).isEqualTo("rf-ec2-linux-arm64-1-1-2");
    assertThat(job(2).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(store.inFlight("ec2-linux-arm64")).isEqualTo(1);
  }

  /**
   * Issue 12: one job was dispatched 11 times. Its runners' ends queue it again only while it was
   * dispatched fewer than max launch attempts (3 here); then it waits, DISPATCHED to an ended
   * runner and holding no slot, for the reconciler to look it up at GitHub and give it up.
   */
  @Test
  void failedLaunches_requeueTheJobOnlyUntilMaxLaunchAttempts() {
    queue(1, "ec2-linux-arm64", 1);
    flow.sweep();
    for (int dispatch = 1; dispatch <= 3; dispatch++) {
      Job job = job(1);
      assertThat(job.dispatchCount()).isEqualTo(dispatch);
      stop(job.dispatchedRunner(), RunnerStatus.FAILED);
    }

    Job after = job(1);
    assertThat(after.status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(after.dispatchCount()).isEqualTo(3);
    assertThat(runners()).hasSize(3).allMatch(r -> r.status().isTerminal());
    assertThat(store.inFlight("ec2-linux-arm64")).isZero();
  }

  @Test
  void stolenRunner_isRepairedWithTheFreeRunnerOfTheSamePlatform() {
    queue(1, "fargate", 1);
    queue(2, "fargate", 2);
    flow.sweep();
    Job j1 = job(1);
    Job j2 = job(2);
    // GitHub gives job 2 to the runner requested for job 1.
    Job j2Running =
        j2.withStatus(JobStatus.IN_PROGRESS, Instant.now()).withRanOn(j1.dispatchedRunner());
    client.putItem(b -> b.tableName(table).item(JobsTable.jobItem(j2Running)));
    CountingReads reads = new CountingReads();
    FlowController counted = reading(reads);
    counted.onChanges(List.of(new Change.JobChanged("5", j2, j2Running)));

    Runner taken = store.runner(j1.dispatchedRunner()).orElseThrow();
    Runner free = store.runner(j2.dispatchedRunner()).orElseThrow();
    assertThat(taken.status()).isEqualTo(RunnerStatus.BUSY);
    assertThat(taken.jobKey()).isEqualTo(j2.key());
    assertThat(free.jobKey()).isEqualTo(j1.key());
    assertThat(job(1).dispatchedRunner()).isEqualTo(free.name());
    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(store.inFlight("fargate")).isEqualTo(2);
    // the taken runner came back from the refused write, job 2's own runner was never read; only
    // job 1 was (its queue time, should it go back to the queue)
    assertThat(reads.runnerReads).hasValue(0);
    assertThat(reads.jobReads).hasValue(1);

    // job 2 completes on the runner it took: its tear-down, and no read of its own runner, which
    // was given other work when the job started
    Job j2Done = j2Running.withStatus(JobStatus.COMPLETED, Instant.now());
    counted.onChanges(List.of(new Change.JobChanged("6", j2Running, j2Done)));
    assertThat(published)
        .filteredOn(c -> c instanceof RunnerCommand.TearDown)
        .extracting(RunnerCommand::runnerName)
        .containsExactly(taken.name());
    assertThat(reads.runnerReads).hasValue(0);
  }

  @Test
  void orphanTakingADispatchedJob_isMarkedBusyInOneWrite_andTheJobsOwnRunnerWaitsForWork() {
    queue(1, "fargate", 1);
    flow.sweep();
    String orphan = job(1).dispatchedRunner();
    complete(job(1), null);
    assertThat(store.runner(orphan).orElseThrow().jobKey()).isNull();
    Job j2 = queue(2, "fargate", 2);
    flow.sweep();
    j2 = job(2);
    String own = j2.dispatchedRunner();
    assertThat(own).isNotNull().isNotEqualTo(orphan);
    CountingReads reads = new CountingReads();

    // GitHub hands job 2 to the runner waiting for work.
    Job running = j2.withStatus(JobStatus.IN_PROGRESS, Instant.now()).withRanOn(orphan);
    client.putItem(b -> b.tableName(table).item(JobsTable.jobItem(running)));
    reading(reads).onChanges(List.of(new Change.JobChanged("9", j2, running)));

    Runner took = store.runner(orphan).orElseThrow();
    assertThat(took.status()).isEqualTo(RunnerStatus.BUSY);
    assertThat(took.jobKey()).isEqualTo(j2.key());
    assertThat(store.runner(own).orElseThrow().jobKey()).as("nothing queued: it waits").isNull();
    assertThat(store.inFlight("fargate")).isEqualTo(2);
    assertThat(reads.runnerReads).hasValue(0);
    assertThat(reads.jobReads).hasValue(0);
  }

  @Test
  void runnerTakingAnUndispatchedJob_sendsItsOwnJobBackToTheQueue() {
    queue(1, "ec2-linux-arm64", 1);
    queue(2, "ec2-linux-arm64", 2);
    flow.sweep();
    Job j1 = job(1);
    Job j2 = job(2);
    assertThat(j2.status()).isEqualTo(JobStatus.QUEUED);
    Job j2Running =
        j2.withStatus(JobStatus.IN_PROGRESS, Instant.now()).withRanOn(j1.dispatchedRunner());
    client.putItem(b -> b.tableName(table).item(JobsTable.jobItem(j2Running)));
    flow.onChanges(List.of(new Change.JobChanged("6", j2, j2Running)));
    assertThat(job(1).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job(1).queuedAt()).isEqualTo(j1.queuedAt());
    assertThat(store.runner(j1.dispatchedRunner()).orElseThrow().jobKey()).isEqualTo(j2.key());
    // cap 1 is held by the busy runner: job 1 waits
    assertThat(store.inFlight("ec2-linux-arm64")).isEqualTo(1);
  }

  /** A publisher whose clock runs {@code ahead} of this test's: for the idle timeout. */
  private FlowController flowAhead(java.time.Duration ahead) {
    return new FlowController(
        store,
        bus,
        wakeUps,
        catalog,
        settings,
        new Telemetry("test"),
        Clock.offset(Clock.systemUTC(), ahead),
        3,
        IDLE);
  }

  private Job complete(Job job, String ranOn) {
    Job done = job.withStatus(JobStatus.COMPLETED, Instant.now()).withRanOn(ranOn);
    client.putItem(b -> b.tableName(table).item(JobsTable.jobItem(done)));
    flow.onChanges(List.of(new Change.JobChanged("7", job, done)));
    return done;
  }

  @Test
  void jobCancelledBeforePickup_freesItsRunner_forTheOldestQueuedJobOfItsPlatform() {
    // ec2-linux-arm64 has cap 1: job 2 waits behind job 1.
    queue(1, "ec2-linux-arm64", 1);
    queue(2, "ec2-linux-arm64", 2);
    flow.sweep();
    Job j1 = job(1);
    String runner = j1.dispatchedRunner();
    assertThat(job(2).status()).isEqualTo(JobStatus.QUEUED);

    complete(j1, null);

    assertThat(store.runner(runner).orElseThrow().jobKey()).isEqualTo(job(2).key());
    assertThat(job(2).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(2).dispatchedRunner()).isEqualTo(runner);
    assertThat(published).noneMatch(c -> c instanceof RunnerCommand.TearDown);
  }

  @Test
  void jobCancelledBeforePickup_withNothingQueued_leavesItsRunnerIdle_untilTheIdleTimeout() {
    queue(1, "fargate", 1);
    flow.sweep();
    String runner = job(1).dispatchedRunner();

    complete(job(1), null);
    flowAhead(IDLE.minusMinutes(1)).sweep();

    assertThat(store.runner(runner).orElseThrow().jobKey()).isNull();
    assertThat(published).noneMatch(c -> c instanceof RunnerCommand.TearDown);

    flowAhead(IDLE.plusMinutes(1)).sweep();

    assertThat(published)
        .filteredOn(c -> c instanceof RunnerCommand.TearDown)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.runnerName()).isEqualTo(runner);
              assertThat(((RunnerCommand.TearDown) c).reason()).contains("idle");
            });
    // Sent once: the next sweep finds it off the idle listing.
    flowAhead(IDLE.plusMinutes(2)).sweep();
    assertThat(published).filteredOn(c -> c instanceof RunnerCommand.TearDown).hasSize(1);
  }

  /** What the orchestrator's launch records: the runner is up and its spin-up done. */
  private void launched(String runnerName) {
    client.updateItem(
        b ->
            b.tableName(table)
                .key(JobsTable.runnerKey(runnerName))
                .updateExpression("SET #s = :l")
                .expressionAttributeNames(Map.of("#s", JobsTable.STATUS))
                .expressionAttributeValues(
                    Map.of(":l", AttributeValue.fromS(RunnerStatus.LAUNCHED.name()))));
  }

  /** Job 1 dispatched, its runner launched, the job cancelled before pickup: the runner is idle. */
  private String launchedThenLeftWithoutWork(String platform) {
    queue(1, platform, 1);
    flow.sweep();
    String runner = job(1).dispatchedRunner();
    launched(runner);
    complete(job(1), null);
    return runner;
  }

  @Test
  void idleLaunchedRunner_withNothingQueuedOnItsPlatform_isTornDownAtTheNextSweep() {
    String runner = launchedThenLeftWithoutWork("fargate");
    assertThat(published).noneMatch(c -> c instanceof RunnerCommand.TearDown);
    flow.sweep();

    assertThat(published)
        .filteredOn(c -> c instanceof RunnerCommand.TearDown)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.runnerName()).isEqualTo(runner);
              assertThat(((RunnerCommand.TearDown) c).reason())
                  .isEqualTo("no queued job of platform fargate");
            });
    flowAhead(IDLE.plusMinutes(1)).sweep();
    assertThat(published).filteredOn(c -> c instanceof RunnerCommand.TearDown).hasSize(1);
  }

  @Test
  void idleLaunchedRunner_whileAJobOfItsPlatformIsQueued_isKeptForIt() {
    // ec2-linux-arm64 has cap 1: the idle runner holds the slot job 2 waits for, and GitHub hands
    // job 2 to it.
    launchedThenLeftWithoutWork("ec2-linux-arm64");
    queue(2, "ec2-linux-arm64", 2);

    flow.sweep();

    assertThat(job(2).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(published).noneMatch(c -> c instanceof RunnerCommand.TearDown);
  }

  @Test
  void idleRunner_thatGitHubGaveAJob_isNeverTornDownAsIdle() {
    queue(1, "fargate", 1);
    flow.sweep();
    String runner = job(1).dispatchedRunner();
    complete(job(1), null);
    // GitHub hands the idle runner a job nobody dispatched to it.
    Job other = queue(9, "fargate", 9);
    Job running = other.withStatus(JobStatus.IN_PROGRESS, Instant.now()).withRanOn(runner);
    client.putItem(b -> b.tableName(table).item(JobsTable.jobItem(running)));
    flow.onChanges(List.of(new Change.JobChanged("8", other, running)));

    flowAhead(IDLE.plusMinutes(5)).sweep();

    assertThat(store.runner(runner).orElseThrow().status()).isEqualTo(RunnerStatus.BUSY);
    assertThat(published).noneMatch(c -> c instanceof RunnerCommand.TearDown);
  }

  @Test
  void concurrentPublishers_neverExceedTheCap_andDispatchEachJobOnce() throws Exception {
    for (int i = 1; i <= 40; i++) {
      queue(i, "ec2-linux-x64", i);
    }
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return flow.sweep();
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get();
    }
    pool.shutdown();
    assertThat(total).isEqualTo(3);
    assertThat(store.inFlight("ec2-linux-x64")).isEqualTo(3);
    assertThat(runners()).hasSize(3);
    assertThat(runners().stream().map(r -> r.jobKey().jobId()).toList())
        .containsExactlyInAnyOrder(1L, 2L, 3L);
  }

  /** A clock the test moves by hand: the publisher's view of time, nothing waits on it. */
  private static final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final Instant PACED_AT = Instant.parse("2026-11-01T12:00:00Z");

  private FlowController pacedAt(ManualClock clock) {
    return new FlowController(
        store, bus, wakeUps, catalog, settings, new Telemetry("test"), clock, 3, IDLE);
  }

  /**
   * A launch budget of one per second, burst 1, a clock standing at {@link #PACED_AT}, and the jobs
   * queued on ec2-linux-x64 (cap 3), each {@code id} seconds after T0.
   */
  private ManualClock pacedAtOnePerSecond(long... ids) {
    rate = new RuntimeParameters.LaunchRate(1, 1);
    for (long id : ids) {
      queue(id, "ec2-linux-x64", (int) id);
    }
    return new ManualClock(PACED_AT);
  }

  /**
   * With the clock standing still, a pass that waited for the budget would, once woken, find the
   * next step due and dispatch job 2; this one ends at once and leaves it queued.
   */
  @Test
  void dispatch_whenLaunchBudgetSpent_leavesJobsQueuedWithoutWaiting_andSchedulesAWakeUpAtRefill() {
    ManualClock clock = pacedAtOnePerSecond(1, 2, 3);
    Instant t = PACED_AT;

    assertThat(pacedAt(clock).sweep()).isEqualTo(1);

    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(2).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job(3).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(wakeUpTimes).containsExactly(t.plusSeconds(1));
  }

  @Test
  void wakeUp_whilePending_isNotScheduledAgain() {
    ManualClock clock = pacedAtOnePerSecond(1, 2);
    Instant t = PACED_AT;
    FlowController paced = pacedAt(clock);

    paced.sweep();
    clock.set(t.plusMillis(500));
    paced.onChanges(List.of(new Change.JobChanged("30", null, job(2))));
    pacedAt(clock).dispatchAll();

    assertThat(job(2).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(wakeUpTimes).containsExactly(t.plusSeconds(1));
  }

  @Test
  void wakeUp_whenItFires_dispatchesTheOldestQueuedJob_andArrangesTheNext() {
    ManualClock clock = pacedAtOnePerSecond(3, 1, 2);
    Instant t = PACED_AT;
    FlowController paced = pacedAt(clock);
    paced.sweep();

    clock.set(t.plusSeconds(1));
    assertThat(paced.dispatchAll()).isEqualTo(1);

    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(2).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(3).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(wakeUpTimes).containsExactly(t.plusSeconds(1), t.plusSeconds(2));
  }

  @Test
  void concurrentPublishers_shareOneLaunchBudget_andNeverExceedItsRate() throws Exception {
    rate = new RuntimeParameters.LaunchRate(20, 1);
    PlatformCatalog wide = PlatformCatalog.defaults().withCaps(Map.of("ec2-linux-x64", 1000));
    int jobs = 50;
    for (int i = 1; i <= jobs; i++) {
      queue(i, "ec2-linux-x64", i);
    }
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      FlowController publisher =
          new FlowController(
              store,
              bus,
              wakeUps,
              wide,
              settings,
              new Telemetry("test"),
              Clock.systemUTC(),
              3,
              IDLE);
      done.add(
          pool.submit(
              () -> {
                start.await();
                while (store.inFlight("ec2-linux-x64") < jobs) {
                  publisher.sweep();
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();

    List<Long> starts = runners().stream().map(r -> r.createdAt().toEpochMilli()).sorted().toList();
    assertThat(starts).hasSize(jobs);
    // GCRA at 20/s, burst 1: one spin-up per 50 ms; in any one-second window at most 21.
    int peak = 0;
    for (int i = 0; i < starts.size(); i++) {
      int j = i;
      while (j < starts.size() && starts.get(j) - starts.get(i) < 1000) {
        j++;
      }
      peak = Math.max(peak, j - i);
    }
    assertThat(peak).isLessThanOrEqualTo(21);
    assertThat(starts.get(starts.size() - 1) - starts.get(0))
        .isGreaterThanOrEqualTo((jobs - 2) * 50L);
  }

  @Test
  void twoPublishersSpendingTheSameBudgetStep_onlyOneReserves_andTheOtherChangesNothing() {
    Job first = queue(1, "fargate", 1);
    Job second = queue(2, "fargate", 2);
    long tat = store.launchBudgetTat();
    assertThat(tat).isEqualTo(-1);

    var reserved =
        store.reserve(
            first, "rf-a", 10, 10, new FlowControlStore.LaunchBudget(tat, 1_000), Instant.now());
    var refused =
        store.reserve(
            second, "rf-b", 10, 10, new FlowControlStore.LaunchBudget(tat, 1_000), Instant.now());

    assertThat(reserved).isEqualTo(FlowControlStore.Reservation.RESERVED);
    assertThat(refused).isEqualTo(FlowControlStore.Reservation.BUDGET_MOVED);
    assertThat(store.launchBudgetTat()).isEqualTo(1_000);
    assertThat(job(2).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(store.runner("rf-b")).isEmpty();
    assertThat(store.inFlight("fargate")).isEqualTo(1);
    assertThat(
            store.reserve(
                second,
                "rf-b",
                10,
                10,
                new FlowControlStore.LaunchBudget(1_000, 2_000),
                Instant.now()))
        .isEqualTo(FlowControlStore.Reservation.RESERVED);
  }

  @Test
  void freedGlobalSlots_goToThePlatformWithTheOldestWaitingJob_soNoPlatformStarves() {
    globalCap = 2;
    for (int i = 1; i <= 6; i++) {
      queue(i, "fargate", i);
    }
    queue(100, "ec2-linux-arm64", 7);
    for (int i = 8; i <= 13; i++) {
      queue(i, "fargate", i);
    }
    flow.sweep();
    int releases = 0;
    while (job(100).status() == JobStatus.QUEUED && releases < 12) {
      Runner oldest =
          runners().stream()
              .filter(r -> !r.status().isTerminal())
              .min(java.util.Comparator.comparing(Runner::createdAt))
              .orElseThrow();
      Job ran = job(oldest.jobKey().jobId());
      client.putItem(
          b ->
              b.tableName(table)
                  .item(
                      JobsTable.jobItem(
                          ran.withStatus(JobStatus.COMPLETED, Instant.now())
                              .withRanOn(oldest.name()))));
      stop(oldest.name(), RunnerStatus.STOPPED);
      releases++;
    }
    assertThat(job(100).status()).isEqualTo(JobStatus.DISPATCHED);
    // Every fargate job queued before it went first; none queued after it did.
    for (int i = 1; i <= 6; i++) {
      assertThat(job(i).status()).isNotEqualTo(JobStatus.QUEUED);
    }
    assertThat(job(8).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(store.inFlight("global")).isEqualTo(2);
  }

  @Test
  void zeroCap_refusesEvenTheFirstReservation() {
    Job job = queue(1, "fargate", 1);
    assertThat(
            store.reserve(
                job, "rf-a", 0, 10, new FlowControlStore.LaunchBudget(-1, 1), Instant.now()))
        .isEqualTo(FlowControlStore.Reservation.PLATFORM_FULL);
    assertThat(
            store.reserve(
                job, "rf-a", 10, 0, new FlowControlStore.LaunchBudget(-1, 1), Instant.now()))
        .isEqualTo(FlowControlStore.Reservation.GLOBAL_FULL);
    assertThat(job(1).status()).isEqualTo(JobStatus.QUEUED);
  }

  // ---- dispatch outside the stream lanes: one pass at a time for the fleet ----

  /** Wake-ups that a handler of their own would run: recorded here, run by the test. */
  private final List<Instant> handedOver = Collections.synchronizedList(new ArrayList<>());

  private final WakeUps handOver =
      new WakeUps() {
        @Override
        public void schedule(Instant at, Instant now) {
          handedOver.add(at);
        }

        @Override
        public boolean handsOverPasses() {
          return true;
        }
      };

  /** A REQUESTED runner record for {@code owner}, as a reservation writes it. */
  private static Runner requested(String platform, Job owner) {
    return new Runner(
        Runner.nameFor(platform, owner.key(), 1),
        platform,
        owner.key(),
        GitHubScope.of(owner),
        RunnerStatus.REQUESTED,
        null,
        null,
        false,
        null,
        T0,
        T0);
  }

  private FlowController lanes(FlowControlStore over, CommandBus commands) {
    return controller(over, commands, handOver);
  }

  private FlowController controller(FlowControlStore over, CommandBus commands, WakeUps w) {
    return new FlowController(
        over, commands, w, catalog, settings, new Telemetry("test"), Clock.systemUTC(), 3, IDLE);
  }

  @Test
  void passRequests_fromTwoLanesAtOnce_startOnePass_thatDispatchesBoth() throws Exception {
    Job a = queue(1, "fargate", 1);
    Job b = queue(2, "ec2-linux-x64", 2);
    FlowController lanes = lanes(store, bus);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> first =
          pool.submit(
              () -> {
                go.await();
                return lanes.onChanges(List.of(new Change.JobChanged("1", null, a)));
              });
      Future<?> second =
          pool.submit(
              () -> {
                go.await();
                return lanes.onChanges(List.of(new Change.JobChanged("2", null, b)));
              });
      go.countDown();
      first.get(30, java.util.concurrent.TimeUnit.SECONDS);
      second.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    // The lanes ran no pass: one of them handed one over, the other's request was counted.
    assertThat(handedOver).hasSize(1);
    assertThat(job(1).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job(2).status()).isEqualTo(JobStatus.QUEUED);

    assertThat(lanes.dispatchAll()).isEqualTo(2);
    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(2).status()).isEqualTo(JobStatus.DISPATCHED);
    // The pass let go: the next request starts a pass again.
    queue(3, "fargate", 3);
    lanes.onChanges(List.of(new Change.JobChanged("3", null, job(3))));
    assertThat(handedOver).hasSize(2);
  }

  @Test
  void passRequest_whileAPassRuns_isNotLost_thatPassRunsOnceMore() {
    queue(1, "fargate", 1);
    AtomicInteger heads = new AtomicInteger();
    FlowController[] lane = new FlowController[1];
    FlowControlStore racing =
        new ForwardingFlowControlStore(store) {
          @Override
          public List<Job> oldestQueued(String platform, int limit) {
            List<Job> page = delegate.oldestQueued(platform, limit);
            if (platform.equals("fargate") && heads.getAndIncrement() == 0) {
              // After the pass read fargate's queue, job 2 becomes QUEUED and its lane asks.
              Job late = queue(2, "fargate", 2);
              lane[0].onChanges(List.of(new Change.JobChanged("9", null, late)));
            }
            return page;
          }
        };
    FlowController flow = lanes(racing, bus);
    lane[0] = lanes(store, bus);

    assertThat(flow.dispatchAll()).isEqualTo(2);

    assertThat(handedOver).as("the lane found the pass running and sent nothing").isEmpty();
    assertThat(job(1).status()).isEqualTo(JobStatus.DISPATCHED);
    assertThat(job(2).status()).isEqualTo(JobStatus.DISPATCHED);
  }

  @Test
  void announcement_whileAPassRuns_isPublishedBeforeThatPassEnds() throws Exception {
    queue(1, "fargate", 1);
    CountDownLatch passInside = new CountDownLatch(1);
    CountDownLatch passMayGo = new CountDownLatch(1);
    FlowControlStore held =
        new ForwardingFlowControlStore(store) {
          @Override
          public List<Job> oldestQueued(String platform, int limit) {
            passInside.countDown();
            try {
              passMayGo.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return delegate.oldestQueued(platform, limit);
          }
        };
    FlowController pass = lanes(held, bus);
    // The lane shares the held store: a lane that ran a pass itself would block in it too.
    FlowController lane = lanes(held, bus);
    Job other = queue(2, "ec2-linux-x64", 2);
    Runner requested = requested("ec2-linux-x64", other);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> running = pool.submit(pass::dispatchAll);
      assertThat(passInside.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      Future<FlowController.BatchOutcome> batch =
          pool.submit(
              () ->
                  lane.onChanges(
                      List.of(
                          new Change.RunnerChanged("5", null, requested),
                          new Change.JobChanged("6", null, other))));

      assertThat(batch.get(30, java.util.concurrent.TimeUnit.SECONDS).failedAt()).isEmpty();
      assertThat(running).isNotDone();
      assertThat(published)
          .filteredOn(c -> c instanceof RunnerCommand.SpinUp)
          .extracting(RunnerCommand::runnerName)
          .containsExactly(requested.name());

      passMayGo.countDown();
      assertThat(running.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2);
    } finally {
      passMayGo.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void claimPass_whileALeaseIsLive_isRefused_andTakenOnceItExpired() {
    Instant now = Instant.parse("2026-11-01T10:00:00Z");
    assertThat(store.claimPass("a", now, now.plusSeconds(30))).hasValue(0);
    assertThat(store.claimPass("b", now.plusSeconds(29), now.plusSeconds(59))).isEmpty();
    assertThat(store.requestPass(now.plusSeconds(29), now.plusSeconds(59))).isFalse();

    // "a" crashed: its lease runs out, and the requests it missed are seen by the next holder.
    assertThat(store.claimPass("b", now.plusSeconds(30), now.plusSeconds(60))).hasValue(1);
    assertThat(store.releasePass("a", 1, now.plusSeconds(60))).isEmpty();
    assertThat(store.claimPass("c", now.plusSeconds(31), now.plusSeconds(61))).isEmpty();
  }

  @Test
  void releasePass_afterARequest_keepsTheLease_andReturnsTheNewCount() {
    Instant now = Instant.parse("2026-11-01T10:00:00Z");
    long seen = store.claimPass("a", now, now.plusSeconds(30)).orElseThrow();
    assertThat(store.requestPass(now.plusSeconds(1), now.plusSeconds(31))).isFalse();

    assertThat(store.releasePass("a", seen, now.plusSeconds(32))).hasValue(seen + 1);
    assertThat(store.claimPass("b", now.plusSeconds(31), now.plusSeconds(61)))
        .as("the lease was kept until 32")
        .isEmpty();
    assertThat(store.releasePass("a", seen + 1, now.plusSeconds(62))).isEmpty();
    assertThat(store.requestPass(now.plusSeconds(33), now.plusSeconds(63)))
        .as("no pass runs: this request starts one")
        .isTrue();
    assertThat(store.requestPass(now.plusSeconds(33), now.plusSeconds(63)))
        .as("a pass is starting")
        .isFalse();
    assertThat(store.claimPass("c", now.plusSeconds(34), now.plusSeconds(64)))
        .as("the pass takes the lease over from the lane that started it")
        .hasValue(seen + 3);
  }

  // ---- reads the stream's images answer, and one PublishBatch per batch ----

  /** The real store, counting the reads of runners and jobs. */
  private final class CountingReads extends ForwardingFlowControlStore {
    final AtomicInteger runnerReads = new AtomicInteger();
    final AtomicInteger jobReads = new AtomicInteger();

    CountingReads() {
      super(store);
    }

    @Override
    public Optional<Runner> runner(String name) {
      runnerReads.incrementAndGet();
      return delegate.runner(name);
    }

    @Override
    public Optional<Job> job(JobKey key) {
      jobReads.incrementAndGet();
      return delegate.job(key);
    }
  }

  private FlowController reading(FlowControlStore over) {
    return controller(over, bus, wakeUps);
  }

  @Test
  void inProgressAndCompleted_onItsOwnRunner_markBusyAndTearDown_withoutReadingTheRunner() {
    queue(1, "fargate", 1);
    flow.sweep();
    Job dispatched = job(1);
    String runner = dispatched.dispatchedRunner();
    CountingReads reads = new CountingReads();
    FlowController counted = reading(reads);

    Job running = dispatched.withStatus(JobStatus.IN_PROGRESS, Instant.now()).withRanOn(runner);
    counted.onChanges(List.of(new Change.JobChanged("1", dispatched, running)));
    Job done = running.withStatus(JobStatus.COMPLETED, Instant.now());
    counted.onChanges(List.of(new Change.JobChanged("2", running, done)));

    assertThat(store.runner(runner).orElseThrow().status()).isEqualTo(RunnerStatus.BUSY);
    assertThat(published)
        .filteredOn(c -> c instanceof RunnerCommand.TearDown)
        .extracting(RunnerCommand::runnerName, RunnerCommand::platform)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(runner, "fargate"));
    assertThat(reads.runnerReads).hasValue(0);
  }

  @Test
  void runnerEndedAfterRunningItsJob_givesItsSlotBack_withoutReadingTheJob() {
    queue(1, "fargate", 1);
    flow.sweep();
    String name = job(1).dispatchedRunner();
    store.markBusy(name, new JobKey(1, 1), Instant.now());
    CountingReads reads = new CountingReads();

    stop(name, RunnerStatus.STOPPED, reading(reads));

    assertThat(store.inFlight("fargate")).isZero();
    assertThat(store.runner(name).orElseThrow().slotReleased()).isTrue();
    assertThat(reads.jobReads).hasValue(0);
  }

  @Test
  void aBatchsCommands_goOutInOnePublishAll_andARefusedOneRetriesItsChange() {
    List<List<RunnerCommand>> calls = Collections.synchronizedList(new ArrayList<>());
    CommandBus refusingTheSecond =
        new CommandBus() {
          @Override
          public void publish(RunnerCommand command) {
            throw new AssertionError("a batch publishes with publishAll");
          }

          @Override
          public List<Refused> publishAll(List<RunnerCommand> commands) {
            calls.add(List.copyOf(commands));
            return List.of(new Refused(commands.get(1), "throttled"));
          }
        };
    FlowController batching = controller(store, refusingTheSecond, wakeUps);
    List<Change> changes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Job owner = queue(i, "fargate", i);
      changes.add(new Change.RunnerChanged("s" + i, null, requested("fargate", owner)));
    }

    FlowController.BatchOutcome outcome = batching.onChanges(changes);

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0)).hasSize(3).allMatch(c -> c instanceof RunnerCommand.SpinUp);
    assertThat(outcome.failedAt()).contains("s2");
  }
}
