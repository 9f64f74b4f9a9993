package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.port.GitHubDeliveries.DeliveryPage;
import dev.runfleet.common.port.GitHubDeliveries.RedeliverResult;
import dev.runfleet.common.port.GitHubRunners.JobLookup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults scripted over {@code /sim} against one runtime whose reconciler stays out of the way (one
 * pass an hour), so each test sees only what it staged.
 */
class SimApiInLocalRuntimeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String EC2_X64 = "[\"self-hosted\",\"ec2\",\"x64\"]";
  private static LocalRuntime runtime;

  @BeforeAll
  static void start() {
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults("sim-secret")
                .withPort(0)
                .withReconcile(
                    new RuntimeOptions.Reconcile(Duration.ofHours(1), null, Duration.ofHours(6))));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  static HttpResponse<String> send(LocalRuntime runtime, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(runtime.baseUri() + path))
            .timeout(Duration.ofSeconds(20));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static long queue(LocalRuntime runtime, String body) throws Exception {
    HttpResponse<String> response = send(runtime, "POST", "/sim/jobs", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("runAttempt").asInt()).isEqualTo(1);
    return answer.path("id").asLong();
  }

  static JsonNode view(LocalRuntime runtime, long id) throws Exception {
    HttpResponse<String> response = send(runtime, "GET", "/sim/jobs/" + id, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<JsonNode> deliveries() throws Exception {
    HttpResponse<String> response = send(runtime, "GET", "/sim/deliveries?per_page=100", null);
    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(response.body()).forEach(out::add);
    return out;
  }

  @Test
  void lostQueuedWebhook_isAFailedDelivery_andItsRedeliveryRunsTheJob() throws Exception {
    long id = queue(runtime, "{\"labels\":" + EC2_X64 + ",\"seconds\":1,\"lose\":[\"queued\"]}");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> deliveries().stream().anyMatch(d -> d.path("status_code").asInt() == 0));
    JsonNode lost =
        deliveries().stream().filter(d -> d.path("status_code").asInt() == 0).findFirst().get();
    assertThat(lost.path("action").asText()).isEqualTo("queued");
    assertThat(lost.path("event").asText()).isEqualTo("workflow_job");
    assertThat(lost.path("redelivery").asBoolean()).isFalse();
    assertThat(lost.path("status").asText()).isNotEqualTo("OK");
    // Nobody heard of it but GitHub: it waits there, and the fleet launches nothing for it.
    assertThat(view(runtime, id).path("status").asText()).isEqualTo("queued");
    assertThat(runtime.jobs()).noneMatch(j -> j.key().jobId() == id);

    HttpResponse<String> redelivered =
        send(runtime, "POST", "/sim/deliveries/" + lost.path("id").asLong() + "/attempts", null);
    assertThat(redelivered.statusCode()).as(redelivered.body()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "completed".equals(view(runtime, id).path("status").asText()));
    assertThat(view(runtime, id).path("conclusion").asText()).isEqualTo("success");
    assertThat(deliveries())
        .anySatisfy(
            d -> {
              assertThat(d.path("guid").asText()).isEqualTo(lost.path("guid").asText());
              assertThat(d.path("redelivery").asBoolean()).isTrue();
              assertThat(d.path("status_code").asInt()).isEqualTo(200);
            });
    assertThat(view(runtime, id).path("runnerName").asText()).startsWith("rf-ec2-linux-x64-" + id);
    assertThat(runtime.gitHub().redeliver(Long.MAX_VALUE)).isEqualTo(RedeliverResult.REFUSED);
    assertThat(send(runtime, "POST", "/sim/deliveries/12/attempts", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void killOverHttp_endsTheBusyRunnersHost_andGitHubFailsItsJob() throws Exception {
    long id = queue(runtime, "{\"labels\":" + EC2_X64 + ",\"seconds\":60}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "in_progress".equals(view(runtime, id).path("status").asText()));
    String runner = view(runtime, id).path("runnerName").asText();

    HttpResponse<String> killed = send(runtime, "POST", "/sim/hosts/" + runner + "/kill", null);

    assertThat(killed.statusCode()).as(killed.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "completed".equals(view(runtime, id).path("status").asText()));
    assertThat(view(runtime, id).path("conclusion").asText()).isEqualTo("failure");
    HttpResponse<String> again = send(runtime, "POST", "/sim/hosts/" + runner + "/kill", null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.body()).contains("no live simulated host runs runner " + runner);
  }

  @Test
  void failNext_makesTheNextRestCallsAnswerRetryLater_thenGitHubAnswersAgain() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> runtime.gitHub().quiet() && runtime.hosts().hostsAlive() == 0);
    GitHubScope scope = new GitHubScope(null, "local/sim", 1L);

    HttpResponse<String> set =
        send(runtime, "POST", "/sim/github/faults", "{\"failNext\":2,\"status\":503}");

    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(runtime.gitHub().job(scope, 1))
        .isEqualTo(new JobLookup.RetryLater("GitHub answered 503 (simulated)"));
    assertThat(runtime.gitHub().page(null, 10)).isInstanceOf(DeliveryPage.RetryLater.class);
    assertThat(runtime.gitHub().job(scope, 1)).isInstanceOf(JobLookup.NotFound.class);
    JsonNode counts = JSON.readTree(send(runtime, "GET", "/sim/github/faults", null).body());
    assertThat(counts.path("github").path("error").asInt()).isEqualTo(2);
  }

  @Test
  void badBodies_are400WithTheReason_andQueueNothing() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> runtime.gitHub().quiet());
    int known = deliveries().size();
    String[][] cases = {
      {"{\"seconds\":1}", "labels is required"},
      {"{\"labels\":[]}", "labels is required"},
      {"{\"labels\":" + EC2_X64 + ",\"lose\":[\"requested\"]}", "unknown webhook to lose"},
      {"{\"labels\":" + EC2_X64 + ",\"host\":\"explodes\"}", "unknown host fate"},
      {"{\"labels\":" + EC2_X64 + ",\"seconds\":-1}", "seconds must be from 0 to 86400"},
      {"{\"labels\":" + EC2_X64 + ",\"color\":\"red\"}", "unknown field 'color'"},
      {"not json", "body is not JSON"},
      {"[1]", "body must be a JSON object"},
    };
    for (String[] c : cases) {
      HttpResponse<String> response = send(runtime, "POST", "/sim/jobs", c[0]);
      assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(response.body()).as(c[0]).contains(c[1]);
    }
    HttpResponse<String> status =
        send(runtime, "POST", "/sim/github/faults", "{\"failNext\":1,\"status\":404}");
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(status.body()).contains("status must be 429, 403 or 5xx");
    HttpResponse<String> rate = send(runtime, "POST", "/sim/github/faults", "{\"lostRate\":2}");
    assertThat(rate.statusCode()).isEqualTo(400);
    assertThat(rate.body()).contains("lostRate must be within [0, 1]");
    assertThat(send(runtime, "GET", "/sim/jobs/abc", null).statusCode()).isEqualTo(400);
    assertThat(send(runtime, "GET", "/sim/jobs/123", null).statusCode()).isEqualTo(404);
    assertThat(send(runtime, "GET", "/sim/nothing", null).statusCode()).isEqualTo(404);
    assertThat(send(runtime, "GET", "/sim/deliveries?per_page=0", null).statusCode())
        .isEqualTo(400);
    assertThat(deliveries()).hasSize(known);
  }
}
