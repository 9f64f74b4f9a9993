package dev.runfleet.orchestrators.hostevents;

import static dev.runfleet.orchestrators.AwsWiring.once;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.orchestrators.adapter.DynamoDbRunnerStore;
import dev.runfleet.orchestrators.github.GitHubAppClient;
import dev.runfleet.orchestrators.github.GitHubAppSettings;
import dev.runfleet.orchestrators.github.PrivateKeySource;
import dev.runfleet.orchestrators.handoff.SecretsManagerJitHandOff;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the host-events function for a Lambda cold start: its configuration, clients and ports.
 */
final class HostEventsWiring {

  private HostEventsWiring() {}

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
    Supplier<ParameterStore> ssm = once(() -> SsmParameters.using(clients));
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
}
