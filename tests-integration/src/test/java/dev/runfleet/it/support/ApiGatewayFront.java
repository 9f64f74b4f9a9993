package dev.runfleet.it.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runfleet.local.aws.LocalContext;
import dev.runfleet.producer.ProducerHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code POST /webhook} in front of the producer handler as API Gateway's HTTP API (payload v2)
 * invokes it: header names lower-cased, repeated headers joined by commas, a JSON body passed as
 * text and any other body base64-encoded.
 */
public final class ApiGatewayFront implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService pool;
  private final ProducerHandler handler;

  private ApiGatewayFront(HttpServer server, ExecutorService pool, ProducerHandler handler) {
    this.server = server;
    this.pool = pool;
    this.handler = handler;
  }

  /** Listens on a free loopback port. */
  public static ApiGatewayFront start(ProducerHandler handler) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "it-api-gateway");
              t.setDaemon(true);
              return t;
            });
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ApiGatewayFront front = new ApiGatewayFront(server, pool, handler);
      server.setExecutor(pool);
      server.createContext("/webhook", front::handle);
      server.start();
      return front;
    } catch (IOException e) {
      pool.shutdownNow();
      throw new UncheckedIOException("cannot listen on the loopback interface", e);
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new HashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      boolean text =
          headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT).contains("json");
      APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
      event.setVersion("2.0");
      event.setRouteKey("POST /webhook");
      event.setRawPath("/webhook");
      event.setHeaders(headers);
      event.setBody(
          text
              ? new String(body, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(body));
      event.setIsBase64Encoded(!text);
      APIGatewayV2HTTPResponse response =
          handler.handle(event, new LocalContext("runfleet-producer", Duration.ofSeconds(10)));
      byte[] out =
          response.getBody() == null
              ? new byte[0]
              : response.getBody().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(response.getStatusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        exchange.getResponseBody().write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
