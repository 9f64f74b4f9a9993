package dev.runfleet.emulators.dynamodb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link DynamoDbApi} on the JDK's HTTP server, bound to loopback only. Request signatures are not
 * checked. Optionally sweeps expired TTL items every second, as the TTL service would.
 */
public final class DynamoDbServer implements AutoCloseable {

  /** Largest request body read; DynamoDB's own limit is 16 MB for batch calls. */
  static final int MAX_BODY = 16 * 1024 * 1024;

  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK, adding ~40 ms to every keep-alive call.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService sweeper;
  private final DynamoDbApi api;

  private DynamoDbServer(
      HttpServer server,
      ThreadPoolExecutor workers,
      ScheduledExecutorService sweeper,
      DynamoDbApi api) {
    this.server = server;
    this.workers = workers;
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
    HttpServer server;
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the DynamoDB emulator to port " + port, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            16,
            16,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            r -> {
              Thread t = new Thread(r, "dynamodb-emulator-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    workers.allowCoreThreadTimeOut(true);
    server.setExecutor(workers);
    server.createContext("/", exchange -> serve(api, exchange));
    server.start();
    ScheduledExecutorService sweeper = null;
    if (ttlSweep != null) {
      sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "dynamodb-emulator-ttl");
                t.setDaemon(true);
                return t;
              });
      long millis = ttlSweep.toMillis();
      sweeper.scheduleWithFixedDelay(engine::expireItems, millis, millis, TimeUnit.MILLISECONDS);
    }
    return new DynamoDbServer(server, workers, sweeper, api);
  }

  private static void serve(DynamoDbApi api, HttpExchange exchange) throws IOException {
    try (exchange) {
      DynamoDbApi.Reply reply;
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        reply =
            DynamoDbApi.error(
                DynamoDbError.validation("Request body exceeds " + MAX_BODY + " bytes"));
      } else {
        reply = api.handle(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
      }
      var headers = exchange.getResponseHeaders();
      headers.set("Content-Type", reply.contentType());
      headers.set("x-amz-crc32", Long.toString(reply.crc32()));
      headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
      exchange.sendResponseHeaders(reply.status(), reply.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }

  /** The body, or null when it is larger than {@link #MAX_BODY}. */
  private static byte[] readBody(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    byte[] buffer = new byte[8192];
    int total = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      total += n;
      if (total > MAX_BODY) {
        in.transferTo(OutputStream.nullOutputStream());
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
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
    server.stop(0);
    workers.shutdownNow();
  }
}
