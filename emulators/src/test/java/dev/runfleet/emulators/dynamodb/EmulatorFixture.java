package dev.runfleet.emulators.dynamodb;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** One emulator per test class, on a clock the tests move, reached through the real SDK. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmulatorFixture {

  protected MutableClock clock;
  protected DynamoDbServer server;
  protected DynamoDbClient ddb;
  protected DynamoDbStreamsClient streams;

  @BeforeAll
  void startEmulator() {
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    server = DynamoDbServer.start(new DynamoDbEngine(clock, "us-east-1"), 0, null);
    AwsClients clients = new AwsClients(AwsSettings.emulator(server.endpoint()));
    ddb = clients.configure(DynamoDbClient.builder()).build();
    streams = clients.configure(DynamoDbStreamsClient.builder()).build();
  }

  @AfterAll
  void stopEmulator() {
    ddb.close();
    streams.close();
    server.close();
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A table keyed pk (S) / sk (S), with a sparse GSI {@code by-x} on gpk (S) / gsk (N), streaming
   * NEW_AND_OLD_IMAGES.
   */
  String createTable(String name, StreamViewType viewType) {
    CreateTableRequest.Builder b =
        CreateTableRequest.builder()
            .tableName(name)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(
                a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                a -> a.attributeName("gpk").attributeType(ScalarAttributeType.S),
                a -> a.attributeName("gsk").attributeType(ScalarAttributeType.N))
            .keySchema(
                k -> k.attributeName("pk").keyType(KeyType.HASH),
                k -> k.attributeName("sk").keyType(KeyType.RANGE))
            .globalSecondaryIndexes(
                GlobalSecondaryIndex.builder()
                    .indexName("by-x")
                    .keySchema(
                        k -> k.attributeName("gpk").keyType(KeyType.HASH),
                        k -> k.attributeName("gsk").keyType(KeyType.RANGE))
                    .projection(p -> p.projectionType(ProjectionType.ALL))
                    .build());
    if (viewType != null) {
      b.streamSpecification(s -> s.streamEnabled(true).streamViewType(viewType));
    }
    return ddb.createTable(b.build()).tableDescription().latestStreamArn();
  }

  String createTable(String name) {
    return createTable(name, null);
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", s(pk), "sk", s(sk));
  }
}
