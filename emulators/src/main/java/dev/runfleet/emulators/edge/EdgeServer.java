package dev.runfleet.emulators.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link AwsEdge} over HTTP on the loopback interface only: the emulators accept any
 * signature, so they must not be reachable from another host. Used where no local runtime port
 * hosts the edge (tests, benchmarks).
 */
public final class EdgeServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);

  /** Above DynamoDB's largest request (a 100-action transaction of 400 KB items is ~4 MB). */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /**
   * The JDK server's own per-request deadline (seconds): a connection whose request line, headers
   * and body are not all read within it is closed, which frees the thread a stalled client held.
   * Without it a few clients that send headers and stall take every thread of a pool.
   */
  public static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";

  /** GitHub gives up on a delivery after 10 s: no sender of ours needs longer to send a request. */
  public static final long MAX_REQUEST_SECONDS = 10;

  /**
   * Sets what every JDK {@code HttpServer} of this JVM should run with, unless already set:
   * TCP_NODELAY (without it the server's separate header and body writes meet the client's delayed
   * ACK, adding up to 40 ms to keep-alive calls) and the request deadline above. The JDK reads both
   * once, when its first server starts: every server of ours calls this before it is created.
   */
  public static void configureJdkServers() {
    setIfAbsent("sun.net.httpserver.nodelay", "true");
    setIfAbsent(MAX_REQUEST_TIME_PROPERTY, Long.toString(MAX_REQUEST_SECONDS));
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;

  private EdgeServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts on {@code port} of 127.0.0.1 (a free one when 0). */
  public static EdgeServer start(int port, AwsEdge edge) {
    configureJdkServers();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "aws-edge-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
      server.setExecutor(pool);
      server.createContext("/", exchange -> serve(exchange, edge));
      server.start();
      return new EdgeServer(server, pool);
    } catch (IOException e) {
      pool.shutdownNow();
      throw new UncheckedIOException("the AWS emulators cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /** The socket address the server is bound to. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Reads an exchange into an {@link EdgeRequest}; empty when the body exceeds {@code maxBytes}
   * (the caller answers 413).
   */
  public static Optional<EdgeRequest> read(HttpExchange exchange, int maxBytes) throws IOException {
    Map<String, String> headers = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(maxBytes + 1);
    }
    if (body.length > maxBytes) {
      return Optional.empty();
    }
    return Optional.of(
        new EdgeRequest(
            exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
  }

  /** Writes {@code reply} to the exchange. */
  public static void write(HttpExchange exchange, EdgeReply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(
        reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    if (reply.body().length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }

  private static void serve(HttpExchange exchange, AwsEdge edge) {
    try (exchange) {
      Optional<EdgeRequest> request = read(exchange, MAX_BODY_BYTES);
      if (request.isEmpty()) {
        LOG.warn("refused a request over {} bytes", MAX_BODY_BYTES);
        write(exchange, EdgeReply.of(413, "text/plain", "request body too large"));
        return;
      }
      write(exchange, edge.answer(request.get()));
    } catch (IOException e) {
      // The client went away; SDK clients retry on their own.
      LOG.warn("edge request {} failed: {}", exchange.getRequestURI(), e.toString());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
