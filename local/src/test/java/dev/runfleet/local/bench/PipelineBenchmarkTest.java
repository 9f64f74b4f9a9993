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
    assertThat(console.toString()).contains("warm-up round 1: 40 jobs, ");
    assertThat(report.warmupJobs()).isEqualTo(40);
    assertThat(report.warmupCpuMillisPerJob()).hasSize(1);
    assertThat(report.warmupSettled()).as("one round, then the limit").isFalse();
    assertThat(report.jobs()).isEqualTo(40);
    assertThat(report.runnable()).isBetween(1, 39);
    // The producer writes once per webhook, and GitHub sends each job three or four (queued, in
    // progress, completed, sometimes waiting): counted over both rounds, it would be twice that.
    assertThat(report.callsPerJob().byStage().get("producer").total()).isBetween(2.5, 4.5);
    assertThat(report.cpuMillisPerJob()).isPositive();
    assertThat(report.queuedToCompletedP50Ms()).isPositive();
  }

  @Test
  void warmUp_playsRoundsUntilOneCostsAboutWhatTheOneBeforeItDid() {
    PipelineBenchmark.WarmUp warmUp = new PipelineBenchmark.WarmUp(10_000, 2_000);

    assertThat(warmUp.next(0)).isEqualTo(2_000);
    warmUp.played(2_000, millis(2_000 * 44));
    assertThat(warmUp.next(2_000)).as("one round compares with nothing").isEqualTo(2_000);
    warmUp.played(2_000, millis(2_000 * 30));
    assertThat(warmUp.next(4_000)).as("32 %% cheaper: still compiling").isEqualTo(2_000);
    warmUp.played(2_000, millis(2_000 * 27.5));
    assertThat(warmUp.next(6_000)).as("8 %% cheaper: still compiling").isEqualTo(2_000);
    warmUp.played(2_000, millis(2_000 * 26.5));
    assertThat(warmUp.next(8_000)).as("4 %% cheaper: settled").isZero();
    assertThat(warmUp.settled()).isTrue();
    assertThat(warmUp.cpuMillisPerJob()).containsExactly(44.0, 30.0, 27.5, 26.5);
  }

  @Test
  void warmUp_endsAtItsLimit_withTheLastRoundCut() {
    PipelineBenchmark.WarmUp warmUp = new PipelineBenchmark.WarmUp(5_000, 2_000);

    warmUp.played(2_000, millis(2_000 * 40));
    warmUp.played(2_000, millis(2_000 * 30));
    assertThat(warmUp.next(4_000)).isEqualTo(1_000);
    warmUp.played(1_000, millis(1_000 * 20));
    assertThat(warmUp.next(5_000)).isZero();
    assertThat(warmUp.settled()).isFalse();
  }

  @Test
  void warmUp_ofNoJobs_playsNone() {
    assertThat(new PipelineBenchmark.WarmUp(0, 2_000).next(0)).isZero();
  }

  @Test
  void warmUp_aRoundDearerThanTheOneBefore_isSettled() {
    PipelineBenchmark.WarmUp warmUp = new PipelineBenchmark.WarmUp(10_000, 2_000);

    warmUp.played(2_000, millis(2_000 * 17));
    warmUp.played(2_000, millis(2_000 * 19));

    assertThat(warmUp.next(4_000)).isZero();
  }

  private static long millis(double ms) {
    return Math.round(ms * 1_000_000);
  }
}
