package dev.runfleet.orchestrators;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static dev.runfleet.orchestrators.testing.Fleet.FARGATE_LABELS;
import static dev.runfleet.orchestrators.testing.Fleet.event;
import static dev.runfleet.orchestrators.testing.Fleet.spinUp;
import static dev.runfleet.orchestrators.testing.Fleet.tearDown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.GitHubRunners.JitResult;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.RunnerLauncher.LaunchOutcome;
import dev.runfleet.common.port.RunnerLauncher.LaunchRequest;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.CapturedLogs;
import dev.runfleet.orchestrators.testing.DynamoDbLocalExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An unused JIT config is a bearer credential for the next job's secrets: it goes to the launcher
 * as the {@link JitConfig} object and nowhere else (not a string, a log line, or the table).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SecretHandlingTest {

  private static final String SECRET = "eyJhIjoiaml0LWNyZWRlbnRpYWwifQ==";

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

  @Test
  void jitConfig_toString_hidesEncodedConfig() {
    JitConfig config = new JitConfig(31, SECRET);

    assertThat(config.toString()).doesNotContain(SECRET).contains("31");
    assertThat(new JitResult.Minted(config).toString()).doesNotContain(SECRET);
  }

  @Test
  void launchRequest_toString_hidesEncodedConfig() {
    LaunchRequest request =
        new LaunchRequest("rf-fargate-1-1-1", FARGATE, FARGATE_LABELS, new JitConfig(31, SECRET));

    assertThat(request.toString()).doesNotContain(SECRET).contains("rf-fargate-1-1-1");
  }

  @Test
  void spinUp_handsLauncherTheMintedJitConfigObjectOnly() {
    fleet.putRequested("rf-fargate-4242-1-1", FARGATE);

    handler.handleRequest(event(fleet.message(spinUp("rf-fargate-4242-1-1", FARGATE))), null);

    JitConfig minted = fleet.gitHub().minted().get(0);
    LaunchRequest request = fleet.launcher().launches().get(0);
    assertThat(request.jitConfig()).isSameAs(minted);
    assertThat(
            List.of(request.runnerName(), request.platform(), String.join(",", request.labels())))
        .noneMatch(field -> field.contains(minted.encodedConfig()));
  }

  @Test
  void spinUp_onEveryPath_logsAndStoresNoJitConfig() {
    String launched = "rf-fargate-1-1-1";
    String refused = "rf-fargate-2-1-1";
    String throttled = "rf-fargate-3-1-1";
    String tornDown = "rf-fargate-4-1-1";
    String crashed = "rf-fargate-5-1-1";
    for (String name : List.of(launched, refused, throttled, tornDown, crashed)) {
      fleet.putRequested(name, FARGATE);
    }
    fleet
        .launcher()
        .onLaunch(
            request ->
                switch (request.runnerName()) {
                  case "rf-fargate-2-1-1" -> new LaunchOutcome.Rejected("invalid task definition");
                  case "rf-fargate-3-1-1" -> new LaunchOutcome.RetryLater("throttled");
                  case "rf-fargate-4-1-1" -> {
                    fleet
                        .component(FARGATE)
                        .lifecycle()
                        .handle(tearDown(tornDown, FARGATE, "cancelled"));
                    yield new LaunchOutcome.Launched("task/4");
                  }
                  case "rf-fargate-5-1-1" -> throw new IllegalStateException("launcher bug");
                  default -> new LaunchOutcome.Launched("task/1");
                });

    List<String> lines;
    try (CapturedLogs logs = CapturedLogs.start()) {
      handler.handleRequest(
          event(
              fleet.message(spinUp(launched, FARGATE)),
              fleet.message(spinUp(refused, FARGATE)),
              fleet.message(spinUp(throttled, FARGATE)),
              fleet.message(spinUp(tornDown, FARGATE)),
              fleet.message(spinUp(crashed, FARGATE))),
          null);
      lines = logs.lines();
    }

    List<String> secrets = fleet.gitHub().minted().stream().map(JitConfig::encodedConfig).toList();
    assertThat(secrets).hasSize(5);
    // The capture saw the orchestrator's own lines, so an absence below means something.
    assertThat(lines)
        .anyMatch(line -> line.contains("runner " + launched + " launched"))
        .anyMatch(line -> line.contains("launcher bug"));
    for (String secret : secrets) {
      assertThat(lines).noneMatch(line -> line.contains(secret));
      assertThat(fleet.items()).noneMatch(item -> item.toString().contains(secret));
    }
  }
}
