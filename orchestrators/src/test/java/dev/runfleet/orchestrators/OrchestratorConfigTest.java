package dev.runfleet.orchestrators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.emulators.SsmStub;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.github.GitHubAppId;
import dev.runfleet.orchestrators.host.HostSettings;
import dev.runfleet.orchestrators.host.LauncherFactories;
import dev.runfleet.orchestrators.host.SpotMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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

  // The no-arg constructors read this process's real environment, which lacks the AWS keys: the
  // cold start fails at once, naming the host kind and every missing key, instead of accepting
  // commands it cannot carry out.
  @ParameterizedTest(name = "{2}")
  @MethodSource("lambdaEntryPoints")
  void lambdaConstructor_withoutConfiguration_failsNamingHostKindAndMissingKeys(
      Supplier<Object> coldStart, String hostKind, String handler) {
    assertThatThrownBy(coldStart::get)
        .isInstanceOf(Env.ConfigException.class)
        .hasMessageContaining("orchestrator (" + hostKind + ")")
        .hasMessageContaining("exactly one of " + AwsHostConfig.ENV_GITHUB_APP_ID);
  }

  static Map<String, String> awsEnvironment(String platform, Map<String, String> hostKeys) {
    Map<String, String> env = new HashMap<>(hostKeys);
    env.put("AWS_REGION", "eu-west-1");
    env.put(OrchestratorConfig.ENV_TABLE, "runfleet-test-jobs");
    env.put(OrchestratorConfig.ENV_PLATFORM, platform);
    env.put(OrchestratorConfig.ENV_STAGE, "test");
    env.put(AwsHostConfig.ENV_GITHUB_APP_ID, "4242");
    env.put(
        AwsHostConfig.ENV_GITHUB_PRIVATE_KEY_ARN,
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/app-key-AbCdEf");
    env.put(AwsHostConfig.ENV_GITHUB_API_URL, "https://ghes.example.com/api/v3");
    env.put(AwsHostConfig.ENV_JIT_SECRET_PREFIX, "runfleet/test/jit");
    env.put(AwsHostConfig.ENV_RUNNER_ROLE_ID, "AROAEXAMPLEROLEID1234");
    env.put(AwsHostConfig.ENV_SUBNETS, "subnet-a, subnet-b");
    return env;
  }

  private static Map<String, String> fargateWithApiUrl(String url) {
    Map<String, String> env =
        awsEnvironment(
            "fargate",
            Map.of(
                AwsHostConfig.ENV_ECS_CLUSTER, "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
                AwsHostConfig.ENV_ECS_TASK_DEFINITION, "runfleet-test-fargate",
                AwsHostConfig.ENV_ECS_SECURITY_GROUPS, "sg-1"));
    env.put(AwsHostConfig.ENV_GITHUB_API_URL, url);
    return env;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://api.github.com",
        "http://ghes.example.com/api/v3",
        "http://localhost.example.com",
        "ftp://localhost/"
      })
  void gitHubApiUrl_withoutTls_isRefusedUnlessLoopback(String url) {
    assertThatThrownBy(
            () -> AwsHostConfig.from(fargateWithApiUrl(url), "fargate", HostKind.ECS_FARGATE))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessageContaining(AwsHostConfig.ENV_GITHUB_API_URL + " must be an https URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:8089", "http://127.0.0.1:8089/api/v3"})
  void gitHubApiUrl_overHttpOnLoopback_isAcceptedForTests(String url) {
    AwsHostConfig config =
        AwsHostConfig.from(fargateWithApiUrl(url), "fargate", HostKind.ECS_FARGATE);

    assertThat(config.gitHubApiUrl()).hasToString(url);
  }

  @Test
  void coldStart_onFargate_withFullConfiguration_buildsTheOrchestrator() {
    Map<String, String> env =
        awsEnvironment(
            "fargate",
            Map.of(
                AwsHostConfig.ENV_ECS_CLUSTER, "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
                AwsHostConfig.ENV_ECS_TASK_DEFINITION, "runfleet-test-fargate",
                AwsHostConfig.ENV_ECS_SECURITY_GROUPS, "sg-1",
                AwsHostConfig.ENV_SPOT_MODE, "onDemandOnly"));

    AwsHostConfig config = AwsHostConfig.from(env, "fargate", HostKind.ECS_FARGATE);

    assertThat(config.host())
        .isEqualTo(
            new HostSettings.Ecs(
                "test",
                SpotMode.ON_DEMAND_ONLY,
                "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
                "runfleet-test-fargate",
                List.of("subnet-a", "subnet-b"),
                List.of("sg-1"),
                false));
    assertThat(config.gitHubApiUrl()).hasToString("https://ghes.example.com/api/v3");
    assertThat(config.runnerGroupId()).isEqualTo(1);
    assertThat(component(env, "fargate", HostKind.ECS_FARGATE).lifecycle()).isNotNull();
  }

  @Test
  void coldStart_onEc2_withFullConfiguration_buildsTheOrchestrator() {
    Map<String, String> env =
        awsEnvironment(
            "ec2-linux-arm64",
            Map.of(
                AwsHostConfig.ENV_EC2_LAUNCH_TEMPLATE, "lt-0abc",
                AwsHostConfig.ENV_EC2_INSTANCE_TYPES, "m7g.large,m6g.large"));

    AwsHostConfig config = AwsHostConfig.from(env, "ec2-linux-x64", HostKind.EC2);

    assertThat(config.base().platform().name()).isEqualTo("ec2-linux-arm64");
    assertThat(config.host())
        .isEqualTo(
            new HostSettings.Ec2(
                "test",
                SpotMode.SPOT_PREFERRED,
                "lt-0abc",
                List.of("m7g.large", "m6g.large"),
                List.of("subnet-a", "subnet-b")));
    assertThat(component(env, "ec2-linux-x64", HostKind.EC2).lifecycle()).isNotNull();
  }

  @Test
  void coldStart_withAppIdInParameter_readsItFromSsmOnce() throws Exception {
    try (SsmStub ssm = new SsmStub().put("/runfleet-github/test/app-id", "987654")) {
      Map<String, String> env = appIdFromParameter(ssm, "/runfleet-github/test/app-id");

      AwsHostConfig config = AwsHostConfig.from(env, "fargate", HostKind.ECS_FARGATE);
      assertThat(config.gitHubAppId())
          .isEqualTo(new GitHubAppId.InParameter("/runfleet-github/test/app-id"));
      assertThat(component(env, "fargate", HostKind.ECS_FARGATE).lifecycle()).isNotNull();

      assertThat(ssm.requests)
          .singleElement()
          .satisfies(
              r -> assertThat(r.path("Name").asText()).isEqualTo("/runfleet-github/test/app-id"));
    }
  }

  @Test
  void coldStart_whenAppIdParameterMissing_failsNamingItAndTheSetupCommand() throws Exception {
    try (SsmStub ssm = new SsmStub()) {
      Map<String, String> env = appIdFromParameter(ssm, "/runfleet-github/test/app-id");

      assertThatThrownBy(() -> component(env, "fargate", HostKind.ECS_FARGATE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("/runfleet-github/test/app-id")
          .hasMessageContaining("runfleet setup github-app");
    }
  }

  @Test
  void coldStart_whenAppIdParameterHoldsNoId_failsWithoutEchoingTheValue() throws Exception {
    try (SsmStub ssm = new SsmStub().put("/runfleet-github/test/app-id", "not-an-id")) {
      Map<String, String> env = appIdFromParameter(ssm, "/runfleet-github/test/app-id");

      assertThatThrownBy(() -> component(env, "fargate", HostKind.ECS_FARGATE))
          .hasMessageContaining("must hold the GitHub App's id")
          .hasMessageNotContaining("not-an-id");
    }
  }

  @Test
  void config_withBothAppIdAndParameter_isRefused() {
    Map<String, String> env = fargateEnvironment();
    env.put(AwsHostConfig.ENV_GITHUB_APP_ID_PARAMETER, "/runfleet-github/test/app-id");

    assertThatThrownBy(() -> AwsHostConfig.from(env, "fargate", HostKind.ECS_FARGATE))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessageContaining(
            "exactly one of "
                + AwsHostConfig.ENV_GITHUB_APP_ID
                + " and "
                + AwsHostConfig.ENV_GITHUB_APP_ID_PARAMETER);
  }

  @Test
  void config_withAppIdParameterNotAName_isRefused() {
    Map<String, String> env = fargateEnvironment();
    env.remove(AwsHostConfig.ENV_GITHUB_APP_ID);
    env.put(AwsHostConfig.ENV_GITHUB_APP_ID_PARAMETER, "app id please");

    assertThatThrownBy(() -> AwsHostConfig.from(env, "fargate", HostKind.ECS_FARGATE))
        .hasMessageContaining(
            AwsHostConfig.ENV_GITHUB_APP_ID_PARAMETER + " must be an SSM parameter name");
  }

  private static Map<String, String> fargateEnvironment() {
    return awsEnvironment(
        "fargate",
        Map.of(
            AwsHostConfig.ENV_ECS_CLUSTER, "arn:aws:ecs:eu-west-1:123456789012:cluster/c",
            AwsHostConfig.ENV_ECS_TASK_DEFINITION, "runfleet-test-fargate"));
  }

  private static Map<String, String> appIdFromParameter(SsmStub ssm, String parameter) {
    Map<String, String> env = fargateEnvironment();
    env.remove(AwsHostConfig.ENV_GITHUB_APP_ID);
    env.put(AwsHostConfig.ENV_GITHUB_APP_ID_PARAMETER, parameter);
    env.put("RUNFLEET_AWS_ENDPOINT_SSM", ssm.endpoint().toString());
    return env;
  }

  @Test
  void coldStart_withInvalidConfiguration_reportsEveryProblemInOneMessage() {
    Map<String, String> env =
        Map.of(
            OrchestratorConfig.ENV_LAUNCH_LEASE_SECONDS, "1",
            AwsHostConfig.ENV_GITHUB_APP_ID, "-3",
            AwsHostConfig.ENV_GITHUB_PRIVATE_KEY_ARN, "my-key",
            AwsHostConfig.ENV_SPOT_MODE, "cheap",
            AwsHostConfig.ENV_ECS_ASSIGN_PUBLIC_IP, "maybe");

    assertThatThrownBy(() -> component(env, "fargate", HostKind.ECS_FARGATE))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessageContaining("RUNFLEET_TABLE is missing")
        .hasMessageContaining("RUNFLEET_LAUNCH_LEASE_SECONDS must be between 5 and 3600")
        .hasMessageContaining(AwsHostConfig.ENV_GITHUB_APP_ID + " must be a positive number")
        .hasMessageContaining(AwsHostConfig.ENV_GITHUB_PRIVATE_KEY_ARN + " must be")
        .hasMessageContaining(AwsHostConfig.ENV_SPOT_MODE)
        .hasMessageContaining(AwsHostConfig.ENV_ECS_ASSIGN_PUBLIC_IP)
        .hasMessageContaining(AwsHostConfig.ENV_ECS_CLUSTER + " is missing")
        .hasMessageContaining(AwsHostConfig.ENV_SUBNETS)
        .hasMessageContaining(AwsHostConfig.ENV_JIT_SECRET_PREFIX + " is missing");
  }

  @Test
  void coldStart_onEc2_requiresTemplateAndInstanceTypes_notEcsKeys() {
    Map<String, String> env = awsEnvironment("ec2-linux-x64", Map.of());

    assertThatThrownBy(() -> AwsHostConfig.from(env, "ec2-linux-x64", HostKind.EC2))
        .hasMessageContaining(AwsHostConfig.ENV_EC2_LAUNCH_TEMPLATE + " is missing")
        .hasMessageContaining(AwsHostConfig.ENV_EC2_INSTANCE_TYPES + " is missing")
        .hasMessageNotContaining("RUNFLEET_ECS_");
  }

  /** The orchestrator as its handler builds it, with its host kind's launcher. */
  private static OrchestratorComponent component(
      Map<String, String> env, String platform, HostKind kind) {
    return AwsWiring.component(env, platform, kind, LauncherFactories.forKind(kind));
  }
}
