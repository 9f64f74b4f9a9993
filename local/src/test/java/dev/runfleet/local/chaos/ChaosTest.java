package dev.runfleet.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.local.runtime.LocalRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosTest {

  private static final String SECRET = "chaos-test-secret";

  @Test
  void chaos_withEveryFaultAtOnce_losesNothingBreachesNoCapAndLeaksNothing() {
    StringWriter out = new StringWriter();
    ChaosRun.Options options =
        ChaosRun.Options.defaults().withJobs(40).withSeed(7).withTimeout(Duration.ofMinutes(3));

    ChaosVerdict.Report report = new ChaosRun(options).run(SECRET, new PrintWriter(out));

    assertThat(report.findings()).as(out.toString()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.completed()).isEqualTo(40);
    // The commonest kinds, each expected many times in 40 jobs (rarer ones may not come up).
    assertThat(report.faults())
        .as("faults really happened")
        .hasEntrySatisfying(AwsFaults.CRASH_AFTER_WRITE, n -> assertThat(n).isPositive())
        .hasEntrySatisfying("duplicate", n -> assertThat(n).isPositive())
        .hasEntrySatisfying("error", n -> assertThat(n).isPositive())
        .hasEntrySatisfying("launch-failure", n -> assertThat(n).isPositive());
  }

  @Test
  void verdict_whenAHostIsLeftAlive_failsAndCountsIt() {
    ChaosRun run = new ChaosRun(ChaosRun.Options.defaults().withJobs(1));
    try (LocalRuntime runtime = LocalRuntime.start(run.runtimeOptions(SECRET))) {
      // A host nobody recorded: the fleet never knew it, so nothing will stop it.
      runtime
          .hosts()
          .launch(
              new RunnerLauncher.LaunchRequest(
                  "rf-fargate-1-1-1",
                  "fargate",
                  List.of("self-hosted", "fargate"),
                  "no-such-secret",
                  "attempt-1",
                  false));

      ChaosVerdict.Report report =
          ChaosVerdict.judge(
              ChaosVerdict.Observed.of(runtime, Map.of()), Map.of(), Duration.ofSeconds(1));

      assertThat(report.leakedHosts()).isEqualTo(1);
      assertThat(report.passed()).isFalse();
      assertThat(report.findings()).contains("1 hosts still up");
    }
  }

  @Test
  void verdict_whenAJobNeverCompletedAtGitHub_countsItLost() {
    ChaosVerdict.Observed seen =
        new ChaosVerdict.Observed(
            java.util.Set.of(1L, 2L),
            Map.of(1L, "success"),
            Map.of(1L, Duration.ofSeconds(3)),
            Map.of(1L, Instant.EPOCH, 2L, Instant.EPOCH),
            Instant.EPOCH.plusSeconds(42),
            Map.of("fargate", 2, "global", 2),
            Map.of("fargate", 3, "global", 3),
            List.of(),
            0,
            0,
            0);

    ChaosVerdict.Report report = ChaosVerdict.judge(seen, Map.of(), Duration.ofSeconds(1));

    assertThat(report.lost()).isEqualTo(1);
    assertThat(report.capBreaches()).isEqualTo(2);
    assertThat(report.maxStuckSeconds()).as("job 2 waited from queued to the end").isEqualTo(42);
    assertThat(report.passed()).isFalse();
  }
}
