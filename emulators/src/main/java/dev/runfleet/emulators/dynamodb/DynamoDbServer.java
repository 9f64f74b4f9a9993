package dev.runfleet.emulators.dynamodb;

import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The DynamoDB emulator on its own loopback port (the edge server with DynamoDB and Streams only),
 * optionally sweeping expired TTL items every second as the TTL service would. Request signatures
 * are not checked.
 */
public final class DynamoDbServer implements AutoCloseable {

  private final EdgeServer server;
  private final ScheduledExecutorService sweeper;
  private final DynamoDbApi api;

  private DynamoDbServer(EdgeServer server, ScheduledExecutorService sweeper, DynamoDbApi api) {
    this.server = server;
    this.sweeper = sweeper;
    this.api = api;
  }

  /** A server with a fresh engine on the system clock, sweeping TTL every second. */
  public static DynamoDbServer start(int port) {
    return start(new DynamoDbEngine(), port, Duration.ofSeconds(1));
  }

  /**
   * A server for {@code engine} on {@code port} (0: a free one). {@code ttlSweep} null means no
   * background sweep (tests call {@link DynamoDbEngine#expireItems()} themselves).
   */
  public static DynamoDbServer start(DynamoDbEngine engine, int port, Duration ttlSweep) {
    DynamoDbApi api = new DynamoDbApi(engine);
    EdgeServer server = EdgeServer.start(port, AwsEdge.of(api));
    return new DynamoDbServer(server, ttlSweep == null ? null : sweep(engine, ttlSweep), api);
  }

  /**
   * Runs {@code engine}'s TTL sweep (and 24-hour stream trim) every {@code interval} on a daemon
   * thread, until the returned executor is shut down.
   */
  public static ScheduledExecutorService sweep(DynamoDbEngine engine, Duration interval) {
    ScheduledExecutorService sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dynamodb-emulator-ttl");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    sweeper.scheduleWithFixedDelay(engine::expireItems, millis, millis, TimeUnit.MILLISECONDS);
    return sweeper;
  }

  public URI endpoint() {
    return server.endpoint();
  }

  public DynamoDbEngine engine() {
    return api.engine();
  }

  public DynamoDbApi api() {
    return api;
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    server.close();
  }
}
