package dev.runfleet.it;

import static dev.runfleet.it.support.Fleets.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.it.support.FleetApi;
import dev.runfleet.it.support.Fleets;
import dev.runfleet.it.support.GitHubWebhooks;
import dev.runfleet.it.support.OfficialFixtures;
import dev.runfleet.local.runtime.LocalRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * GitHub's official example payloads, posted byte for byte as stored and signed as GitHub signs
 * them, through the whole local pipeline.
 */
class OfficialFixturesTest {

  private static LocalRuntime runtime;
  private static GitHubWebhooks gitHub;
  private static FleetApi api;

  @BeforeAll
  static void start() {
    String secret = Fleets.newSecret();
    runtime = Fleets.start(secret, Map.of(), 30);
    gitHub = new GitHubWebhooks(runtime.baseUri(), secret);
    api = new FleetApi(runtime.baseUri());
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void signature_matchesGitHubsPublishedTestVector() {
    // The signer every scenario here relies on, checked against GitHub's documented example.
    assertThat(
            GitHubWebhooks.sign(
                "It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  }

  @TestFactory
  Stream<DynamicTest> everyOfficialFixture_postedAsStored_isAccepted() {
    List<String> fixtures = OfficialFixtures.all();
    assertThat(fixtures)
        .as("the fixtures this suite was written for")
        .contains(
            OfficialFixtures.PING,
            OfficialFixtures.QUEUED,
            OfficialFixtures.IN_PROGRESS,
            OfficialFixtures.COMPLETED,
            OfficialFixtures.WAITING);
    return fixtures.stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      GitHubWebhooks.Reply reply =
                          gitHub.deliver(
                              OfficialFixtures.eventOf(name), OfficialFixtures.bytes(name));
                      assertThat(reply.status())
                          .as("%s answered %s", name, reply)
                          .isBetween(200, 299);
                    }));
  }

  @Test
  void ping_isAnsweredWith200() {
    GitHubWebhooks.Reply reply =
        gitHub.deliver("ping", OfficialFixtures.bytes(OfficialFixtures.PING));

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
  }

  @Test
  void queuedInProgressCompleted_forGitHubHostedLabels_endIgnoredWithoutARunner() {
    for (String name :
        List.of(
            OfficialFixtures.QUEUED, OfficialFixtures.IN_PROGRESS, OfficialFixtures.COMPLETED)) {
      GitHubWebhooks.Reply reply = gitHub.deliver("workflow_job", OfficialFixtures.bytes(name));
      assertThat(reply.status()).as("%s answered %s", name, reply).isBetween(200, 299);
    }

    JsonNode job =
        within(Fleets.PIPELINE)
            .until(() -> api.job(OfficialFixtures.HOSTED_JOB_ID), j -> j.isPresent())
            .orElseThrow();
    assertThat(job.path("status").asText()).isEqualTo(JobStatus.IGNORED.name());
    assertThat(job.path("platform").isNull()).as("platform of %s", job).isTrue();
    assertThat(job.path("dispatchCount").asInt()).isZero();
    // The pipeline reacts in well under the hold: a runner for this job would show up in it.
    JobKey key = new JobKey(OfficialFixtures.HOSTED_JOB_ID, 1);
    within(Duration.ofSeconds(5))
        .during(Duration.ofMillis(750))
        .until(() -> Fleets.runnersInvolving(runtime, key).isEmpty());
    assertThat(api.runners())
        .as("runners over the API")
        .noneSatisfy(r -> assertThat(r.path("job").asText()).isEqualTo(key.asString()));
    assertThat(Fleets.job(runtime, key))
        .get()
        .extracting(j -> j.status())
        .isEqualTo(JobStatus.IGNORED);
  }

  @Test
  void waiting_forLabelsNoPlatformServes_isIgnored() {
    GitHubWebhooks.Reply reply =
        gitHub.deliver("workflow_job", OfficialFixtures.bytes(OfficialFixtures.WAITING));

    assertThat(reply.status()).as("%s", reply).isBetween(200, 299);
    assertThat(api.jobStatus(OfficialFixtures.K8S_JOB_ID)).isEqualTo(JobStatus.IGNORED.name());
    JobKey key = new JobKey(OfficialFixtures.K8S_JOB_ID, 1);
    within(Duration.ofSeconds(5))
        .during(Duration.ofMillis(750))
        .until(() -> Fleets.runnersInvolving(runtime, key).isEmpty());
  }
}
