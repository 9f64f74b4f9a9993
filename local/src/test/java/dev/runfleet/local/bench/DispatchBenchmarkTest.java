package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark end to end at tiny sizes: it runs and its last line is the report. */
class DispatchBenchmarkTest {

  @Test
  void run_atTinySizes_endsWithTheReportAsOneJsonLine() throws Exception {
    DispatchBenchmark.Options options =
        new DispatchBenchmark.Options(10, 200, 20, 5, 10, new LaunchRate(50, 1), 2, 30, 2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    DispatchBenchmark.print(new DispatchBenchmark(options).run(out), out);

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(report.path("backlogCostRatio").asDouble()).isPositive();
    assertThat(report.path("configuredRate").asDouble()).isEqualTo(50.0);
    assertThat(report.path("achievedRate").asDouble()).isPositive();
    assertThat(report.path("peakRate").asInt()).isBetween(1, 50 + 1);
    assertThat(report.path("small").path("backlog").asInt()).isEqualTo(10);
    assertThat(report.path("large").path("backlog").asInt()).isEqualTo(200);
    assertThat(report.path("small").path("jobs").asInt()).isEqualTo(20);
    assertThat(report.path("large").path("msPerJob").asDouble()).isPositive();
    // One query and the counters per pass, one transaction per job: nothing scales with the
    // backlog.
    assertThat(report.path("large").path("callsPerJob").asDouble())
        .isEqualTo(report.path("small").path("callsPerJob").asDouble());
    assertThat(
            report
                .path("large")
                .path("callsPerJobByOperation")
                .path("TransactWriteItems")
                .asDouble())
        .isEqualTo(1.0);
    assertThat(report.path("jobsMeasured").asInt()).isEqualTo(20);
    assertThat(report.path("publishers").asInt()).isEqualTo(2);
    assertThat(report.path("rate").path("reserved").asInt()).isEqualTo(30);
    assertThat(report.path("elapsedSeconds").asDouble()).isPositive();
  }
}
