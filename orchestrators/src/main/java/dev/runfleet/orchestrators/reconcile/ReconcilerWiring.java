package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SnsCommandBus;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.orchestrators.AwsWiring;
import dev.runfleet.orchestrators.github.GitHubAppClient;
import dev.runfleet.orchestrators.github.GitHubAppSettings;
import dev.runfleet.orchestrators.github.PrivateKeySource;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the reconciler for a Lambda cold start: its configuration (the App's keys included) read
 * and validated whole and logged once, the GitHub App client, the host lookup (its ECS and EC2
 * clients built at their first lookup) and the command topic.
 */
public final class ReconcilerWiring {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerWiring.class);

  private ReconcilerWiring() {}

  public static ReconcilerComponent component(Map<String, String> environment) {
    ReconcilerConfig config = ReconcilerConfig.from(environment);
    LOG.info("reconciler configuration: {}", config);
    AwsClients clients = new AwsClients(config.aws());
    Supplier<SecretsManagerClient> secrets =
        AwsWiring.once(
            () ->
                clients
                    .configure(SecretsManagerClient.builder(), SecretsManagerClient.SERVICE_NAME)
                    .build());
    Supplier<ParameterStore> ssm = AwsWiring.once(() -> SsmParameters.using(clients));
    GitHubAppClient gitHub =
        new GitHubAppClient(
            GitHubAppSettings.of(config.gitHubApp().appId().resolve(ssm))
                .withApiBaseUrl(config.gitHubApp().apiUrl()),
            PrivateKeySource.fromArn(config.gitHubApp().privateKeyArn(), secrets, ssm));
    AwsHostLookup hosts =
        new AwsHostLookup(
            config.platforms(),
            AwsWiring.once(
                () -> clients.configure(EcsClient.builder(), EcsClient.SERVICE_NAME).build()),
            config.ecsCluster(),
            AwsWiring.once(
                () -> clients.configure(Ec2Client.builder(), Ec2Client.SERVICE_NAME).build()));
    SnsCommandBus commands =
        new SnsCommandBus(
            clients.configure(SnsClient.builder(), SnsClient.SERVICE_NAME).build(),
            config.topicArn(),
            new CommandCodec());
    return DaggerReconcilerComponent.builder()
        .config(config)
        .gitHub(gitHub)
        .deliveries(gitHub.deliveries())
        .hosts(hosts)
        .commands(commands)
        .build();
  }
}
