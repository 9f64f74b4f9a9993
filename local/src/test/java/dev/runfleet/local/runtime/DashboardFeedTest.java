package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event stream's mechanics against a scripted fleet state: framing, change events, heartbeats,
 * and clients that leave, stop reading or come one too many.
 */
// A separate thread: a test blocked reading a socket is not interrupted, only abandoned.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardFeedTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicReference<FleetState> state = new AtomicReference<>(state("QUEUED"));
  private final List<RawEventStream> streams = new ArrayList<>();
  private DashboardFeed feed;
  private HttpServer server;

  private void serve(SseClients.Options clients) throws IOException {
    feed =
        new DashboardFeed(
            state::get,
            JSON,
            new DashboardFeed.Options(Duration.ofMillis(50), Duration.ofMinutes(10), clients));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    // Two threads: were a stream to hold one, the third client would never be answered.
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/api/events",
        exchange -> {
          if (!feed.open(exchange)) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    for (RawEventStream s : streams) {
      s.close();
    }
    if (feed != null) {
      feed.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private static FleetState state(String jobStatus) {
    ObjectNode fleet = JSON.createObjectNode().put("paused", false);
    ObjectNode platform = JSON.createObjectNode().put("name", "fargate").put("inFlight", 0);
    ObjectNode job = JSON.createObjectNode().put("id", 42).put("status", jobStatus);
    Map<String, ObjectNode> jobs = new LinkedHashMap<>();
    jobs.put("42:1", job);
    return new FleetState(fleet, Map.of("fargate", platform), jobs, Map.of());
  }

  private RawEventStream connect() throws IOException {
    RawEventStream stream = new RawEventStream(server.getAddress().getPort());
    streams.add(stream);
    return stream;
  }

  @Test
  void open_sendsTheEventStreamHeadersThenASnapshotFrame() throws Exception {
    serve(SseClients.Options.defaults());
    RawEventStream in = connect();

    String headers = in.headers();

    assertThat(headers).startsWith("HTTP/1.1 200").containsIgnoringCase("text/event-stream");
    assertThat(in.lineStartingWith("retry:")).isEqualTo("retry: 2000");
    assertThat(in.readLine()).isEmpty();
    assertThat(in.lineStartingWith("event:")).isEqualTo("event: snapshot");
    String data = in.readLine();
    assertThat(data).startsWith("data: {");
    assertThat(JSON.readTree(data.substring("data: ".length())).path("jobs").get(0).path("status"))
        .hasToString("\"QUEUED\"");
    assertThat(in.readLine()).isEmpty();
  }

  @Test
  void tick_whenAJobChanged_sendsThatJobAsAJobEvent() throws Exception {
    serve(SseClients.Options.defaults());
    RawEventStream in = connect();
    in.lineStartingWith("event: snapshot");
    // The first tick with a client repeats the snapshot; changes are counted from it.
    in.lineStartingWith("event: snapshot");

    state.set(state("DISPATCHED"));

    assertThat(in.lineStartingWith("event:")).isEqualTo("event: job");
    assertThat(in.readLine()).isEqualTo("data: {\"id\":42,\"status\":\"DISPATCHED\"}");
  }

  @Test
  void quietStream_carriesHeartbeatComments() throws Exception {
    serve(SseClients.Options.defaults().withHeartbeat(Duration.ofMillis(100)));
    RawEventStream in = connect();

    assertThat(in.lineStartingWith(":")).isEqualTo(": heartbeat");
  }

  @Test
  void open_beyondMaxClients_isRefusedWhileTheServerKeepsAnswering() throws Exception {
    serve(SseClients.Options.defaults().withMaxClients(3));
    for (int i = 0; i < 3; i++) {
      assertThat(connect().headers()).startsWith("HTTP/1.1 200");
    }

    String fourth = connect().headers();

    assertThat(fourth).startsWith("HTTP/1.1 503");
    assertThat(feed.clients()).isEqualTo(3);
  }

  @Test
  void clientThatLeaves_freesItsSlotAndWriterThread() throws Exception {
    serve(SseClients.Options.defaults().withMaxClients(2).withHeartbeat(Duration.ofMillis(100)));
    for (int i = 0; i < 2; i++) {
      connect().headers();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.clients() == 2);

    for (RawEventStream s : streams) {
      s.close();
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> feed.clients() == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> writerThreads() == 0);
    assertThat(connect().headers()).startsWith("HTTP/1.1 200");
  }

  @Test
  void clientThatStopsReading_isDroppedOnceTooFarBehind() throws Exception {
    serve(new SseClients.Options(4, 4, Duration.ofSeconds(30)));
    connect().headers();
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.clients() == 1);

    // Each poll changes a large item: the socket's buffers fill, then the client's four frames.
    String big = "x".repeat(512 * 1024);
    AtomicInteger changes = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(60))
        .until(
            () -> {
              FleetState next = state("QUEUED" + changes.incrementAndGet());
              next.jobs().get("42:1").put("padding", big);
              state.set(next);
              return feed.clients() == 0;
            });

    await().atMost(Duration.ofSeconds(20)).until(() -> feed.clients() == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> writerThreads() == 0);
  }

  /** Threads serving a client (an idle pooled thread has no frame of {@link SseClients}). */
  private static long writerThreads() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("event-stream-"))
        .filter(
            e ->
                java.util.Arrays.stream(e.getValue())
                    .anyMatch(f -> f.getClassName().startsWith(SseClients.class.getName())))
        .count();
  }
}
