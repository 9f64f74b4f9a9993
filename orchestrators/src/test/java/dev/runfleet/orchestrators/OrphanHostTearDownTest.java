package dev.runfleet.orchestrators;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static dev.runfleet.orchestrators.testing.Fleet.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.RunnerLauncher.StopOutcome;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.RecordingLauncher;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orchestrator's half of the orphan sweep: a tear-down naming a host stops that host when no
 * live runner record owns it, and never when one does.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class OrphanHostTearDownTest {

  private static final String HOST = "arn:aws:ecs:eu-west-1:123456789012:task/runners/0a1b2c";

  private Fleet fleet;
  private FargateOrchestratorHandler handler;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    handler = new FargateOrchestratorHandler(fleet.component(FARGATE));
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  private static RunnerCommand.TearDown orphan(String runner) {
    return RunnerCommand.TearDown.orphanHost(
        runner, FARGATE, HOST, "orphan host: runner record is gone", Instant.now());
  }

  @Test
  void orphanTearDown_whenTheRecordIsGone_stopsTheNamedHostAndDeletesItsSecret() {
    String runner = "rf-fargate-501-1-1";
    String secret =
        ((dev.runfleet.common.port.JitHandOff.StoreResult.Stored)
                fleet.handOff().store(FARGATE, runner, new JitConfig(9, "eyJqaXQiOiJ4In0=")))
            .reference();

    var response = Fleet.invoke(handler, event(fleet.message(orphan(runner))));

    assertThat(Fleet.failedIds(response)).isEmpty();
    assertThat(fleet.launcher().stops()).containsExactly(new RecordingLauncher.Stop(runner, HOST));
    assertThat(fleet.handOff().holds(secret)).isFalse();
  }

  @Test
  void orphanTearDown_whenTheRecordEnded_stopsTheNamedHost() {
    String runner = "rf-fargate-502-1-1";
    fleet.putRequested(runner, FARGATE);
    fleet.store().markFailed(runner, "test", Instant.now());

    Fleet.invoke(handler, event(fleet.message(orphan(runner))));

    assertThat(fleet.launcher().stops()).containsExactly(new RecordingLauncher.Stop(runner, HOST));
  }

  @Test
  void orphanTearDown_whenALiveRecordOwnsTheRunner_stopsNothing() {
    String runner = "rf-fargate-503-1-1";
    fleet.putRequested(runner, FARGATE);

    Fleet.invoke(handler, event(fleet.message(orphan(runner))));

    assertThat(fleet.launcher().stops()).isEmpty();
    assertThat(fleet.runner(runner).status()).isEqualTo(RunnerStatus.REQUESTED);
  }

  @Test
  void orphanTearDown_whenTheStopIsThrottled_isRetried() {
    fleet.launcher().answerStop(StopOutcome.RETRY_LATER);
    var message = fleet.message(orphan("rf-fargate-504-1-1"));

    var response = Fleet.invoke(handler, event(message));

    assertThat(Fleet.failedIds(response)).containsExactly(message.getMessageId());
  }

  @Test
  void plainTearDown_ofAnUnknownRunner_stillStopsNothing() {
    Fleet.invoke(
        handler,
        event(fleet.message(Fleet.tearDown("rf-fargate-505-1-1", FARGATE, "job completed"))));

    assertThat(fleet.launcher().stops()).isEmpty();
  }
}
