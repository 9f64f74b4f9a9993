package dev.runfleet.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code runfleet send}: what it puts on the wire, what it prints, how it exits. */
class SendCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "It's a Secret to Everybody";

  private HttpServer server;
  private final AtomicReference<Headers> headers = new AtomicReference<>();
  private final AtomicReference<byte[]> body = new AtomicReference<>();

  /** A receiver that records the delivery and answers {@code status} with a small JSON body. */
  private String receiver(int status) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/webhook",
        exchange -> {
          headers.set(exchange.getRequestHeaders());
          body.set(exchange.getRequestBody().readAllBytes());
          byte[] answer = "{\"outcome\":\"recorded\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void send_signsAndPostsAWorkflowJob_asGitHubDoes_andPrintsTheAnswer() throws Exception {
    String url = receiver(202);

    CliConventionsTest.Run run =
        send(
            url,
            "queued",
            "--job",
            "4242",
            "--labels",
            "self-hosted,linux,x64,fargate",
            "--run-attempt",
            "2",
            "--repo",
            "acme/tools");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(headers.get().getFirst("X-GitHub-Event")).isEqualTo("workflow_job");
    assertThat(UUID.fromString(headers.get().getFirst("X-GitHub-Delivery"))).isNotNull();
    assertThat(headers.get().getFirst("Content-Type")).isEqualTo("application/json");
    // Verified here independently of the sender's own signing code.
    assertThat(headers.get().getFirst("X-Hub-Signature-256")).isEqualTo(hmac(SECRET, body.get()));
    JsonNode sent = JSON.readTree(body.get());
    assertThat(sent.path("action").asText()).isEqualTo("queued");
    JsonNode job = sent.path("workflow_job");
    assertThat(job.path("id").asLong()).isEqualTo(4242);
    assertThat(job.path("run_attempt").asInt()).isEqualTo(2);
    assertThat(job.path("status").asText()).isEqualTo("queued");
    assertThat(job.path("runner_name").isNull()).isTrue();
    assertThat(job.path("labels").toString())
        .isEqualTo("[\"self-hosted\",\"linux\",\"x64\",\"fargate\"]");
    assertThat(sent.path("repository").path("full_name").asText()).isEqualTo("acme/tools");
    assertThat(sent.path("organization").path("login").asText()).isEqualTo("acme");
    assertThat(run.out().lines().toList())
        .containsExactly(
            "sent workflow_job queued for job 4242 (attempt 2) to "
                + url
                + ", delivery "
                + headers.get().getFirst("X-GitHub-Delivery"),
            "answer: 202 {\"outcome\":\"recorded\"}");
  }

  @Test
  void send_completed_reportsTheRunnerAndSuccess() throws Exception {
    String url = receiver(200);

    CliConventionsTest.Run run =
        send(url, "completed", "--job", "7", "--labels", "self-hosted", "--runner", "rf-1");

    assertThat(run.code()).isZero();
    JsonNode job = JSON.readTree(body.get()).path("workflow_job");
    assertThat(job.path("runner_name").asText()).isEqualTo("rf-1");
    assertThat(job.path("runner_id").asLong()).isPositive();
    assertThat(job.path("conclusion").asText()).isEqualTo("success");
    assertThat(job.path("completed_at").isTextual()).isTrue();
  }

  @Test
  void send_whenTheReceiverRefuses_printsTheAnswer_andExitsOne() throws Exception {
    String url = receiver(401);

    CliConventionsTest.Run run = send(url, "queued", "--job", "1", "--labels", "a");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("answer: 401 {\"outcome\":\"recorded\"}");
  }

  @Test
  void send_whenNothingListens_saysWhatToDo_inOneLine() throws Exception {
    String url = "http://127.0.0.1:" + CliConventionsTest.closedPort() + "/webhook";

    CliConventionsTest.Run run = send(url, "queued", "--job", "1", "--labels", "a");

    CliConventionsTest.assertFailedInOneLine(
        run,
        "runfleet send: nothing answers at " + url,
        "start 'runfleet local' there, or correct --url");
  }

  @Test
  void send_queued_toARunningLocalRuntime_isRecordedAsAJob() {
    RuntimeOptions options = RuntimeOptions.defaults(SECRET).withPort(0);
    try (LocalRuntime runtime = LocalRuntime.start(options)) {
      CliConventionsTest.Run run =
          send(
              runtime.baseUri().resolve("/webhook").toString(),
              "queued",
              "--job",
              "31337",
              "--labels",
              "self-hosted,linux,arm64");

      assertThat(run.code()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("answer: 2");
      // The producer stores the job before it answers.
      Job job =
          runtime.jobs().stream().filter(j -> j.key().jobId() == 31337).findFirst().orElseThrow();
      assertThat(job.platform()).isEqualTo("ec2-linux-arm64");
      assertThat(job.status()).isNotEqualTo(JobStatus.IGNORED);
    }
  }

  /** {@code runfleet send ARGS --url URL --secret SECRET}. */
  private static CliConventionsTest.Run send(String url, String... args) {
    List<String> all = new ArrayList<>(List.of("send"));
    all.addAll(List.of(args));
    all.addAll(List.of("--url", url, "--secret", SECRET));
    return CliConventionsTest.run(all.toArray(String[]::new));
  }

  private static String hmac(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }
}
