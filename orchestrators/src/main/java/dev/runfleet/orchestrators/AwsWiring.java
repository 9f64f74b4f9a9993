package dev.runfleet.orchestrators;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.orchestrators.di.DaggerOrchestratorComponent;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.github.GitHubAppClient;
import dev.runfleet.orchestrators.github.GitHubAppSettings;
import dev.runfleet.orchestrators.github.PrivateKeySource;
import dev.runfleet.orchestrators.handoff.SecretsManagerJitHandOff;
import dev.runfleet.orchestrators.host.LauncherFactory;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds an orchestrator for a Lambda cold start: the configuration read and validated whole, one
 * SDK client per service it calls, the GitHub App client, the Secrets Manager hand-over, and the
 * host kind's launcher. The handler names its host kind's {@link LauncherFactory}, so a Fargate
 * function never loads the EC2 client, and its jar does not carry it, and the other way round.
 */
public final class AwsWiring {

  private AwsWiring() {}

  static OrchestratorComponent component(
      String defaultPlatform, HostKind hostKind, LauncherFactory launchers) {
    return component(System.getenv(), defaultPlatform, hostKind, launchers);
  }

  /** Also used by the local runtime when it is pointed at real AWS and a real GitHub App. */
  public static OrchestratorComponent component(
      Map<String, String> environment,
      String defaultPlatform,
      HostKind hostKind,
      LauncherFactory launchers) {
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
    Supplier<ParameterStore> ssm = once(() -> SsmParameters.using(clients));
    GitHubRunners gitHub =
        new GitHubAppClient(
            GitHubAppSettings.of(config.gitHubAppId().resolve(ssm))
                .withApiBaseUrl(config.gitHubApiUrl())
                .withRunnerGroupId(config.runnerGroupId()),
            PrivateKeySource.fromArn(config.privateKeyArn(), () -> secrets, ssm));
    return DaggerOrchestratorComponent.builder()
        .config(config.base())
        .launcher(launchers.build(clients, config.host()))
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
}
