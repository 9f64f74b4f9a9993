package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /api/events} of a running local runtime, read as plain HTTP. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventStreamInLocalRuntimeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "test-secret";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static LocalRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = LocalRuntime.start(RuntimeOptions.defaults(SECRET).withPort(0));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @BeforeEach
  void noStreamLeftFromAnotherTest() {
    await().atMost(Duration.ofSeconds(60)).until(() -> runtime.eventStreams() == 0);
  }

  /** One event as an {@code EventSource} sees it. */
  record Event(String name, String data) {
    JsonNode json() throws IOException {
      return JSON.readTree(data);
    }
  }

  /** Reads the stream's lines on a thread of the HTTP client and parses them into events. */
  private static final class Events implements AutoCloseable {
    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new ArrayList<>();

    Events(HttpResponse<Stream<String>> response) {
      this.response = response;
      Thread reader = new Thread(this::read, "test-event-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      String name = "message";
      StringBuilder data = new StringBuilder();
      for (String line : (Iterable<String>) response.body()::iterator) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(name, data.toString()));
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          synchronized (comments) {
            comments.add(line);
          }
        } else if (line.startsWith("event: ")) {
          name = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data.append(line.substring("data: ".length()));
        }
      }
    }

    /** The next event named {@code name}, skipping others. */
    Event next(String name) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        Event e = events.poll(1, TimeUnit.SECONDS);
        if (e != null && e.name().equals(name)) {
          return e;
        }
      }
      throw new AssertionError("no '" + name + "' event within 60 s");
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  private static Events open() throws Exception {
    HttpResponse<Stream<String>> response =
        HTTP.send(
            HttpRequest.newBuilder(runtime.baseUri().resolve("/api/events"))
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    return new Events(response);
  }

  /** A job the simulated GitHub queues, runs for a second and completes, by webhook each time. */
  private static void queueFargateJob(long id) {
    runtime
        .gitHub()
        .queue(
            new SimJob(
                id,
                id,
                1,
                List.of("self-hosted", "fargate", "x64"),
                "octo/repo",
                "octo",
                1,
                Duration.ofSeconds(1),
                java.time.Instant.now()));
  }

  private static String fixture(String name) throws IOException {
    Path dir = Path.of(System.getProperty("runfleet.fixtures.dir", "../../shared/fixtures/github"));
    return Files.readString(dir.resolve(name));
  }

  @Test
  void events_startWithASnapshotOfEveryPlatform() throws Exception {
    try (Events events = open()) {
      JsonNode snapshot = events.next("snapshot").json();

      List<String> platforms = new ArrayList<>();
      snapshot.path("platforms").forEach(p -> platforms.add(p.path("name").asText()));
      assertThat(platforms).containsExactlyElementsOf(runtime.options().platforms().names());
      assertThat(snapshot.path("global").path("cap").asInt())
          .isEqualTo(runtime.options().globalCap());
      assertThat(snapshot.path("series").path("buckets")).hasSize(30);
    }
  }

  @Test
  void events_afterAWebhook_carryTheJobItRecorded() throws Exception {
    try (Events events = open()) {
      events.next("snapshot");
      // GitHub's own example: labels no platform serves, so the job is recorded as ignored.
      int status =
          new WebhookSender(runtime.baseUri().resolve("/webhook"), SECRET)
              .send("workflow_job", fixture("queued.payload.json"));
      assertThat(status).isEqualTo(200);

      // The simulated GitHub reports the job's progress by webhook: each step is a change event.
      queueFargateJob(8701);

      Event job = events.next("job");
      while (!(job.json().path("id").asLong() == 8701L
          && job.json().path("status").asText().equals("COMPLETED"))) {
        job = events.next("job");
      }
      // The ignored job came as its own event, or in a snapshot the first tick repeated.
      assertThat(runtime.jobs()).anyMatch(j -> j.key().jobId() == 289782451L);
      assertThat(job.json().path("ranOn").asText()).startsWith("rf-fargate-");
    }
  }

  @Test
  void moreEventStreamsThanServerThreads_leaveTheApiAnswering() throws Exception {
    List<RawEventStream> streams = new ArrayList<>();
    int ok = 0;
    int refused = 0;
    try {
      // More than the 32 threads of the runtime's HTTP pool, and more than the 16 stream slots.
      for (int i = 0; i < 40; i++) {
        RawEventStream stream = new RawEventStream(runtime.baseUri().getPort());
        streams.add(stream);
        String statusLine = stream.headers();
        if (statusLine.startsWith("HTTP/1.1 200")) {
          ok++;
        } else if (statusLine.startsWith("HTTP/1.1 503")) {
          refused++;
        }
      }

      HttpResponse<String> platforms =
          HTTP.send(
              HttpRequest.newBuilder(runtime.baseUri().resolve("/api/platforms"))
                  .timeout(Duration.ofSeconds(20))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(ok).isEqualTo(16);
      assertThat(refused).isEqualTo(24);
      assertThat(platforms.statusCode()).isEqualTo(200);
      assertThat(runtime.eventStreams()).isEqualTo(16);
    } finally {
      for (RawEventStream s : streams) {
        s.close();
      }
    }
    // Gone clients are found by the next frames: a webhook gives the feed something to send.
    queueFargateJob(8801);
    await().atMost(Duration.ofSeconds(60)).until(() -> runtime.eventStreams() == 0);
  }

  @Test
  void dashboard_isOneSelfContainedPage() throws Exception {
    HttpResponse<String> page =
        HTTP.send(
            HttpRequest.newBuilder(runtime.baseUri().resolve("/")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'"));
    assertThat(page.body()).contains("new EventSource(\"/api/events\")");
    // Nothing fetched from another origin: no CDN, no external script, style or font.
    assertThat(page.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
    assertThat(URI.create(runtime.baseUri().toString()).getHost()).isEqualTo("127.0.0.1");
  }
}
