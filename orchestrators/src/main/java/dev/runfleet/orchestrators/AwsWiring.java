package dev.runfleet.orchestrators;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.orchestrators.di.DaggerOrchestratorComponent;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.github.GitHubAppClient;
import dev.runfleet.orchestrators.github.GitHubAppSettings;
import dev.runfleet.orchestrators.github.PrivateKeySource;
import dev.runfleet.orchestrators.handoff.SecretsManagerJitHandOff;
import dev.runfleet.orchestrators.host.Ec2RunnerLauncher;
import dev.runfleet.orchestrators.host.EcsRunnerLauncher;
import dev.runfleet.orchestrators.host.HostSettings;
import java.util.Map;
import java.util.function.Supplier;
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
   * A supplier that builds its value on first use, once (SDK clients a function may never call).
   */
  public static <T> Supplier<T> once(Supplier<T> make) {
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
