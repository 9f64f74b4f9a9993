package dev.runfleet.orchestrators;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.port.RunnerLauncher.HostLookup;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SnapStart's priming as Lambda runs it before the snapshot: the shipped SQS event's command is
 * decoded, the runner's record read from the embedded DynamoDB and its host looked up, and nothing
 * is written, launched or stopped.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class OrchestratorPrimingTest {

  private final List<String> lookedUp = new CopyOnWriteArrayList<>();
  private Fleet fleet;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  @Test
  void prime_decodesTheShippedCommand_readsItsRunnerAndHost_andChangesNothing() throws Exception {
    fleet
        .launcher()
        .onFind(
            name -> {
              lookedUp.add(name);
              return new HostLookup.None();
            });

    List<RunnerCommand> commands = fleet.component(FARGATE).priming().prime();

    assertThat(commands).singleElement().isInstanceOf(RunnerCommand.SpinUp.class);
    String runner = commands.get(0).runnerName();
    assertThat(lookedUp).containsExactly(runner);
    assertThat(fleet.launcher().launches()).isEmpty();
    assertThat(fleet.launcher().stops()).isEmpty();
    assertThat(fleet.client().scan(b -> b.tableName(fleet.table())).count()).isZero();
  }

  @Test
  void beforeCheckpoint_whenTheHostLookupFails_letsTheSnapshotGoOn() {
    fleet
        .launcher()
        .onFind(
            name -> {
              lookedUp.add(name);
              throw new IllegalStateException("ECS is unreachable");
            });

    assertThatCode(() -> fleet.component(FARGATE).priming().resource().beforeCheckpoint(null))
        .doesNotThrowAnyException();
    assertThat(lookedUp).hasSize(1);
  }
}
