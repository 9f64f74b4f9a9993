package dev.runfleet.orchestrators.host;

import static dev.runfleet.orchestrators.testing.Fleet.event;
import static dev.runfleet.orchestrators.testing.Fleet.spinUp;
import static dev.runfleet.orchestrators.testing.Fleet.tearDown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.Ec2LinuxX64OrchestratorHandler;
import dev.runfleet.orchestrators.FargateOrchestratorHandler;
import dev.runfleet.orchestrators.OrchestratorHandler;
import dev.runfleet.orchestrators.handoff.FakeSecretsManager;
import dev.runfleet.orchestrators.handoff.SecretsManagerJitHandOff;
import dev.runfleet.orchestrators.testing.CapturedLogs;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;

/**
 * End to end through an orchestrator with the real launchers and the real Secrets Manager hand-over
 * (each SDK client faked at its interface): across launches, a capacity fallback, a refusal and a
 * tear-down, a minted JIT config reaches exactly one place, the hand-over secret's value. Not an
 * ECS override, not a tag, not an EC2 request, not a log line, not the table.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class JitNeverExposedTest {

  private Fleet fleet;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  static Stream<Arguments> hostKinds() {
    return Stream.of(
        Arguments.of("fargate", new EcsRunnerLauncherTest()),
        Arguments.of("ec2-linux-x64", new Ec2RunnerLauncherTest()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostKinds")
  void jitConfig_reachesOnlyTheHandOffSecret(String platform, RunnerLauncherContract host) {
    FakeSecretsManager secrets = new FakeSecretsManager();
    SecretsManagerJitHandOff handOff =
        new SecretsManagerJitHandOff(
            secrets, "runfleet/test/jit", null, "test", "AROAEXAMPLEROLEID1234");
    RunnerLauncher launcher = host.launcher(SpotMode.SPOT_PREFERRED);
    var component = fleet.component(platform, launcher, handOff);
    OrchestratorHandler handler =
        platform.equals("fargate")
            ? new FargateOrchestratorHandler(component)
            : new Ec2LinuxX64OrchestratorHandler(component);
    String launched = "rf-" + platform + "-1-1-1";
    String fellBack = "rf-" + platform + "-2-1-1";
    String refused = "rf-" + platform + "-3-1-1";
    for (String name : List.of(launched, fellBack, refused)) {
      fleet.putRequested(name, platform);
    }
    host.scriptLaunched("host-1");
    host.scriptNoSpotCapacity();
    host.scriptLaunched("host-2");
    host.scriptInvalidConfiguration();

    List<String> lines;
    try (CapturedLogs logs = CapturedLogs.start()) {
      Fleet.invoke(
          handler,
          event(
              fleet.message(spinUp(launched, platform)),
              fleet.message(spinUp(fellBack, platform)),
              fleet.message(spinUp(refused, platform))));
      Fleet.invoke(handler, event(fleet.message(tearDown(launched, platform, "job done"))));
      lines = logs.lines();
    }

    List<String> minted = fleet.gitHub().minted().stream().map(JitConfig::encodedConfig).toList();
    assertThat(minted).hasSize(3);
    assertThat(host.launchCalls()).hasSize(4); // launched, spot shortage, on-demand, refused
    assertThat(lines).anyMatch(line -> line.contains("launched on host-1"));
    List<String> handOffValues = new ArrayList<>();
    for (var request : secrets.requests) {
      if (request instanceof CreateSecretRequest c) {
        handOffValues.add(c.secretString());
      } else if (request instanceof PutSecretValueRequest p) {
        handOffValues.add(p.secretString());
      }
    }
    assertThat(handOffValues).containsExactlyInAnyOrderElementsOf(minted);
    for (String secret : minted) {
      assertThat(host.launchCalls()).noneMatch(call -> call.text().contains(secret));
      assertThat(lines).noneMatch(line -> line.contains(secret));
      assertThat(fleet.items()).noneMatch(item -> item.toString().contains(secret));
      assertThat(secrets.requests)
          .filteredOn(
              r -> !(r instanceof CreateSecretRequest || r instanceof PutSecretValueRequest))
          .noneMatch(r -> SdkText.of((SdkPojo) r).contains(secret));
    }
    // The one host still waiting to boot holds its secret; the refused and torn-down ones do not.
    assertThat(secrets.secrets.keySet())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("runfleet/test/jit/" + platform + "/" + fellBack + "/");
    // ... and only the host launched for it may read it.
    String waiting = secrets.secrets.keySet().iterator().next();
    assertThat(secrets.tag(waiting, "runfleet:host")).isEqualTo("AROAEXAMPLEROLEID1234:host-2");
  }
}
