package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code bench pipeline}, small: the warm-up round is played and judged, but not measured. */
class PipelineBenchmarkTest {

  @Test
  void warmUpRound_isJudged_butLeftOutOfTheMeasuredRound() {
    PipelineBenchmark.Options options =
        new PipelineBenchmark.Options(40, "1000/10000", Duration.ofMinutes(2), 42, null, 40);
    StringWriter console = new StringWriter();

    PipelineBenchmark.Report report =
        new PipelineBenchmark(options)
            .run(UUID.randomUUID().toString(), new PrintWriter(console, true));

    assertThat(report.passed()).as("%s%n%s", report.failures(), console).isTrue();
    assertThat(console.toString()).contains("warm-up: 40 jobs first, not measured");
    assertThat(report.warmupJobs()).isEqualTo(40);
    assertThat(report.jobs()).isEqualTo(40);
    assertThat(report.runnable()).isBetween(1, 39);
    // The producer writes once per webhook, and GitHub sends each job three or four (queued, in
    // progress, completed, sometimes waiting): counted over both rounds, it would be twice that.
    assertThat(report.callsPerJob().byStage().get("producer").total()).isBetween(2.5, 4.5);
    assertThat(report.cpuMillisPerJob()).isPositive();
    assertThat(report.queuedToCompletedP50Ms()).isPositive();
  }
}
