package dev.runfleet.orchestrators;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.orchestrators.adapter.DynamoDbRunnerStore;
import dev.runfleet.orchestrators.di.DaggerOrchestratorComponent;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.github.GitHubAppClient;
import dev.runfleet.orchestrators.github.GitHubAppSettings;
import dev.runfleet.orchestrators.github.PrivateKeySource;
import dev.runfleet.orchestrators.handoff.SecretsManagerJitHandOff;
import dev.runfleet.orchestrators.host.Ec2RunnerLauncher;
import dev.runfleet.orchestrators.host.EcsRunnerLauncher;
import dev.runfleet.orchestrators.host.HostSettings;
import dev.runfleet.orchestrators.hostevents.AwsHostOwners;
import dev.runfleet.orchestrators.hostevents.HostEnds;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds an orchestrator for a Lambda cold start: the configuration read and validated whole, one
 * SDK client per service it calls, the GitHub App client, the Secrets Manager hand-over, and the
 * host kind's launcher. Only the launcher of the handler's own host kind is built, so a Fargate
 * function never loads the EC2 client and the other way round.
 */
public final class AwsWiring {

  private AwsWiring() {}

  static OrchestratorComponent component(String defaultPlatform, HostKind hostKind) {
    return component(System.getenv(), defaultPlatform, hostKind);
  }

  /** Also used by the local runtime when it is pointed at real AWS and a real GitHub App. */
  public static OrchestratorComponent component(
      Map<String, String> environment, String defaultPlatform, HostKind hostKind) {
    AwsHostConfig config = AwsHostConfig.from(environment, defaultPlatform, hostKind);
    AwsClients clients = new AwsClients(config.base().aws());
    SecretsManagerClient secrets =
        clients
            .configure(SecretsManagerClient.builder(), SecretsManagerClient.SERVICE_NAME)
            .build();
    JitHandOff handOff =
        new SecretsManagerJitHandOff(
            secrets,
            config.jitSecretPrefix(),
            config.jitKmsKeyId(),
            config.host().stage(),
            config.runnerRoleId());
    // Built only if the App id or key lives in SSM, and then once for both.
    Supplier<SsmClient> ssm =
        once(() -> clients.configure(SsmClient.builder(), SsmClient.SERVICE_NAME).build());
    GitHubRunners gitHub =
        new GitHubAppClient(
            GitHubAppSettings.of(config.gitHubAppId().resolve(ssm))
                .withApiBaseUrl(config.gitHubApiUrl())
                .withRunnerGroupId(config.runnerGroupId()),
            PrivateKeySource.fromArn(config.privateKeyArn(), () -> secrets, ssm));
    return DaggerOrchestratorComponent.builder()
        .config(config.base())
        .launcher(launcher(clients, config.host()))
        .gitHub(gitHub)
        .handOff(handOff)
        .build();
  }

  /**
   * The host-events function: records host ends. The EC2 and ECS clients are built on first use, so
   * a fleet of one host kind never loads the other's.
   */
  static HostEnds hostEnds(Map<String, String> environment, Telemetry telemetry) {
    HostEventsConfig config = HostEventsConfig.from(environment);
    AwsClients clients = new AwsClients(config.aws());
    DynamoDbClient dynamo =
        clients.configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME).build();
    SecretsManagerClient secrets =
        clients
            .configure(SecretsManagerClient.builder(), SecretsManagerClient.SERVICE_NAME)
            .build();
    Supplier<SsmClient> ssm =
        once(() -> clients.configure(SsmClient.builder(), SsmClient.SERVICE_NAME).build());
    GitHubRunners gitHub =
        new GitHubAppClient(
            GitHubAppSettings.of(config.gitHubAppId().resolve(ssm))
                .withApiBaseUrl(config.gitHubApiUrl()),
            PrivateKeySource.fromArn(config.privateKeyArn(), () -> secrets, ssm));
    return new HostEnds(
        new AwsHostOwners(
            once(() -> clients.configure(Ec2Client.builder(), Ec2Client.SERVICE_NAME).build()),
            once(() -> clients.configure(EcsClient.builder(), EcsClient.SERVICE_NAME).build()),
            config.stage()),
        new DynamoDbRunnerStore(dynamo, config.table()),
        gitHub,
        new SecretsManagerJitHandOff(secrets, config.jitSecretPrefix(), null, config.stage(), null),
        config.platforms(),
        telemetry,
        Clock.systemUTC());
  }

  private static <T> Supplier<T> once(Supplier<T> make) {
    return new Supplier<>() {
      private T made;

      @Override
      public synchronized T get() {
        if (made == null) {
          made = make.get();
        }
        return made;
      }
    };
  }

  private static RunnerLauncher launcher(AwsClients clients, HostSettings host) {
    if (host instanceof HostSettings.Ecs ecs) {
      return new EcsRunnerLauncher(
          clients.configure(EcsClient.builder(), EcsClient.SERVICE_NAME).build(), ecs);
    }
    return new Ec2RunnerLauncher(
        clients.configure(Ec2Client.builder(), Ec2Client.SERVICE_NAME).build(),
        (HostSettings.Ec2) host);
  }
}
