package dev.runfleet.emulators.dynamodb.conformance;

import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Something that speaks the DynamoDB and DynamoDB Streams APIs: our emulator, LocalStack, or real
 * AWS. The suite talks to it through the SDK clients only.
 */
public interface ConformanceTarget extends AutoCloseable {

  /** Short name shown in test reports. */
  String name();

  DynamoDbClient dynamoDb();

  DynamoDbStreamsClient streams();

  /** Prefix for every table this run creates; unique per run, so runs never share tables. */
  String tablePrefix();

  /**
   * Whether {@link #moveClock(Duration)} and {@link #expireTtl()} work. Only our own emulator can;
   * clock-moving cases are skipped everywhere else.
   */
  default boolean canMoveClock() {
    return false;
  }

  /** Moves the target's clock forward by {@code by}. */
  default void moveClock(Duration by) {
    throw new UnsupportedOperationException(name() + " cannot move its clock");
  }

  /** Runs the TTL sweeper now: items whose TTL lies before the target's clock are deleted. */
  default void expireTtl() {
    throw new UnsupportedOperationException(name() + " cannot expire TTL on demand");
  }

  /**
   * Whether this is real AWS (or behaves like it in timing): tables take seconds to become active
   * and stream records appear after a delay, so the suite polls longer.
   */
  default boolean slow() {
    return false;
  }

  @Override
  void close();
}
