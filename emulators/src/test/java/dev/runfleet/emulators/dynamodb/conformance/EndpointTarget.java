package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Whatever {@value #ENV} names: an endpoint URL (a LocalStack someone started, another emulator)
 * with emulator credentials, or {@code aws} for real AWS with the default credentials chain and the
 * region from {@code AWS_REGION}. Unset: skipped. Tables get a random prefix and are deleted after
 * each test class.
 */
final class EndpointTarget implements ConformanceTarget {

  static final String ENV = "RUNFLEET_CONFORMANCE_ENDPOINT";

  private final String endpoint;
  private final DynamoDbClient client;
  private final DynamoDbStreamsClient streams;
  private final String prefix =
      "runfleet-conf-" + UUID.randomUUID().toString().substring(0, 8) + "-";

  private EndpointTarget(String endpoint) {
    this.endpoint = endpoint;
    String region = Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1");
    AwsSettings settings =
        isAws(endpoint)
            ? new AwsSettings(
                region, Optional.empty(), Map.of(), Duration.ofSeconds(60), Duration.ofSeconds(20))
            : new AwsSettings(
                region,
                Optional.of(URI.create(endpoint)),
                Map.of(),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30));
    AwsClients clients = new AwsClients(settings);
    this.client = clients.configure(DynamoDbClient.builder()).build();
    this.streams = clients.configure(DynamoDbStreamsClient.builder()).build();
  }

  static String configured() {
    String value = System.getenv(ENV);
    return value == null || value.isBlank() ? null : value.trim();
  }

  static String unavailableReason() {
    return configured() == null ? ENV + " unset: endpoint target skipped" : null;
  }

  static ConformanceTarget start() {
    return new EndpointTarget(configured());
  }

  private static boolean isAws(String endpoint) {
    return "aws".equalsIgnoreCase(endpoint);
  }

  @Override
  public String name() {
    return "endpoint " + endpoint;
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
  public boolean slow() {
    return isAws(endpoint);
  }

  @Override
  public void close() {
    streams.close();
    client.close();
  }
}
