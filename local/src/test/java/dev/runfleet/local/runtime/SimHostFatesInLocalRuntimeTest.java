package dev.runfleet.local.runtime;

import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.queue;
import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.orchestrators.hostevents.HostEnd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Host fates scripted over {@code /sim/jobs}, repaired by the reconciler and the host-end events.
 */
class SimHostFatesInLocalRuntimeTest {

  private static final String EC2_X64 = "[\"self-hosted\",\"ec2\",\"x64\"]";
  private LocalRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private void start() {
    start(RuntimeOptions.defaults("fates-secret"));
  }

  private void start(RuntimeOptions options) {
    runtime =
        LocalRuntime.start(
            options
                .withPort(0)
                .withReconcile(
                    new RuntimeOptions.Reconcile(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(6))));
  }

  @Test
  void neverRegisters_isTornDownAtTheBootDeadline_andTheJobStillCompletes() throws Exception {
    start();

    long id =
        queue(runtime, "{\"labels\":" + EC2_X64 + ",\"seconds\":1,\"host\":\"never-registers\"}");

    JsonNode done = awaitCompleted(id, 90);
    assertThat(done.path("conclusion").asText()).isEqualTo("success");
    // The first runner never came online: the job ran on the one launched after its tear-down.
    assertThat(done.path("runnerName").asText()).doesNotEndWith("-" + id + "-1-1");
    assertThat(runtime.hosts().faultCounts()).containsEntry("never-registers", 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.hosts().hostsAlive() == 0);
  }

  @Test
  void diesBeforeRegister_hostIsFoundGone_andTheJobStillCompletes() throws Exception {
    start();

    long id =
        queue(
            runtime,
            "{\"labels\":" + EC2_X64 + ",\"seconds\":1,\"host\":\"dies-before-register\"}");

    assertThat(awaitCompleted(id, 90).path("conclusion").asText()).isEqualTo("success");
    assertThat(runtime.hosts().faultCounts()).containsEntry("dies-before-register", 1);
  }

  private JobStatus fleetStatus(long id) {
    return ReconcilerInLocalRuntimeTest.status(runtime, id);
  }

  private JsonNode awaitCompleted(long id, int seconds) {
    await()
        .atMost(Duration.ofSeconds(seconds))
        .until(() -> "completed".equals(view(runtime, id).path("status").asText()));
    try {
      return view(runtime, id);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void spotInterrupted_whileRunningTheJob_failsIt_recordsTheEnd_andReRunsIt() throws Exception {
    start(
        RuntimeOptions.defaults("fates-secret")
            .withPlatforms(
                new PlatformCatalog(List.of(HostEndsInLocalRuntimeTest.FARGATE_RERUN)), 1));

    long id =
        queue(
            runtime,
            "{\"labels\":[\"self-hosted\",\"fargate\"],\"seconds\":10,"
                + "\"host\":\"spot-interrupted\"}");

    assertThat(awaitCompleted(id, 60).path("conclusion").asText()).isEqualTo("failure");
    String first = "rf-fargate-" + id + "-1-1";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                runtime.runners().stream()
                    .filter(r -> r.name().equals(first))
                    .map(Runner::detail)
                    .anyMatch(d -> d != null && d.startsWith(HostEnd.SPOT_INTERRUPTED)));
    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.gitHub().reruns() == 1);
    // The re-run attempt ran on a host of its own, which no fault touched.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> runtime.gitHub().conclusions().containsValue("success"));
    assertThat(runtime.hosts().faultCounts()).containsEntry("spot-interrupted", 1);
  }

  @Test
  void lostInProgressAndCompleted_theReconcilerLearnsTheEndFromGitHub() throws Exception {
    start();

    long id =
        queue(
            runtime,
            "{\"labels\":" + EC2_X64 + ",\"seconds\":1,\"lose\":[\"in_progress\",\"completed\"]}");

    awaitCompleted(id, 60);
    assertThat(fleetStatus(id)).isNotEqualTo(JobStatus.COMPLETED);
    await().atMost(Duration.ofSeconds(60)).until(() -> fleetStatus(id) == JobStatus.COMPLETED);
    assertThat(runtime.gitHub().faultCounts()).containsEntry("lost", 2);
  }

  @Test
  void randomFaults_ofGitHubAndHosts_areDrawnAndCounted_andEveryJobStillEnds() throws Exception {
    start();
    assertThat(
            SimApiInLocalRuntimeTest.send(
                    runtime,
                    "POST",
                    "/sim/github/faults",
                    "{\"duplicateRate\":0.5,\"reorderRate\":0.5,\"errorRate\":0.1,\"seed\":3}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            SimApiInLocalRuntimeTest.send(
                    runtime,
                    "POST",
                    "/sim/hosts/faults",
                    "{\"launchFailureRate\":0.3,\"diesAfterRegisterRate\":0.2,\"seed\":3}")
                .statusCode())
        .isEqualTo(200);

    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(queue(runtime, "{\"labels\":" + EC2_X64 + ",\"seconds\":1}"));
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              for (long id : ids) {
                if (!"completed".equals(view(runtime, id).path("status").asText())) {
                  return false;
                }
              }
              return true;
            });
    assertThat(runtime.gitHub().faultCounts()).containsKeys("duplicate", "reorder");
    assertThat(runtime.hosts().faultCounts()).containsKey("launch-failure");
  }
}
