package dev.runfleet.producer.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.JobEventStore;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The webhook path in process (verify, parse, route, log) with the store stubbed, as the peers'
 * benchmark measures it. The bar is 5,000 webhooks a second on one thread; the measured rate is
 * logged for the record.
 */
class IntakeThroughputTest {

  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 30_000;

  @Test
  void intake_sustainsMoreThan5000WebhooksPerSecondOnOneThread() {
    ObjectMapper mapper = new ObjectMapper();
    JobStateMachine machine = new JobStateMachine(PlatformCatalog.defaults());
    JobEventStore store =
        event -> new JobEventStore.Appended.Recorded(machine.apply(null, event, Instant.EPOCH));
    IntakeMetrics metrics = new NoMetrics();
    WebhookIntake intake =
        new WebhookIntake(
            1_048_576,
            new SignatureVerifier(Webhooks.SECRET, "previous"),
            new WorkflowJobParser(mapper),
            store,
            metrics,
            mapper);
    WebhookRequest request = Webhooks.signed("workflow_job", Fixtures.bytes(Fixtures.WAITING));

    for (int i = 0; i < WARM_UP; i++) {
      assertThat(intake.handle(request).statusCode()).isEqualTo(200);
    }
    long start = System.nanoTime();
    for (int i = 0; i < MEASURED; i++) {
      if (intake.handle(request).statusCode() != 200) {
        throw new AssertionError("webhook " + i + " was not recorded");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double perSecond = MEASURED / seconds;
    System.out.printf(
        "intake throughput: %.0f webhooks/s (%.1f us each)%n", perSecond, 1e6 / perSecond);

    assertThat(perSecond).isGreaterThan(5_000);
  }

  private static final class NoMetrics implements IntakeMetrics {
    @Override
    public void received() {}

    @Override
    public void accepted() {}

    @Override
    public void duplicate() {}

    @Override
    public void ignored() {}

    @Override
    public void rejected(Rejection reason) {}

    @Override
    public void storeUnavailable() {}
  }
}
