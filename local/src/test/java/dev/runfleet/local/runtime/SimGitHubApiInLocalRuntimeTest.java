package dev.runfleet.local.runtime;

import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.queue;
import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubDeliveries.DeliveryPage;
import dev.runfleet.common.port.GitHubDeliveries.RedeliverResult;
import dev.runfleet.common.port.GitHubRunners.DeleteResult;
import dev.runfleet.common.port.GitHubRunners.JitRequest;
import dev.runfleet.common.port.GitHubRunners.JitResult;
import dev.runfleet.common.port.GitHubRunners.JobLookup;
import dev.runfleet.common.port.GitHubRunners.RerunResult;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.orchestrators.github.GitHubAppClient;
import dev.runfleet.orchestrators.github.GitHubAppSettings;
import dev.runfleet.orchestrators.github.PrivateKeySource;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulated GitHub's REST API as runfleet's real client sees it: every route the client calls,
 * in GitHub's shapes, over HTTP on the runtime's port. The reconciler's schedule is an hour, so
 * only these calls draw the fault schedule.
 */
class SimGitHubApiInLocalRuntimeTest {

  private static final String EC2_X64 = "[\"self-hosted\",\"ec2\",\"x64\"]";

  private static LocalRuntime runtime;
  private static GitHubAppClient client;

  @BeforeAll
  static void start() {
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults("sim-rest-secret")
                .withPort(0)
                .withReconcile(
                    new RuntimeOptions.Reconcile(Duration.ofHours(1), null, Duration.ofHours(6))));
    client = client(runtime.gitHubApi()::appKeyPem);
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /** The real client, waits recorded away (no sleeping through its backoff). */
  private static GitHubAppClient client(PrivateKeySource key) {
    GitHubAppSettings settings =
        GitHubAppSettings.of(SimGitHubApi.APP_ID)
            .withApiBaseUrl(runtime.baseUri().resolve(SimGitHubApi.BASE));
    return new GitHubAppClient(
        settings, key, GitHubAppClient.defaultHttpClient(settings), wait -> {});
  }

  private static GitHubScope scopeOf(long jobId) {
    SimJob job = runtime.gitHub().known(jobId).orElseThrow();
    return new GitHubScope(job.organization(), job.repository(), job.installationId());
  }

  private static long queueLongJob() throws Exception {
    long id = queue(runtime, "{\"labels\":" + EC2_X64 + ",\"seconds\":600}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "in_progress".equals(view(runtime, id).path("status").asText()));
    return id;
  }

  @Test
  void jobAndBusyRunner_lookedUpThroughTheClient_inGitHubsShapes() throws Exception {
    long id = queueLongJob();
    GitHubScope scope = scopeOf(id);
    int before = runtime.gitHubApiRequests();

    JobLookup job = client.job(scope, id);

    String runnerName = view(runtime, id).path("runnerName").asText();
    assertThat(job).isEqualTo(new JobLookup.Found(id, "in_progress", null, runnerName));
    long runnerId =
        runtime.gitHub().runners().stream()
            .filter(r -> r.name().equals(runnerName))
            .findFirst()
            .orElseThrow()
            .runnerId();
    assertThat(client.runner(scope, runnerId))
        .isEqualTo(new RunnerLookup.Found(runnerId, runnerName, true, true));
    assertThat(client.deleteRunner(scope, runnerId)).isEqualTo(DeleteResult.BUSY);
    assertThat(client.job(scope, 1L)).isInstanceOf(JobLookup.NotFound.class);
    assertThat(runtime.gitHubApiRequests()).isGreaterThan(before);
  }

  @Test
  void jitConfig_minted_thenATakenName_isListedDeletedAndMintedAgain() throws Exception {
    long jobId = queueLongJob();
    GitHubScope scope = scopeOf(jobId);
    JitRequest request = new JitRequest("sim-rest-jit-1", List.of("self-hosted", "ec2"), scope);

    JitResult first = client.createJitConfig(request);
    assertThat(first).isInstanceOf(JitResult.Minted.class);
    long firstId = ((JitResult.Minted) first).config().runnerId();
    assertThat(client.runner(scope, firstId))
        .isEqualTo(new RunnerLookup.Found(firstId, "sim-rest-jit-1", false, false));

    // GitHub answers 409 for a taken name: the client lists by name, deletes, and mints again.
    JitResult second = client.createJitConfig(request);
    assertThat(second).isInstanceOf(JitResult.Minted.class);
    long secondId = ((JitResult.Minted) second).config().runnerId();
    assertThat(secondId).isNotEqualTo(firstId);
    assertThat(client.runner(scope, firstId)).isInstanceOf(RunnerLookup.NotFound.class);

    assertThat(client.deleteRunner(scope, secondId)).isEqualTo(DeleteResult.DELETED);
    assertThat(client.runner(scope, secondId)).isInstanceOf(RunnerLookup.NotFound.class);
  }

  @Test
  void deliveries_pageNewestFirstWithGitHubsLink_andRedeliver202or404() throws Exception {
    queue(runtime, "{\"labels\":" + EC2_X64 + ",\"seconds\":1}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ((DeliveryPage.Page) runtime.gitHub().deliveries(null, 3)).deliveries().size()
                    == 3);
    List<GitHubDeliveries.Delivery> expected =
        ((DeliveryPage.Page) runtime.gitHub().deliveries(null, 2)).deliveries();
    GitHubDeliveries deliveries = client.deliveries();

    DeliveryPage.Page first = (DeliveryPage.Page) deliveries.page(null, 1);
    assertThat(first.nextCursor()).isNotNull();
    DeliveryPage.Page second = (DeliveryPage.Page) deliveries.page(first.nextCursor(), 1);

    assertThat(List.of(first.deliveries().get(0).id(), second.deliveries().get(0).id()))
        .containsExactly(expected.get(0).id(), expected.get(1).id());
    assertThat(first.deliveries().get(0).guid()).isEqualTo(expected.get(0).guid());
    assertThat(deliveries.redeliver(expected.get(1).id())).isEqualTo(RedeliverResult.ACCEPTED);
    assertThat(deliveries.redeliver(1L)).isEqualTo(RedeliverResult.REFUSED);
  }

  @Test
  void faultSchedule_5xxAnd429And403_reachTheClientAsRetryLater() throws Exception {
    long id = queueLongJob();
    GitHubScope scope = scopeOf(id);
    // The installation token is fetched (and cached) before the faults are scripted.
    assertThat(client.job(scope, id)).isInstanceOf(JobLookup.Found.class);

    // The client tries three times before it gives up on a 5xx.
    runtime.gitHub().failNext(3, 502);
    assertThat(client.job(scope, id))
        .isInstanceOfSatisfying(
            JobLookup.RetryLater.class, r -> assertThat(r.reason()).contains("HTTP 502"));

    runtime.gitHub().failNext(1, 429);
    assertThat(client.job(scope, id))
        .isInstanceOfSatisfying(
            JobLookup.RetryLater.class,
            r -> assertThat(r.reason()).contains("rate limited", "HTTP 429", "60 s"));

    runtime.gitHub().failNext(1, 403);
    assertThat(client.deliveries().page(null, 1))
        .isInstanceOfSatisfying(
            DeliveryPage.RetryLater.class,
            r -> assertThat(r.reason()).contains("rate limited", "HTTP 403"));

    // A secondary rate limit on a re-run is a wait, not GitHub's 403 refusal of a running job.
    // (The first call also fetches the re-run token, so the fault meets the re-run itself.)
    assertThat(client.rerunJob(scope, id)).isEqualTo(RerunResult.REFUSED);
    runtime.gitHub().failNext(1, 403);
    assertThat(client.rerunJob(scope, id)).isEqualTo(RerunResult.RETRY_LATER);

    assertThat(client.job(scope, id)).isInstanceOf(JobLookup.Found.class);
  }

  @Test
  void lostCompleted_isRepairedByTheReconciler_throughGitHubsRestApi() throws Exception {
    long id = queue(runtime, "{\"labels\":" + EC2_X64 + ",\"seconds\":1,\"lose\":[\"completed\"]}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "completed".equals(view(runtime, id).path("status").asText()));
    assertThat(ReconcilerInLocalRuntimeTest.status(runtime, id)).isNotEqualTo(JobStatus.COMPLETED);
    int before = runtime.gitHubApiRequests();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              runtime.reconcile();
              return ReconcilerInLocalRuntimeTest.status(runtime, id) == JobStatus.COMPLETED;
            });

    // The reconciler learnt the end from GitHub over HTTP, not through the in-process port.
    assertThat(runtime.gitHubApiRequests()).isGreaterThan(before);
  }

  @Test
  void aJwtSignedByAnotherKey_is401_andTheClientIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String otherKey =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder()
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";

    DeliveryPage page = client(() -> otherKey).deliveries().page(null, 1);

    assertThat(page)
        .isInstanceOfSatisfying(
            DeliveryPage.Refused.class, r -> assertThat(r.reason()).contains("HTTP 401"));
  }
}
