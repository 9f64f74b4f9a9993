package dev.runfleet.local.runtime;

import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.queue;
import static dev.runfleet.local.runtime.SimApiInLocalRuntimeTest.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runfleet.common.port.GitHubDeliveries.Delivery;
import dev.runfleet.common.port.GitHubDeliveries.DeliveryPage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's lost webhook, end to end: GitHub queues a job whose {@code queued} webhook never
 * arrives; nobody but GitHub knows the job, until the reconciler finds the failed delivery in the
 * App's delivery log and asks for it again, and the job runs.
 */
class LostWebhookRedeliveryInLocalRuntimeTest {

  private static LocalRuntime runtime;

  @BeforeAll
  static void start() {
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults("redelivery-secret")
                .withPort(0)
                .withReconcile(
                    new RuntimeOptions.Reconcile(
                        Duration.ofSeconds(1), null, Duration.ofHours(6))));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static List<Delivery> log() {
    return ((DeliveryPage.Page) runtime.gitHub().deliveries(null, 100)).deliveries();
  }

  @Test
  void lostQueuedWebhook_isRedeliveredByTheReconciler_andTheJobRuns() throws Exception {
    long id =
        queue(
            runtime,
            "{\"labels\":[\"self-hosted\",\"ec2\",\"x64\"],\"seconds\":1,\"lose\":[\"queued\"]}");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "completed".equals(view(runtime, id).path("status").asText()));

    assertThat(view(runtime, id).path("conclusion").asText()).isEqualTo("success");
    Delivery lost =
        log().stream()
            .filter(d -> "queued".equals(d.action()) && !d.redelivery() && !d.delivered())
            .findFirst()
            .orElseThrow();
    // Asked once: one redelivery of the lost guid, and it reached the producer.
    assertThat(log())
        .filteredOn(d -> d.guid().equals(lost.guid()) && d.redelivery())
        .singleElement()
        .satisfies(d -> assertThat(d.delivered()).isTrue());
    assertThat(runtime.jobs()).anyMatch(j -> j.key().jobId() == id);
  }
}
