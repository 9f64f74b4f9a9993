package dev.runfleet.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.local.explain.FleetReader;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.WebhookSender;
import dev.runfleet.local.sim.WorkflowJobPayloads;
import dev.runfleet.publisher.PublisherConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * {@code status}, {@code jobs}, {@code runners} and {@code job} against a running local runtime,
 * through the CLI and the SDK clients it builds, with scripted jobs that end in each "why". The
 * steps build on each other (the fleet is shared), so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "fleet-commands-secret";
  private static final List<String> FARGATE = List.of("self-hosted", "linux", "x64", "fargate");
  private static final List<String> X64 = List.of("self-hosted", "linux", "x64", "ec2");
  private static final List<String> ARM64 = List.of("self-hosted", "linux", "arm64", "ec2");
  private static LocalRuntime runtime;

  /** The job queued while paused, completed once resumed. */
  private static long pausedJob;

  @BeforeAll
  static void start() {
    PlatformCatalog platforms = PlatformCatalog.defaults().withCaps(Map.of("fargate", 1));
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults(SECRET).withPort(0).withPlatforms(platforms, 100));
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = RunfleetCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoint");
    all.add(runtime.baseUri().toString());
    int code = cli.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static String why(long jobId) throws Exception {
    Run run = cli("job", Long.toString(jobId), "-o", "json");
    assertThat(run.code()).as(run.err()).isZero();
    return run.json().path("why").asText();
  }

  private static SimJob job(long id, List<String> labels, String repository, Duration runs) {
    return new SimJob(
        id, id, 1, labels, repository, repository.split("/")[0], 1, runs, Instant.now());
  }

  private static JobStatus status(long jobId) {
    return runtime.jobs().stream()
        .filter(j -> j.key().jobId() == jobId)
        .map(Job::status)
        .findFirst()
        .orElse(null);
  }

  private static void awaitStatus(long jobId, JobStatus status) {
    await().atMost(Duration.ofSeconds(60)).until(() -> status(jobId) == status);
  }

  private static String param(String name) {
    return RuntimeParameters.prefix(LocalRuntime.STAGE) + name;
  }

  @Test
  @Order(1)
  void job_forLabelsNoPlatformServes_saysWhichLabelsAndListsThePlatforms() throws Exception {
    runtime.gitHub().queue(job(9001, List.of("ubuntu-latest"), "octo/repo", Duration.ofSeconds(1)));
    awaitStatus(9001, JobStatus.IGNORED);

    assertThat(why(9001))
        .startsWith("ignored: no platform has labels [ubuntu-latest]; platforms: fargate [")
        .contains("ec2-linux-arm64 [arm64, ec2, linux, self-hosted]");
  }

  private static Optional<Long> refusedFrom9100() {
    return runtime.jobs().stream()
        .filter(j -> j.status() == JobStatus.IGNORED)
        .map(j -> j.key().jobId())
        .filter(id -> id > 9100 && id < 9200)
        .findFirst();
  }

  @Test
  @Order(12)
  void job_fromARepositoryOffTheAllowList_saysNotAllowed() throws Exception {
    runtime.parameters().put(RuntimeParameters.allow(LocalRuntime.STAGE), "acme");
    try {
      // The producer reads the allow-list with a short cache: queue until one is refused. Fargate
      // jobs: its one slot is held for minutes, so no runner of the steps before can be stolen.
      queueUntil(9100, FARGATE, Duration.ofSeconds(1), () -> refusedFrom9100().isPresent());
      long refused = refusedFrom9100().orElseThrow();

      assertThat(why(refused))
          .isEqualTo("not allowed: octo/repo is not on the allow-list [acme] (runfleet allow get)");
    } finally {
      runtime.parameters().remove(RuntimeParameters.allow(LocalRuntime.STAGE));
    }
  }

  @Test
  @Order(2)
  void job_waitingForApproval_saysSo() throws Exception {
    SimJob gated = job(9201, X64, "octo/repo", Duration.ofSeconds(1));
    String body =
        WorkflowJobPayloads.of(gated, "queued", "waiting", null, null, null, Instant.now());
    new WebhookSender(runtime.baseUri().resolve("/webhook"), SECRET).send("workflow_job", body);
    awaitStatus(9201, JobStatus.WAITING);

    assertThat(why(9201)).isEqualTo("waiting for environment approval");
  }

  @Test
  @Order(3)
  void job_whenItsPlatformsCapIsHeld_namesTheCapAndItsHolders() throws Exception {
    runtime.gitHub().queue(job(9301, FARGATE, "octo/repo", Duration.ofMinutes(10)));
    awaitStatus(9301, JobStatus.IN_PROGRESS);
    runtime.gitHub().queue(job(9302, FARGATE, "octo/repo", Duration.ofMinutes(10)));
    awaitStatus(9302, JobStatus.QUEUED);

    assertThat(why(9302)).isEqualTo("waiting: fargate cap 1/1 held by rf-fargate-9301-1-1");
    assertThat(why(9301)).startsWith("running on rf-fargate-9301-1-1 since ");
  }

  @Test
  @Order(4)
  void status_showsEffectiveCapsWithTheirSourceInFlightAndTheQueue() throws Exception {
    // Without the parameter the publisher falls back to its default: so does status.
    runtime.parameters().remove(RuntimeParameters.cap(LocalRuntime.STAGE, "ec2-linux-arm64"));

    Run run = cli("status", "-o", "json");

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode status = run.json();
    assertThat(status.fieldNames())
        .toIterable()
        .containsExactly("paused", "platforms", "global", "launchRate");
    assertThat(status.path("paused").asBoolean()).isFalse();
    JsonNode fargate = status.path("platforms").get(0);
    assertThat(fargate.path("name").asText()).isEqualTo("fargate");
    assertThat(fargate.path("cap").asInt()).isEqualTo(1);
    assertThat(fargate.path("capSource").asText()).isEqualTo("parameter");
    assertThat(fargate.path("inFlight").asInt()).isEqualTo(1);
    assertThat(fargate.path("hostsAlive").asInt()).isEqualTo(1);
    assertThat(fargate.path("queued").asInt()).isEqualTo(1);
    assertThat(fargate.path("oldestQueuedSeconds").asLong()).isGreaterThanOrEqualTo(0);
    JsonNode arm = status.path("platforms").get(2);
    assertThat(arm.path("name").asText()).isEqualTo("ec2-linux-arm64");
    assertThat(arm.path("capSource").asText()).isEqualTo("default");
    assertThat(arm.path("cap").asInt())
        .isEqualTo(PlatformCatalog.defaults().get("ec2-linux-arm64").cap());
    assertThat(status.path("global").path("cap").asInt()).isEqualTo(100);
    assertThat(status.path("global").path("inFlight").asInt()).isEqualTo(1);
    assertThat(status.path("launchRate").path("perSecond").asDouble()).isEqualTo(3.0);
    assertThat(status.path("launchRate").path("burst").asInt()).isEqualTo(10);

    Run table = cli("status");
    assertThat(table.out())
        .contains("PLATFORM         CAP  SOURCE     IN FLIGHT  HOSTS  QUEUED  OLDEST WAIT")
        .containsPattern("fargate +1 +parameter +1 +1 +1 +\\d+s")
        .containsPattern("ec2-linux-arm64 +10 +default +0 +0 +0 +-");
  }

  @Test
  @Order(5)
  void job_whilePaused_saysSinceWhen() throws Exception {
    runtime.parameters().put(RuntimeParameters.paused(LocalRuntime.STAGE), "true");
    try {
      // The publisher reads the switch with a short cache: queue until a job stays queued.
      queueUntil(
          9400,
          X64,
          Duration.ofSeconds(1),
          () ->
              firstQueued(9400, 9500).isPresent()
                  && why(firstQueued(9400, 9500).get()).startsWith("paused"));
      pausedJob = firstQueued(9400, 9500).orElseThrow();

      assertThat(why(pausedJob)).matches("paused since \\d\\d:\\d\\d UTC \\(runfleet resume\\)");
      assertThat(cli("status").out()).startsWith("paused: yes since ");
    } finally {
      runtime.parameters().put(RuntimeParameters.paused(LocalRuntime.STAGE), "false");
    }
    awaitStatus(pausedJob, JobStatus.COMPLETED);
    // GitHub gives a runner any job its labels fit: which x64 runner ran it is not fixed.
    assertThat(why(pausedJob))
        .matches("completed \\(success\\) on rf-ec2-linux-x64-\\S+ at .* UTC");
  }

  /**
   * Queues jobs above {@code from}, one a second, until {@code done}: the stages read the
   * parameters a step changed with a short cache, which no reading from outside can see expire.
   */
  private static void queueUntil(
      long from, List<String> labels, Duration runs, Callable<Boolean> done) {
    AtomicLong ids = new AtomicLong(from);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              runtime.gitHub().queue(job(ids.incrementAndGet(), labels, "octo/repo", runs));
              return done.call();
            });
  }

  private static Optional<Long> firstQueued(long above, long below) {
    return runtime.jobs().stream()
        .filter(j -> j.status() == JobStatus.QUEUED)
        .map(j -> j.key().jobId())
        .filter(id -> id > above && id < below)
        .findFirst();
  }

  @Test
  @Order(6)
  void job_whenTheLaunchBudgetIsSpent_saysWhenTheNextSlotComes() throws Exception {
    // One spin-up per 100 s: once a job took the slot, the next waits for the budget.
    runtime.parameters().put(RuntimeParameters.launchRate(LocalRuntime.STAGE), "0.01/1");
    try {
      // The publisher reads the parameter with a short cache: queue until a job waits for the
      // budget alone (the cap of 10 is far).
      queueUntil(9500, ARM64, Duration.ofMinutes(10), () -> budgetWait().isPresent());
      long waiting = budgetWait().orElseThrow();

      assertThat(why(waiting)).matches("next launch slot in \\d+\\.\\d s");
      assertThat(cli("status").out()).containsPattern("next slot in \\d+\\.\\d s");
    } finally {
      runtime.parameters().remove(RuntimeParameters.launchRate(LocalRuntime.STAGE));
    }
  }

  /** An arm64 job of this test that waits in the queue for the launch budget. */
  private static Optional<Long> budgetWait() throws Exception {
    for (Job j : runtime.jobs()) {
      long id = j.key().jobId();
      if (id > 9500
          && id < 9600
          && j.status() == JobStatus.QUEUED
          && why(id).startsWith("next launch slot in ")) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  @Test
  @Order(7)
  void job_whoseLaunchesAllFailed_saysHowOftenAndTheLastReason() throws Exception {
    // The ledger as the orchestrators leave it after three refused launches.
    JobKey key = new JobKey(9601, 1);
    Instant now = Instant.now();
    Job job =
        new Job(
            key,
            9601,
            "octo/repo",
            "octo",
            1L,
            X64,
            "ec2-linux-x64",
            JobStatus.DISPATCHED,
            null,
            now,
            Runner.nameFor("ec2-linux-x64", key, 3),
            null,
            3,
            1,
            now);
    runtime.dynamo().putItem(b -> b.tableName(LocalRuntime.TABLE).item(JobsTable.jobItem(job)));
    for (int n = 1; n <= 3; n++) {
      Runner failed =
          new Runner(
              Runner.nameFor("ec2-linux-x64", key, n),
              "ec2-linux-x64",
              key,
              new GitHubScope("octo", "octo/repo", 1L),
              RunnerStatus.FAILED,
              null,
              null,
              true,
              "InsufficientInstanceCapacity #" + n,
              now.plusMillis(n),
              now.plusMillis(n));
      runtime
          .dynamo()
          .putItem(b -> b.tableName(LocalRuntime.TABLE).item(JobsTable.runnerItem(failed)));
    }

    assertThat(why(9601))
        .isEqualTo(
            "launch failed 3 times: InsufficientInstanceCapacity #3; no attempts left,"
                + " the reconciler takes the job from here");
    Run table = cli("job", "9601");
    assertThat(table.out())
        .contains("job 9601 attempt 1: DISPATCHED on ec2-linux-x64")
        .containsPattern("rf-ec2-linux-x64-9601-1-2 +ec2-linux-x64 +FAILED");
  }

  @Test
  @Order(8)
  void job_showsTheWholeLedgerAndTheApiAnswersTheSameJson() throws Exception {
    Run run = cli("job", Long.toString(pausedJob), "-o", "json");

    JsonNode job = run.json();
    assertThat(job.path("id").asLong()).isEqualTo(pausedJob);
    assertThat(job.path("runAttempt").asInt()).isEqualTo(1);
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("platform").asText()).isEqualTo("ec2-linux-x64");
    assertThat(job.path("runner").asText()).startsWith("rf-ec2-linux-x64-");
    List<String> kinds = new ArrayList<>();
    job.path("events").forEach(e -> kinds.add(e.path("kind").asText()));
    assertThat(kinds).containsExactly("queued", "in_progress", "completed");
    assertThat(job.path("events").get(0).path("deliveryId").asText()).isNotBlank();
    assertThat(job.path("events").get(0).path("action").asText()).isEqualTo("queued");
    assertThat(job.path("events").get(0).path("time").asText()).isNotBlank();

    HttpResponse<String> api =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(runtime.baseUri() + "/api/jobs/" + pausedJob))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(api.body())).isEqualTo(job);
  }

  @Test
  @Order(9)
  void apiJobs_givesEachJobItsWhy() throws Exception {
    HttpResponse<String> api =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(runtime.baseUri() + "/api/jobs?status=QUEUED"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    JsonNode jobs = JSON.readTree(api.body());
    assertThat(jobs).isNotEmpty();
    jobs.forEach(j -> assertThat(j.path("why").asText()).isNotBlank());
    assertThat(jobs.findValuesAsText("why"))
        .contains("waiting: fargate cap 1/1 held by rf-fargate-9301-1-1");
  }

  @Test
  @Order(10)
  void jobsAndRunners_filterByStatusAndPlatform() throws Exception {
    Run queued = cli("jobs", "--status", "queued", "--platform", "fargate", "-o", "json");
    assertThat(queued.code()).as(queued.err()).isZero();
    assertThat(queued.json().findValuesAsText("id")).containsExactly("9302");

    Run ignored = cli("jobs", "--status", "IGNORED", "--since", "1h");
    assertThat(ignored.out()).contains("ignored: no platform has labels [ubuntu-latest]");
    assertThat(ignored.out()).doesNotContain("9302");

    Run failed = cli("runners", "--status", "FAILED", "--limit", "2", "-o", "json");
    assertThat(failed.json()).hasSize(2);
    failed.json().forEach(r -> assertThat(r.path("status").asText()).isEqualTo("FAILED"));

    Run busy = cli("runners", "--platform", "fargate");
    assertThat(busy.out()).containsPattern("rf-fargate-9301-1-1 +fargate +BUSY +9301:1");
  }

  @Test
  @Order(11)
  void badOptions_areRefusedWithWhatIsKnownAndExitTwo() {
    Run platform = cli("jobs", "--platform", "nosuch");
    assertThat(platform.code()).isEqualTo(2);
    assertThat(platform.err())
        .contains(
            "unknown platform 'nosuch'; known platforms: fargate, ec2-linux-x64,"
                + " ec2-linux-arm64");

    Run status = cli("runners", "--status", "RUNNING");
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.err())
        .contains("unknown status 'RUNNING'; known: REQUESTED, LAUNCHED, BUSY, STOPPED, FAILED");

    Run since = cli("jobs", "--since", "yesterday");
    assertThat(since.code()).isEqualTo(2);
    assertThat(since.err()).contains("--since must be a duration");

    Run missing = cli("job", "123456789");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no job 123456789 in table runfleet-jobs");
  }

  @Test
  @Order(13)
  void job_readsByKeysAndTheQueueIndex_andScansOnlyForAQueuedJobsSlotHolders() throws Exception {
    List<DynamoDbRequest> sent = new CopyOnWriteArrayList<>();
    DynamoDbClient real = runtime.dynamo();
    DynamoDbClient recording =
        (DynamoDbClient)
            Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                  boolean request =
                      args != null
                          && args.length == 1
                          && args[0] instanceof DynamoDbRequest
                          && !method.getName().endsWith("Paginator");
                  if (!request) {
                    // Paginators and consumer overloads call back through the proxy: recorded.
                    return InvocationHandler.invokeDefault(proxy, method, args);
                  }
                  sent.add((DynamoDbRequest) args[0]);
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    try (SsmClient ssm =
        new AwsClients(AwsSettings.emulator(runtime.baseUri()))
            .configure(SsmClient.builder())
            .build()) {
      FleetReader reader =
          new FleetReader(
              recording,
              ssm,
              PublisherConfig.from(
                  Map.of(
                      "RUNFLEET_TABLE",
                      LocalRuntime.TABLE,
                      "RUNFLEET_TOPIC_ARN",
                      "arn:aws:sns:us-east-1:000000000000:unused",
                      "RUNFLEET_STAGE",
                      LocalRuntime.STAGE,
                      "AWS_REGION",
                      "us-east-1")),
              Clock.systemUTC());

      assertThat(reader.job(pausedJob, null)).isPresent();
      assertThat(sent).noneMatch(ScanRequest.class::isInstance);
      assertThat(sent)
          .filteredOn(QueryRequest.class::isInstance)
          .map(r -> ((QueryRequest) r).keyConditionExpression())
          .contains("#pk = :pk AND begins_with(#sk, :event)");

      sent.clear();
      assertThat(reader.job(9302, null).orElseThrow().why()).startsWith("waiting: fargate cap");
      assertThat(sent).filteredOn(ScanRequest.class::isInstance).hasSize(1);
      // Never a Limit together with a filter: DynamoDB applies the limit first and hides items.
      assertThat(sent)
          .filteredOn(QueryRequest.class::isInstance)
          .map(QueryRequest.class::cast)
          .allMatch(q -> q.limit() == null || q.filterExpression() == null)
          .anyMatch(q -> JobsTable.QUEUE_INDEX.equals(q.indexName()));
    }
  }
}
