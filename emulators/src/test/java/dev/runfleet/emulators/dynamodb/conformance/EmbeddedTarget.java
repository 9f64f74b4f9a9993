package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.dynamodb.DynamoDbEngine;
import dev.runfleet.emulators.dynamodb.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The embedded target: runfleet's own emulator ({@link EmbeddedDynamoDb}) on a clock the suite
 * moves, starting at the wall clock, with TTL swept only when a case asks.
 */
public final class EmbeddedTarget {

  private EmbeddedTarget() {}

  public static ConformanceTarget start() {
    MutableClock clock = new MutableClock(Instant.now());
    DynamoDbEngine engine = new DynamoDbEngine(clock, "us-east-1");
    EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start(engine, 0, null);
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
      public boolean canMoveClock() {
        return true;
      }

      @Override
      public void moveClock(Duration by) {
        clock.advance(by);
      }

      @Override
      public void expireTtl() {
        engine.expireItems();
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
