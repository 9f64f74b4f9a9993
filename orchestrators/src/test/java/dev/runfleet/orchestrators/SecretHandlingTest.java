package dev.runfleet.orchestrators;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static dev.runfleet.orchestrators.testing.Fleet.event;
import static dev.runfleet.orchestrators.testing.Fleet.spinUp;
import static dev.runfleet.orchestrators.testing.Fleet.tearDown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners.JitResult;
import dev.runfleet.common.port.InMemoryJitHandOff;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.Listing;
import dev.runfleet.common.port.RunnerLauncher.LaunchOutcome;
import dev.runfleet.common.port.RunnerLauncher.LaunchRequest;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.CapturedLogs;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An unused JIT config is a bearer credential for the next job's secrets: it goes into the
 * hand-over store and nowhere else (not the launcher, a log line, or the table); the launcher gets
 * the secret's name.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
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
  void spinUp_handsLauncherTheSecretNameOnly_andTheConfigWaitsInTheHandOff() {
    String runner = "rf-fargate-4242-1-1";
    fleet.putRequested(runner, FARGATE);

    Fleet.invoke(handler, event(fleet.message(spinUp(runner, FARGATE))));

    JitConfig minted = fleet.gitHub().minted().get(0);
    LaunchRequest request = fleet.launcher().launches().get(0);
    String reference = fleet.handOff().reference(FARGATE, runner);
    assertThat(request.jitConfigRef()).isEqualTo(reference);
    assertThat(request.toString()).doesNotContain(minted.encodedConfig());
    assertThat(fleet.handOff().take(reference)).contains(minted);
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
      Fleet.invoke(
          handler,
          event(
              fleet.message(spinUp(launched, FARGATE)),
              fleet.message(spinUp(refused, FARGATE)),
              fleet.message(spinUp(throttled, FARGATE)),
              fleet.message(spinUp(tornDown, FARGATE)),
              fleet.message(spinUp(crashed, FARGATE))));
      lines = logs.lines();
    }

    List<String> secrets = fleet.gitHub().minted().stream().map(JitConfig::encodedConfig).toList();
    assertThat(secrets).hasSize(5);
    // The capture saw the orchestrator's own lines, so an absence below means something.
    assertThat(lines)
        .anyMatch(line -> line.contains("runner " + launched + " launched"))
        .anyMatch(line -> line.contains("launcher bug"));
    // The launched runner's config waits for its host, and a put-off or crashed launch keeps its
    // unused config for the retry (by reference in the runner record); every other path deleted
    // its secret.
    assertThat(fleet.handOff().held())
        .containsExactlyInAnyOrder(
            fleet.handOff().reference(FARGATE, launched),
            fleet.handOff().reference(FARGATE, throttled),
            fleet.handOff().reference(FARGATE, crashed));
    assertThat(fleet.runner(throttled).jitSecret())
        .isEqualTo(fleet.handOff().reference(FARGATE, throttled));
    for (String secret : secrets) {
      assertThat(lines).noneMatch(line -> line.contains(secret));
      assertThat(fleet.items()).noneMatch(item -> item.toString().contains(secret));
    }
  }

  @Test
  void spinUp_secretName_isNotDerivableFromTheJob() {
    String runner = "rf-fargate-4242-1-1";
    fleet.putRequested(runner, FARGATE);

    Fleet.invoke(handler, event(fleet.message(spinUp(runner, FARGATE))));

    String reference = fleet.launcher().launches().get(0).jitConfigRef();
    String random = reference.substring(reference.lastIndexOf('/') + 1);
    assertThat(reference).startsWith("local/jit/" + FARGATE + "/" + runner + "/");
    assertThat(random).matches("[0-9a-f]{32}");
    // Another hand-off names the same runner's secret differently: the name follows from no job
    // data.
    var again = new InMemoryJitHandOff().store(FARGATE, runner, new JitConfig(1, SECRET));
    assertThat(((JitHandOff.StoreResult.Stored) again).reference()).isNotEqualTo(reference);
  }

  @Test
  void spinUp_bindsTheSecretToTheLaunchedHost_beforeTheLaunchIsRecorded() {
    String runner = "rf-fargate-7-1-1";
    fleet.putRequested(runner, FARGATE);
    fleet.launcher().onLaunch(request -> new LaunchOutcome.Launched("task/7"));
    List<String> atBind = new ArrayList<>();
    JitHandOff observed =
        new ObservedHandOff(fleet.handOff()) {
          @Override
          public BindResult bindToHost(String reference, String hostId) {
            atBind.add(fleet.runner(runner).status() + " " + hostId);
            return super.bindToHost(reference, hostId);
          }
        };
    var observing =
        new FargateOrchestratorHandler(fleet.component(FARGATE, fleet.launcher(), observed));

    Fleet.invoke(observing, event(fleet.message(spinUp(runner, FARGATE))));

    assertThat(atBind).containsExactly(RunnerStatus.REQUESTED + " task/7");
    String reference = fleet.handOff().reference(FARGATE, runner);
    assertThat(fleet.handOff().boundHost(reference)).contains("task/7");
    assertThat(fleet.runner(runner).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  void spinUp_whenTheSecretCannotBeBound_stopsTheHostAndDeletesTheSecret() {
    String refused = "rf-fargate-8-1-1";
    String throttled = "rf-fargate-9-1-1";
    fleet.putRequested(refused, FARGATE);
    fleet.putRequested(throttled, FARGATE);
    fleet
        .launcher()
        .onLaunch(request -> new LaunchOutcome.Launched("task/" + request.runnerName()));
    JitHandOff failingBind =
        new ObservedHandOff(fleet.handOff()) {
          @Override
          public BindResult bindToHost(String reference, String hostId) {
            return hostId.endsWith(refused) ? BindResult.REFUSED : BindResult.RETRY_LATER;
          }
        };
    var failing =
        new FargateOrchestratorHandler(fleet.component(FARGATE, fleet.launcher(), failingBind));

    var response =
        Fleet.invoke(
            failing,
            event(
                fleet.message(spinUp(refused, FARGATE)),
                fleet.message(spinUp(throttled, FARGATE))));

    assertThat(fleet.handOff().held()).isEmpty();
    assertThat(fleet.launcher().stops()).hasSize(2);
    assertThat(fleet.runner(refused).status()).isEqualTo(RunnerStatus.FAILED);
    assertThat(fleet.runner(throttled).status()).isEqualTo(RunnerStatus.REQUESTED);
    assertThat(Fleet.failedIds(response)).hasSize(1);
  }

  /** Delegates to the fleet's in-memory hand-off; tests override one step. */
  private static class ObservedHandOff implements JitHandOff {
    private final InMemoryJitHandOff inner;

    ObservedHandOff(InMemoryJitHandOff inner) {
      this.inner = inner;
    }

    @Override
    public StoreResult store(String platform, String runnerName, JitConfig config) {
      return inner.store(platform, runnerName, config);
    }

    @Override
    public BindResult bindToHost(String reference, String hostId) {
      return inner.bindToHost(reference, hostId);
    }

    @Override
    public Presence presence(String reference) {
      return inner.presence(reference);
    }

    @Override
    public RemoveResult remove(String reference) {
      return inner.remove(reference);
    }

    @Override
    public RemoveResult removeAll(String platform, String runnerName) {
      return inner.removeAll(platform, runnerName);
    }

    @Override
    public Listing<HandOffSecret> list(Listing.Pages pages) {
      return inner.list(pages);
    }
  }
}
