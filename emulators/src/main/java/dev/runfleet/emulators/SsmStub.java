package dev.runfleet.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeReply;
import dev.runfleet.emulators.edge.EdgeRequest;
import dev.runfleet.emulators.edge.EdgeServer;
import dev.runfleet.emulators.edge.EdgeService;
import dev.runfleet.emulators.ssm.SsmEmulator;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SSM emulator on its own loopback port, recording each request body: for the functions' own
 * tests, which read a secret or the allow-list and assert what they asked for. The SDK client talks
 * to it over HTTP like it would to AWS.
 */
public final class SsmStub implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SsmEmulator ssm = new SsmEmulator("us-east-1", Clock.systemUTC());
  private final EdgeServer server;
  public final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  /** Each request's headers (names in lower case), in the order received. */
  public final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();

  private final Deque<EdgeReply> failures = new ConcurrentLinkedDeque<>();

  public SsmStub() {
    server = EdgeServer.start(0, AwsEdge.of(new Recording()));
  }

  public SsmStub put(String name, String value) {
    ssm.put(name, value);
    return this;
  }

  public SsmStub remove(String name) {
    ssm.remove(name);
    return this;
  }

  /**
   * Answers the next {@code times} requests with AWS's error {@code type} at {@code status} (for
   * example 400 {@code ThrottlingException}, 500 {@code InternalServerError}) instead of serving
   * them.
   */
  public SsmStub failNext(int times, int status, String type) {
    for (int i = 0; i < times; i++) {
      failures.add(
          EdgeReply.of(
              status,
              "application/x-amz-json-1.1",
              MAPPER.createObjectNode().put("__type", type).put("message", "injected").toString()));
    }
    return this;
  }

  public URI endpoint() {
    return server.endpoint();
  }

  @Override
  public void close() {
    server.close();
  }

  private final class Recording implements EdgeService {
    @Override
    public boolean accepts(EdgeRequest request) {
      return ssm.accepts(request);
    }

    @Override
    public EdgeReply handle(EdgeRequest request) {
      try {
        requests.add(MAPPER.readTree(request.body()));
      } catch (IOException e) {
        requests.add(MAPPER.getNodeFactory().textNode(new String(request.body())));
      }
      headers.add(request.headers());
      EdgeReply failure = failures.poll();
      return failure != null ? failure : ssm.handle(request);
    }
  }
}
