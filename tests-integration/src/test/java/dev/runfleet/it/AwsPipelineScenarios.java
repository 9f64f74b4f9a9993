package dev.runfleet.it;

import static dev.runfleet.it.support.Fleets.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.it.support.AwsPipeline;
import dev.runfleet.it.support.Fleets;
import dev.runfleet.it.support.GitHubWebhooks;
import dev.runfleet.it.support.GitHubWebhooks.Reply;
import dev.runfleet.it.support.Jobs;
import dev.runfleet.it.support.OfficialFixtures;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.sim.SimJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The end-to-end scenarios against AWS's APIs, the handlers wired as in Lambda: the same scenarios
 * run on embedded emulators (always) and on LocalStack (where Docker runs), so the LocalStack runs
 * check the real SNS subscription semantics the embedded SNS endpoint imitates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AwsPipelineScenarios {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Small caps, so a burst has to wait for slots (one runner at a time is all the other scenarios
   * need), and the demo's launch rate instead of GitHub's 3 a second, to keep the burst short.
   */
  private static final AwsPipeline.Options OPTIONS =
      new AwsPipeline.Options(
          Map.of("fargate", 2, "ec2-linux-x64", 2, "ec2-linux-arm64", 1),
          4,
          Demo.Options.defaults().launchRate());

  private AwsPipeline pipeline;
  private GitHubWebhooks gitHub;

  /** Starts the backend the scenarios run on; called once per class. */
  protected abstract AwsPipeline.Backend startBackend();

  @BeforeAll
  void startPipeline() {
    String secret = Fleets.newSecret();
    pipeline = AwsPipeline.start(startBackend(), secret, OPTIONS);
    gitHub = new GitHubWebhooks(pipeline.baseUri(), secret);
  }

  @AfterAll
  void stopPipeline() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @AfterEach
  void noStreamRecordWasGivenUp() {
    assertThat(pipeline.failedRecords()).as("stream records sent to on-failure").isEmpty();
  }

  @Test
  void officialFixtures_areIngested_andJobsNoPlatformServesAreIgnored() {
    for (String name : OfficialFixtures.all()) {
      Reply reply = gitHub.deliver(OfficialFixtures.eventOf(name), OfficialFixtures.bytes(name));
      assertThat(reply.status()).as("%s answered %s", name, reply).isBetween(200, 299);
      if (name.equals(OfficialFixtures.PING)) {
        assertThat(reply.status()).as("ping").isEqualTo(200);
      }
    }

    for (long jobId : List.of(OfficialFixtures.HOSTED_JOB_ID, OfficialFixtures.K8S_JOB_ID)) {
      JobKey key = new JobKey(jobId, 1);
      assertThat(job(key))
          .as("job %s", key)
          .get()
          .extracting(Job::status)
          .isEqualTo(JobStatus.IGNORED);
      within(Duration.ofSeconds(10))
          .during(Duration.ofSeconds(1))
          .until(() -> runnersInvolving(key).isEmpty());
    }
  }

  @Test
  void forgedSignature_isRefusedWith401_andNothingIsRecorded() {
    SimJob job = Jobs.job(Jobs.FARGATE);
    byte[] body = Jobs.queued(job);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    Reply reply =
        gitHub.post(
            "workflow_job",
            deliveryId,
            GitHubWebhooks.JSON,
            body,
            GitHubWebhooks.sign("not-the-webhook-secret", body));

    assertThat(reply.status()).as("%s", reply).isEqualTo(401);
    JobKey key = new JobKey(job.jobId(), job.runAttempt());
    assertThat(pipeline.item(JobsTable.jobKey(key))).isEmpty();
    assertThat(pipeline.item(JobsTable.deliveryKey(deliveryId))).isEmpty();
  }

  @Test
  void duplicateAndRedeliveredQueued_requestOneRunnerRecord() {
    SimJob job = Jobs.job(Jobs.nextId(), Jobs.FARGATE, Duration.ofMillis(200));
    JobKey key = new JobKey(job.jobId(), job.runAttempt());
    byte[] queued = Jobs.queued(job);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    pipeline.gitHub().queue(job);
    assertThat(gitHub.deliver("workflow_job", deliveryId, queued).status()).isEqualTo(200);
    Reply redelivered = gitHub.deliver("workflow_job", deliveryId, queued);
    Reply resent = gitHub.deliver("workflow_job", queued);

    assertThat(redelivered.result()).as("%s", redelivered).isEqualTo("duplicate");
    assertThat(resent.result()).as("%s", resent).isEqualTo("duplicate");
    within(Fleets.PIPELINE)
        .untilAsserted(
            () ->
                assertThat(job(key)).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED));
    within(Fleets.PIPELINE)
        .untilAsserted(
            () ->
                assertThat(runnersRequestedFor(key))
                    .singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(RunnerStatus.STOPPED)));
    assertThat(job(key)).get().extracting(Job::dispatchCount).isEqualTo(1);
  }

  @Test
  void fargateJob_spinUpLandsInTheFargateQueueOnly() {
    SimJob job = Jobs.job(Jobs.nextId(), Jobs.FARGATE, Duration.ofMillis(100));
    JobKey key = new JobKey(job.jobId(), job.runAttempt());

    pipeline.gitHub().queue(job);

    within(Fleets.PIPELINE)
        .untilAsserted(
            () ->
                assertThat(job(key)).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED));
    Runner runner =
        within(Fleets.PIPELINE)
            .until(
                () -> runnersRequestedFor(key),
                runners -> runners.size() == 1 && runners.get(0).status().isTerminal())
            .get(0);
    assertThat(runner.platform()).isEqualTo("fargate");
    assertThat(runner.status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(runner.hostId()).as("host of %s", runner.name()).startsWith("sim-fargate-");

    List<AwsPipeline.Received> commands =
        within(Fleets.PIPELINE)
            .until(
                () -> commandsFor(runner.name()),
                received -> received.stream().anyMatch(m -> type(m).equals("tear-down")));
    assertThat(commands)
        .as("commands for %s", runner.name())
        .allSatisfy(
            m -> {
              assertThat(m.platform()).as("queue").isEqualTo("fargate");
              assertThat(AwsPipeline.platformOf(m)).as("platform attribute").isEqualTo("fargate");
            })
        .anySatisfy(m -> assertThat(type(m)).isEqualTo("spin-up"));
  }

  @Test
  void burst_withSweepsRacingTheStreamHandler_completesWithinEveryCap() throws Exception {
    List<SimJob> jobs = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      List<String> labels = List.of(Jobs.FARGATE, Jobs.EC2_X64, Jobs.EC2_ARM64).get(i % 3);
      jobs.add(Jobs.job(Jobs.nextId(), labels, Duration.ofMillis(60 + 10 * (i % 5))));
    }
    // Two sweep invocations at a time, back to back, beside the stream handler, as Lambda may run
    // them: a freed slot is contended by up to three dispatchers that read the same counters and
    // the same queue head. The reservations' conditions decide; none may overshoot or double up.
    ScheduledExecutorService sweepers = Executors.newScheduledThreadPool(2);
    try {
      for (int i = 0; i < 2; i++) {
        sweepers.scheduleWithFixedDelay(pipeline::sweep, 0, 10, TimeUnit.MILLISECONDS);
      }
      jobs.forEach(pipeline.gitHub()::queue);

      within(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(jobs)
                      .allSatisfy(
                          j ->
                              assertThat(job(new JobKey(j.jobId(), j.runAttempt())))
                                  .get()
                                  .extracting(Job::status)
                                  .isEqualTo(JobStatus.COMPLETED)));
    } finally {
      sweepers.shutdownNow();
      assertThat(sweepers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    within(Fleets.PIPELINE)
        .untilAsserted(
            () -> {
              assertThat(pipeline.runners())
                  .allSatisfy(r -> assertThat(r.slotReleased()).as(r.name()).isTrue());
              assertThat(pipeline.inFlight("global")).isZero();
            });

    Map<String, Integer> peak = pipeline.hosts().peak();
    for (var platform : pipeline.platforms().all()) {
      assertThat(peak.getOrDefault(platform.name(), 0))
          .as("hosts of %s at once", platform.name())
          .isLessThanOrEqualTo(platform.cap());
      assertThat(pipeline.inFlight(platform.name()))
          .as("in flight on %s", platform.name())
          .isZero();
    }
    assertThat(peak.getOrDefault("global", 0))
        .as("hosts at once")
        .isLessThanOrEqualTo(pipeline.options().globalCap());
    assertThat(pipeline.gitHub().conclusions())
        .as("a job whose runner was killed under it fails")
        .allSatisfy((id, conclusion) -> assertThat(conclusion).isEqualTo("success"));
    // No job doubled up: GitHub hands a registering runner the oldest queued job its labels match,
    // which need not be the one it was requested for. A job can so run on another job's runner
    // without ever being dispatched (0 runners requested for it), and the job whose runner it took
    // is queued again and gets a second one (2 requested). What must never happen is two runners
    // requested for one job while neither was taken by another job.
    Map<String, JobKey> ranBy = new java.util.HashMap<>();
    for (SimJob j : jobs) {
      JobKey key = new JobKey(j.jobId(), j.runAttempt());
      ranBy.put(job(key).orElseThrow().ranOn(), key);
    }
    assertThat(ranBy).as("every job ran, each on a runner of its own").hasSize(jobs.size());
    for (SimJob j : jobs) {
      JobKey key = new JobKey(j.jobId(), j.runAttempt());
      assertThat(runnersRequestedFor(key))
          .as("runners requested for %s and not taken by another job", key)
          .filteredOn(r -> key.equals(ranBy.getOrDefault(r.name(), key)))
          .hasSizeLessThanOrEqualTo(1);
    }
  }

  private Optional<Job> job(JobKey key) {
    return pipeline.jobs().stream().filter(j -> j.key().equals(key)).findFirst();
  }

  private List<Runner> runnersInvolving(JobKey key) {
    return pipeline.runners().stream().filter(r -> Jobs.involves(r, key)).toList();
  }

  private List<Runner> runnersRequestedFor(JobKey key) {
    return pipeline.runners().stream().filter(r -> Jobs.requestedFor(r, key)).toList();
  }

  /**
   * Every command any orchestrator received for {@code runnerName}, whichever queue it came from.
   */
  private List<AwsPipeline.Received> commandsFor(String runnerName) {
    return pipeline.received().stream()
        .filter(m -> runnerName.equals(body(m).path("runnerName").asText()))
        .toList();
  }

  private static String type(AwsPipeline.Received message) {
    return body(message).path("type").asText();
  }

  private static JsonNode body(AwsPipeline.Received message) {
    try {
      return MAPPER.readTree(message.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not a command: " + message.body(), e);
    }
  }
}
