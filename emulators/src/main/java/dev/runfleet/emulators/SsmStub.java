package dev.runfleet.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers SSM's {@code GetParameter} (AWS JSON 1.1) from a map, the way SSM does, and records each
 * request body: for the functions' own tests, which read a secret or the allow-list and need no
 * full parameter store (the local runtime has one). The SDK client talks to it over HTTP like it
 * would to AWS.
 */
public final class SsmStub implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, String> parameters = new ConcurrentHashMap<>();
  public final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  public SsmStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public SsmStub put(String name, String value) {
    parameters.put(name, value);
    return this;
  }

  public SsmStub remove(String name) {
    parameters.remove(name);
    return this;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
      requests.add(request);
      if (!"AmazonSSM.GetParameter".equals(target)) {
        respond(exchange, 400, Map.of("__type", "UnknownOperationException", "message", target));
        return;
      }
      String name = request.path("Name").asText();
      String value = parameters.get(name);
      if (value == null) {
        respond(exchange, 400, Map.of("__type", "ParameterNotFound", "message", "not found"));
        return;
      }
      respond(
          exchange,
          200,
          Map.of(
              "Parameter",
              Map.of("Name", name, "Type", "SecureString", "Value", value, "Version", 1)));
    }
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
