package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What every target shares: the two SDK clients built as the functions build theirs, against the
 * target's settings, and a table prefix unique to this run. Subclasses add their backend.
 */
abstract class SdkTarget implements ConformanceTarget {

  private final String name;
  private final DynamoDbClient client;
  private final DynamoDbStreamsClient streams;
  private final String prefix;

  SdkTarget(String name, AwsSettings settings, String prefixStem) {
    this.name = name;
    AwsClients clients = new AwsClients(settings);
    this.client = clients.configure(DynamoDbClient.builder()).build();
    this.streams = clients.configure(DynamoDbStreamsClient.builder()).build();
    this.prefix = prefixStem + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final DynamoDbClient dynamoDb() {
    return client;
  }

  @Override
  public final DynamoDbStreamsClient streams() {
    return streams;
  }

  @Override
  public final String tablePrefix() {
    return prefix;
  }

  /** Stops what the target runs besides the clients (an emulator, a container). */
  void closeBackend() {}

  @Override
  public final void close() {
    streams.close();
    client.close();
    closeBackend();
  }
}
