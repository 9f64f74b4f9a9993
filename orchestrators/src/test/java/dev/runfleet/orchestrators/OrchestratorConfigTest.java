package dev.runfleet.orchestrators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.domain.HostKind;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Configuration read once and validated whole, and the Lambda entry points' cold start. */
class OrchestratorConfigTest {

  @Test
  void from_withEveryKeyWrong_reportsEveryProblemInOneMessage() {
    Map<String, String> environment =
        Map.of(
            OrchestratorConfig.ENV_PLATFORM, "windows-x64",
            OrchestratorConfig.ENV_LAUNCH_LEASE_SECONDS, "2",
            AwsSettings.ENV_CALL_TIMEOUT_MS, "soon");

    assertThatThrownBy(() -> OrchestratorConfig.from(environment, "fargate"))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessageContaining("RUNFLEET_TABLE is missing")
        .hasMessageContaining("unknown platform windows-x64")
        .hasMessageContaining("RUNFLEET_LAUNCH_LEASE_SECONDS must be between 5 and 3600, was 2")
        .hasMessageContaining("RUNFLEET_AWS_CALL_TIMEOUT_MS is not a whole number");
  }

  @Test
  void from_withBrokenPlatformsJsonAndBadEndpoint_reportsThemWithTheOthers() {
    Map<String, String> environment =
        Map.of(
            OrchestratorConfig.ENV_PLATFORMS, "[{\"name\": \"fargate\"",
            OrchestratorConfig.ENV_LAUNCH_LEASE_SECONDS, "forever",
            AwsSettings.ENV_ENDPOINT, "http://local host:4566");

    assertThatThrownBy(() -> OrchestratorConfig.from(environment, "fargate"))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessageContaining("RUNFLEET_TABLE is missing")
        .hasMessageContaining("RUNFLEET_PLATFORMS")
        .hasMessageContaining("RUNFLEET_LAUNCH_LEASE_SECONDS is not a whole number")
        .hasMessageContaining("local host");
  }

  @Test
  void from_withOnlyTheTable_appliesDefaults() {
    OrchestratorConfig config =
        OrchestratorConfig.from(Map.of(OrchestratorConfig.ENV_TABLE, "jobs"), "ec2-linux-x64");

    assertThat(config.table()).isEqualTo("jobs");
    assertThat(config.platform().name()).isEqualTo("ec2-linux-x64");
    assertThat(config.platform().hostKind()).isEqualTo(HostKind.EC2);
    assertThat(config.launchLease()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.aws().region()).isEqualTo("us-east-1");
  }

  @Test
  void from_readsPlatformFromTheConfiguredCatalog() {
    String platforms =
        "[{\"name\":\"gpu\",\"labels\":[\"self-hosted\",\"gpu\"],\"hostKind\":\"EC2\",\"arch\":\"x64\",\"cap\":2}]";

    OrchestratorConfig config =
        OrchestratorConfig.from(
            Map.of(
                OrchestratorConfig.ENV_TABLE, "jobs",
                OrchestratorConfig.ENV_PLATFORMS, platforms,
                OrchestratorConfig.ENV_PLATFORM, "gpu",
                OrchestratorConfig.ENV_LAUNCH_LEASE_SECONDS, "5"),
            "ec2-linux-x64");

    assertThat(config.platform().name()).isEqualTo("gpu");
    assertThat(config.platform().cap()).isEqualTo(2);
    assertThat(config.launchLease()).isEqualTo(Duration.ofSeconds(5));
  }

  static Stream<Arguments> lambdaEntryPoints() {
    return Stream.of(
        Arguments.of((Supplier<Object>) FargateOrchestratorHandler::new, "ECS_FARGATE", "fargate"),
        Arguments.of(
            (Supplier<Object>) Ec2LinuxX64OrchestratorHandler::new, "EC2", "ec2-linux-x64"),
        Arguments.of(
            (Supplier<Object>) Ec2LinuxArm64OrchestratorHandler::new, "EC2", "ec2-linux-arm64"));
  }

  // The no-arg constructors read this process's real environment, so only what holds for any
  // environment is asserted here; the overload taking a map pins the rest.
  @ParameterizedTest(name = "{2}")
  @MethodSource("lambdaEntryPoints")
  void lambdaConstructor_withoutBuiltInLauncher_failsNamingHostKind(
      Supplier<Object> coldStart, String hostKind, String handler) {
    assertThatThrownBy(coldStart::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no " + hostKind + " launcher is built into this version")
        .hasMessageContaining("runs in the local runtime only");
  }

  @Test
  void coldStart_withValidConfiguration_namesHostKindAndConfiguredPlatform() {
    Map<String, String> environment =
        Map.of(
            OrchestratorConfig.ENV_TABLE,
            "jobs",
            OrchestratorConfig.ENV_PLATFORM,
            "ec2-linux-arm64");

    assertThatThrownBy(() -> AwsWiring.component(environment, "ec2-linux-x64", HostKind.EC2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "no EC2 launcher is built into this version: platform ec2-linux-arm64")
        .hasMessageNotContaining("configuration is invalid");
  }

  @Test
  void coldStart_withInvalidConfiguration_namesHostKindFirstAndThenEveryConfigProblem() {
    Map<String, String> environment = Map.of(OrchestratorConfig.ENV_LAUNCH_LEASE_SECONDS, "1");

    assertThatThrownBy(() -> AwsWiring.component(environment, "fargate", HostKind.ECS_FARGATE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "no ECS_FARGATE launcher is built into this version: platform fargate")
        .hasMessageContaining("RUNFLEET_TABLE is missing")
        .hasMessageContaining("RUNFLEET_LAUNCH_LEASE_SECONDS must be between 5 and 3600");
  }
}
