package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.local.sim.SimJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local API an operator and a scraper read: health, jobs filtered and paged, metrics. */
class LocalApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalRuntime runtime;

  @BeforeAll
  static void startWithFiveJobs() {
    runtime = LocalRuntime.start(RuntimeOptions.defaults("test-secret").withPort(0));
    for (int i = 1; i <= 4; i++) {
      queue(7000 + i, List.of("self-hosted", "fargate", "x64"), i);
    }
    queue(7100, List.of("ubuntu-latest"), 5);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> runtime.jobs().stream().filter(j -> j.key().jobId() >= 7000).count() == 5);
  }

  private static void queue(long id, List<String> labels, int minutesAgo) {
    runtime
        .gitHub()
        .queue(
            new SimJob(
                id,
                1,
                1,
                labels,
                "octo/repo",
                "octo",
                1,
                Duration.ofMinutes(10),
                Instant.now().minus(Duration.ofMinutes(60 - minutesAgo))));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(runtime.baseUri() + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<Long> ids(HttpResponse<String> response) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (JsonNode job : JSON.readTree(response.body())) {
      ids.add(job.path("id").asLong());
    }
    return ids;
  }

  @Test
  void health_whenEveryEmulatorAnswersAndEveryPollerRuns_isOkWithEachCheck() throws Exception {
    HttpResponse<String> response = get("/health");

    JsonNode body = JSON.readTree(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.path("status").asText()).isEqualTo("ok");
    assertThat(body.path("checks").fieldNames())
        .toIterable()
        .contains("dynamodb", "sqs", "stream-poller", "queue-poller-fargate");
    assertThat(body.path("checks").findValuesAsText("dynamodb")).containsOnly("ok");
  }

  @Test
  void jobs_filteredByStatus_showOnlyThatStatus() throws Exception {
    HttpResponse<String> response = get("/api/jobs?status=ignored");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ids(response)).contains(7100L).doesNotContain(7001L, 7002L, 7003L, 7004L);
  }

  @Test
  void jobs_pagedByPlatform_comeOldestFirstWithTheNextOffset() throws Exception {
    HttpResponse<String> first = get("/api/jobs?platform=fargate&limit=2");
    HttpResponse<String> second = get("/api/jobs?platform=fargate&limit=2&offset=2");

    assertThat(ids(first)).containsExactly(7001L, 7002L);
    assertThat(first.headers().firstValue("X-Total-Count")).hasValue("4");
    assertThat(first.headers().firstValue("X-Next-Offset")).hasValue("2");
    assertThat(ids(second)).containsExactly(7003L, 7004L);
    assertThat(second.headers().firstValue("X-Next-Offset")).isEmpty();
  }

  @Test
  void jobs_withAnUnknownStatusOrParameter_is400SayingWhatIsAllowed() throws Exception {
    HttpResponse<String> status = get("/api/jobs?status=running");
    HttpResponse<String> parameter = get("/api/jobs?sort=age");
    HttpResponse<String> limit = get("/api/jobs?limit=0");

    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(status.body()).contains("unknown status 'running'").contains("QUEUED");
    assertThat(parameter.statusCode()).isEqualTo(400);
    assertThat(parameter.body()).contains("unknown parameter 'sort'");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.body()).contains("limit must be a whole number from 1 to 1000");
  }

  @Test
  void metrics_inPrometheusText_countEventsAndGaugeTheFleet() throws Exception {
    HttpResponse<String> response = get("/api/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(response.body())
        .contains("# TYPE runfleet_events_accepted_total counter")
        .contains("# TYPE runfleet_in_flight gauge")
        .contains(
            "runfleet_cap{platform=\"fargate\"} "
                + runtime.options().platforms().find("fargate").orElseThrow().cap())
        .containsPattern("runfleet_jobs\\{status=\"IGNORED\"\\} [1-9]");
  }

  @Test
  void platformsAndMetrics_showTheCapInForce_afterACapsParameterChangesIt() throws Exception {
    String platform = "ec2-linux-arm64";
    int configured = runtime.options().platforms().find(platform).orElseThrow().cap();
    int changed = configured + 7;
    runtime.parameters().put(RuntimeParameters.cap(LocalRuntime.STAGE, platform), "" + changed);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode arm = null;
              for (JsonNode p : JSON.readTree(get("/api/platforms").body())) {
                if (p.path("name").asText().equals(platform)) {
                  arm = p;
                }
              }
              assertThat(arm).isNotNull();
              assertThat(arm.path("cap").asInt()).isEqualTo(changed);
              assertThat(arm.path("configuredCap").asInt()).isEqualTo(configured);
            });
    assertThat(get("/api/metrics").body())
        .contains("runfleet_cap{platform=\"" + platform + "\"} " + changed);
  }
}
