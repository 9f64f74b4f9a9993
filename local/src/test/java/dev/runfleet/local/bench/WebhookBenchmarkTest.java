package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.local.bench.WebhookBenchmark.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/** The webhook benchmark end to end at a tiny size: both modes measured, one JSON line. */
class WebhookBenchmarkTest {

  private static final Path FIXTURES = WebhookBenchmark.findFixtures().orElseThrow();

  @Test
  void run_atATinySize_recordsEveryWebhookAndReportsBothModesAsTheLastJsonLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    WebhookBenchmark.print(
        new WebhookBenchmark(
                new WebhookBenchmark.Options(
                    40, 2, 8, List.of(Mode.STUB, Mode.SDK), Level.INFO, FIXTURES))
            .run(out),
        out);

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(report.path("modes").fieldNames()).toIterable().containsExactly("stub", "sdk");
    for (JsonNode mode : report.path("modes")) {
      assertThat(mode.path("requests").asInt()).isEqualTo(40);
      // Every request is a new delivery of a new job: each one is recorded, none is a duplicate.
      assertThat(mode.path("results").path("200 recorded").asInt()).isEqualTo(40);
      assertThat(mode.path("results").size()).isEqualTo(1);
      assertThat(mode.path("requestsPerSecond").asDouble()).isPositive();
      assertThat(mode.path("p99Micros").asDouble())
          .isGreaterThanOrEqualTo(mode.path("p50Micros").asDouble());
      assertThat(mode.path("callsPerEvent").path("TransactWriteItems").asDouble()).isEqualTo(1.0);
      assertThat(mode.path("callsPerEventByKind").fieldNames())
          .toIterable()
          .containsExactlyInAnyOrder("queued", "waiting", "in_progress", "completed");
      // One INFO line per recorded event at least.
      assertThat(mode.path("logLines").asInt()).isGreaterThanOrEqualTo(40);
    }
    assertThat(report.path("threads").asInt()).isEqualTo(2);
    assertThat(report.path("logLevel").asText()).isEqualTo("INFO");
  }

  @Test
  void withJobId_replacesOnlyTheWorkflowJobId() {
    String payload =
        "{\"action\":\"queued\",\"workflow_job\": {\"id\": 289782451, \"run_id\": 5},"
            + " \"repository\": {\"id\": 186853002}}";

    assertThat(WebhookBenchmark.withJobId(payload, 900_000_000_001L))
        .isEqualTo(
            "{\"action\":\"queued\",\"workflow_job\": {\"id\": 900000000001, \"run_id\": 5},"
                + " \"repository\": {\"id\": 186853002}}");
  }

  @Test
  void options_outOfRange_areRefusedWithTheOptionName() {
    assertThatThrownBy(
            () -> new WebhookBenchmark.Options(0, 2, 5, List.of(Mode.STUB), Level.INFO, FIXTURES))
        .hasMessageContaining("--requests");
    assertThatThrownBy(
            () -> new WebhookBenchmark.Options(10, 0, 5, List.of(Mode.STUB), Level.INFO, FIXTURES))
        .hasMessageContaining("--threads");
    assertThatThrownBy(
            () -> new WebhookBenchmark.Options(10, 2, 5, List.of(), Level.INFO, FIXTURES))
        .hasMessageContaining("--modes");
    assertThatThrownBy(() -> Mode.parse("lambda")).hasMessageContaining("--modes");
    assertThatThrownBy(
            () ->
                new WebhookBenchmark(
                    new WebhookBenchmark.Options(
                        10, 2, 5, List.of(Mode.STUB), Level.INFO, Path.of("no-such-dir"))))
        .hasMessageContaining("--fixtures");
  }
}
