package dev.runfleet.orchestrators.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.runfleet.orchestrators.github.GitHubTestBed.INSTALLATION;
import static dev.runfleet.orchestrators.github.GitHubTestBed.ORG;
import static dev.runfleet.orchestrators.github.GitHubTestBed.REPO;
import static dev.runfleet.orchestrators.github.GitHubTestBed.TOKEN;
import static dev.runfleet.orchestrators.github.GitHubTestBed.bearer;
import static dev.runfleet.orchestrators.github.GitHubTestBed.error;
import static dev.runfleet.orchestrators.github.GitHubTestBed.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.runfleet.common.port.GitHubRunners.DeleteResult;
import dev.runfleet.common.port.GitHubRunners.JobLookup;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitHubAppClientDeleteAndJobTest {

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String ORG_RUNNER = "/orgs/octo-org/actions/runners/23";
  private static final String REPO_RUNNER = "/repos/octocat/hello-world/actions/runners/23";
  private static final String JOB = "/repos/octocat/hello-world/actions/jobs/29679449";

  private GitHubTestBed bed;

  @BeforeEach
  void setUp() {
    bed = new GitHubTestBed(github);
    bed.stubToken("", INSTALLATION, TOKEN);
  }

  @Test
  void deleteRunner_whenGitHubRemovesIt_isDeleted() {
    github.stubFor(
        delete(urlPathEqualTo(ORG_RUNNER))
            .withHeader("Authorization", bearer(TOKEN))
            .willReturn(aResponse().withStatus(204)));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.DELETED);
    github.verify(1, deleteRequestedFor(urlPathEqualTo(ORG_RUNNER)));
  }

  @Test
  void deleteRunner_forRepository_usesRepositoryPath() {
    github.stubFor(delete(urlPathEqualTo(REPO_RUNNER)).willReturn(aResponse().withStatus(204)));

    assertThat(bed.client().deleteRunner(REPO, 23)).isEqualTo(DeleteResult.DELETED);
    github.verify(1, deleteRequestedFor(urlPathEqualTo(REPO_RUNNER)));
  }

  @Test
  void deleteRunner_whenAlreadyGone_isDeleted() {
    github.stubFor(delete(urlPathEqualTo(ORG_RUNNER)).willReturn(error(404, "Not Found")));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.DELETED);
  }

  @Test
  void deleteRunner_whenRunningAJob_isBusy() {
    github.stubFor(
        delete(urlPathEqualTo(ORG_RUNNER))
            .willReturn(error(422, "Bad request - Runner rf-1 is still running a job")));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.BUSY);
    github.verify(1, deleteRequestedFor(urlPathEqualTo(ORG_RUNNER)));
  }

  @Test
  void deleteRunner_whenForbidden_isRefused() {
    github.stubFor(
        delete(urlPathEqualTo(ORG_RUNNER))
            .willReturn(error(403, "Resource not accessible by integration")));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.REFUSED);
    assertThat(bed.sleeper.waits()).isEmpty();
  }

  @Test
  void deleteRunner_whenUnauthorizedAfterTokenRefresh_isRefused() {
    github.stubFor(delete(urlPathEqualTo(ORG_RUNNER)).willReturn(error(401, "Bad credentials")));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.REFUSED);
    github.verify(2, deleteRequestedFor(urlPathEqualTo(ORG_RUNNER)));
  }

  @Test
  void deleteRunner_whenRateLimited_isRetryLater() {
    github.stubFor(
        delete(urlPathEqualTo(ORG_RUNNER))
            .willReturn(
                error(403, "API rate limit exceeded for installation ID 7001.")
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader(
                        "x-ratelimit-reset",
                        Long.toString(GitHubTestBed.START.getEpochSecond() + 900))));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.RETRY_LATER);
    github.verify(1, deleteRequestedFor(urlPathEqualTo(ORG_RUNNER)));
  }

  @Test
  void deleteRunner_whenSecondaryLimitAsksForAShortWait_waitsAndDeletes() {
    github.stubFor(
        delete(urlPathEqualTo(ORG_RUNNER))
            .inScenario("secondary")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                error(403, "You have exceeded a secondary rate limit.")
                    .withHeader("retry-after", "1"))
            .willSetStateTo("ok"));
    github.stubFor(
        delete(urlPathEqualTo(ORG_RUNNER))
            .inScenario("secondary")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withStatus(204)));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.DELETED);
    assertThat(bed.sleeper.waits()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void deleteRunner_whenGitHubUnavailable_isRetryLater() {
    github.stubFor(
        delete(urlPathEqualTo(ORG_RUNNER)).willReturn(error(503, "Service Unavailable")));

    assertThat(bed.client().deleteRunner(ORG, 23)).isEqualTo(DeleteResult.RETRY_LATER);
    github.verify(3, deleteRequestedFor(urlPathEqualTo(ORG_RUNNER)));
  }

  @Test
  void deleteRunner_whenKeyCannotBeRead_isRefusedWithoutKeyMaterial() {
    GitHubAppClient client =
        bed.client(bed.settings(), () -> "-----BEGIN RSA PRIVATE KEY-----\nnot-a-key\n");

    assertThat(client.deleteRunner(ORG, 23)).isEqualTo(DeleteResult.REFUSED);
    assertThat(github.getAllServeEvents()).isEmpty();
  }

  @Test
  void job_whenCompleted_reportsStatusConclusionAndRunner() {
    github.stubFor(
        get(urlPathEqualTo(JOB))
            .withHeader("Authorization", bearer(TOKEN))
            .willReturn(
                json(
                    200,
                    "{\"id\":29679449,\"run_id\":29679449,\"run_attempt\":1,\"status\":\"completed\","
                        + "\"conclusion\":\"success\",\"started_at\":\"2026-03-02T09:58:00Z\","
                        + "\"completed_at\":\"2026-03-02T09:59:10Z\",\"name\":\"build\","
                        + "\"labels\":[\"self-hosted\",\"linux\"],\"runner_id\":23,"
                        + "\"runner_name\":\"rf-1\",\"runner_group_id\":1,"
                        + "\"runner_group_name\":\"Default\"}")));

    assertThat(bed.client().job(REPO, 29679449))
        .isEqualTo(new JobLookup.Found(29679449, "completed", "success", "rf-1"));
  }

  @Test
  void job_whenQueued_hasNoConclusionOrRunner() {
    github.stubFor(
        get(urlPathEqualTo(JOB))
            .willReturn(
                json(
                    200,
                    "{\"id\":29679449,\"status\":\"queued\",\"conclusion\":null,"
                        + "\"runner_id\":null,\"runner_name\":null,\"labels\":[\"self-hosted\"]}")));

    assertThat(bed.client().job(REPO, 29679449))
        .isEqualTo(new JobLookup.Found(29679449, "queued", null, null));
  }

  @Test
  void job_whenUnknown_isNotFound() {
    github.stubFor(get(urlPathEqualTo(JOB)).willReturn(error(404, "Not Found")));

    assertThat(bed.client().job(REPO, 29679449)).isInstanceOf(JobLookup.NotFound.class);
  }

  @Test
  void job_whenGitHubFailsThenAnswers_retriesWithinTheCall() {
    github.stubFor(
        get(urlPathEqualTo(JOB))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(502))
            .willSetStateTo("ok"));
    github.stubFor(
        get(urlPathEqualTo(JOB))
            .inScenario("flaky")
            .whenScenarioStateIs("ok")
            .willReturn(
                json(
                    200, "{\"id\":29679449,\"status\":\"in_progress\",\"runner_name\":\"rf-1\"}")));

    assertThat(bed.client().job(REPO, 29679449))
        .isEqualTo(new JobLookup.Found(29679449, "in_progress", null, "rf-1"));
    assertThat(bed.sleeper.waits()).hasSize(1);
  }

  @Test
  void job_whenRateLimited_isRetryLater() {
    github.stubFor(
        get(urlPathEqualTo(JOB))
            .willReturn(error(429, "secondary rate limit").withHeader("Retry-After", "30")));

    JobLookup lookup = bed.client().job(REPO, 29679449);

    assertThat(lookup).isInstanceOf(JobLookup.RetryLater.class);
    assertThat(((JobLookup.RetryLater) lookup).reason()).contains("30 s");
  }

  @Test
  void job_whenForbidden_isRetryLaterNotNotFound() {
    github.stubFor(
        get(urlPathEqualTo(JOB)).willReturn(error(403, "Resource not accessible by integration")));

    JobLookup lookup = bed.client().job(REPO, 29679449);

    assertThat(lookup).isInstanceOf(JobLookup.RetryLater.class);
    assertThat(((JobLookup.RetryLater) lookup).reason())
        .contains("403")
        .contains("Resource not accessible by integration");
  }

  /** GitHub's documented answer to GET /orgs/{org}/actions/runners/{runner_id}. */
  private static String runnerBody(String status, boolean busy) {
    return "{\"id\":23,\"name\":\"rf-fargate-1-1-1\",\"os\":\"linux\",\"status\":\""
        + status
        + "\",\"busy\":"
        + busy
        + ",\"ephemeral\":true,\"labels\":[{\"id\":5,\"name\":\"self-hosted\",\"type\":\"custom\"}]}";
  }

  @Test
  void runner_whenOnlineAndBusy_reportsBoth() {
    github.stubFor(
        get(urlPathEqualTo(ORG_RUNNER))
            .withHeader("Authorization", bearer(TOKEN))
            .willReturn(json(200, runnerBody("online", true))));

    assertThat(bed.client().runner(ORG, 23))
        .isEqualTo(new RunnerLookup.Found(23, "rf-fargate-1-1-1", true, true));
  }

  @Test
  void runner_whenOffline_forRepository_usesRepositoryPath() {
    github.stubFor(
        get(urlPathEqualTo(REPO_RUNNER)).willReturn(json(200, runnerBody("offline", false))));

    assertThat(bed.client().runner(REPO, 23))
        .isEqualTo(new RunnerLookup.Found(23, "rf-fargate-1-1-1", false, false));
  }

  @Test
  void runner_whenUnknown_isNotFound() {
    github.stubFor(get(urlPathEqualTo(ORG_RUNNER)).willReturn(error(404, "Not Found")));

    assertThat(bed.client().runner(ORG, 23)).isInstanceOf(RunnerLookup.NotFound.class);
  }

  @Test
  void runner_whenAnswerLacksBusy_isRetryLater() {
    github.stubFor(
        get(urlPathEqualTo(ORG_RUNNER)).willReturn(json(200, "{\"id\":23,\"status\":\"online\"}")));

    assertThat(bed.client().runner(ORG, 23)).isInstanceOf(RunnerLookup.RetryLater.class);
  }

  @Test
  void runner_whenForbidden_isRetryLaterNotNotFound() {
    github.stubFor(
        get(urlPathEqualTo(ORG_RUNNER))
            .willReturn(error(403, "Resource not accessible by integration")));

    assertThat(bed.client().runner(ORG, 23)).isInstanceOf(RunnerLookup.RetryLater.class);
  }
}
