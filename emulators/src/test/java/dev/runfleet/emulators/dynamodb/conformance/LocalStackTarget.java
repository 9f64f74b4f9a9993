package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** LocalStack in a Testcontainers container; unavailable without Docker. */
final class LocalStackTarget implements ConformanceTarget {

  /** Pinned as in tests-integration: LocalStack tags after 4.14 want an auth token. */
  static final String IMAGE = "localstack/localstack:4.4";

  private final LocalStackContainer container;
  private final DynamoDbClient client;
  private final DynamoDbStreamsClient streams;
  private final String prefix = "conf-" + UUID.randomUUID().toString().substring(0, 8) + "-";

  private LocalStackTarget(LocalStackContainer container) {
    this.container = container;
    AwsClients clients = new AwsClients(AwsSettings.emulator(container.getEndpoint()));
    this.client = clients.configure(DynamoDbClient.builder()).build();
    this.streams = clients.configure(DynamoDbStreamsClient.builder()).build();
  }

  /** Why the target cannot run here, or null when it can. */
  static String unavailableReason() {
    return DOCKER.get();
  }

  private static final java.util.function.Supplier<String> DOCKER =
      new java.util.function.Supplier<>() {
        private volatile String reason;
        private volatile boolean checked;

        @Override
        public synchronized String get() {
          if (!checked) {
            reason = checkDocker();
            checked = true;
          }
          return reason;
        }
      };

  private static String checkDocker() {
    try {
      return DockerClientFactory.instance().isDockerAvailable()
          ? null
          : "no Docker: LocalStack target skipped";
    } catch (RuntimeException | LinkageError e) {
      return "no Docker (" + e + "): LocalStack target skipped";
    }
  }

  @SuppressWarnings("resource")
  static ConformanceTarget start() {
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(IMAGE))
            .withServices(LocalStackContainer.Service.DYNAMODB);
    container.start();
    return new LocalStackTarget(container);
  }

  @Override
  public String name() {
    return "localstack";
  }

  @Override
  public DynamoDbClient dynamoDb() {
    return client;
  }

  @Override
  public DynamoDbStreamsClient streams() {
    return streams;
  }

  @Override
  public String tablePrefix() {
    return prefix;
  }

  @Override
  public void close() {
    streams.close();
    client.close();
    container.stop();
  }
}
