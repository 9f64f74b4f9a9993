package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.dynamodb.DynamoDbEngine;
import dev.runfleet.emulators.dynamodb.MutableClock;
import java.time.Duration;
import java.time.Instant;

/**
 * The embedded target: runfleet's own emulator ({@link EmbeddedDynamoDb}) on a clock the suite
 * moves, starting at the wall clock, with TTL swept only when a case asks.
 */
final class EmbeddedTarget extends SdkTarget {

  private final MutableClock clock;
  private final DynamoDbEngine engine;
  private final EmbeddedDynamoDb ddb;

  private EmbeddedTarget(MutableClock clock, DynamoDbEngine engine, EmbeddedDynamoDb ddb) {
    super("embedded", ddb.settings(), "conf-");
    this.clock = clock;
    this.engine = engine;
    this.ddb = ddb;
  }

  static ConformanceTarget start() {
    MutableClock clock = new MutableClock(Instant.now());
    DynamoDbEngine engine = new DynamoDbEngine(clock, "us-east-1");
    return new EmbeddedTarget(clock, engine, EmbeddedDynamoDb.start(engine, 0, null));
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
  void closeBackend() {
    ddb.close();
  }
}
