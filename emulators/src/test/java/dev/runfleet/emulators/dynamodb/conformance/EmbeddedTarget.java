package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.emulators.EmbeddedDynamoDb;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The embedded target: the one place that decides which in-process DynamoDB the suite runs against.
 *
 * <p>Today that is DynamoDB Local ({@link EmbeddedDynamoDb}), which behaves like AWS and so
 * validates the suite's expectations, but cannot move its clock. When our own emulator lands, swap
 * {@link #start()} to build it ({@code DynamoDbServer} with {@code endpoint()} and a movable clock)
 * and implement {@code canMoveClock}, {@code moveClock} and {@code expireTtl} against it.
 */
public final class EmbeddedTarget {

  private EmbeddedTarget() {}

  public static ConformanceTarget start() {
    EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start(0);
    DynamoDbClient client = ddb.client();
    DynamoDbStreamsClient streams = ddb.streamsClient();
    String prefix = "conf-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    return new ConformanceTarget() {
      @Override
      public String name() {
        return "embedded";
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
      public boolean isDynamoDbLocal() {
        return true; // false once this is our own emulator
      }

      @Override
      public void close() {
        streams.close();
        client.close();
        ddb.close();
      }
    };
  }
}
