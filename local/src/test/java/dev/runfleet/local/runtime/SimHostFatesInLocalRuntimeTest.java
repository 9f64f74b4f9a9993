package dev.runfleet.local.runtime;

import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.queue;
import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
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
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults("fates-secret")
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

    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> "completed".equals(view(runtime, id).path("status").asText()));
    JsonNode done = view(runtime, id);
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

    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> "completed".equals(view(runtime, id).path("status").asText()));
    assertThat(view(runtime, id).path("conclusion").asText()).isEqualTo("success");
    assertThat(runtime.hosts().faultCounts()).containsEntry("dies-before-register", 1);
  }
}
