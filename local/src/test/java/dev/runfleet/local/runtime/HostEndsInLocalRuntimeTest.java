package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.orchestrators.hostevents.HostEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated host that spot takes back or that dies reports its end as EventBridge would, and the
 * host-events handler records it in the running pipeline: the runner STOPPED, its slot given back
 * by the publisher, a job that had not started dispatched again, a running one re-run at the
 * simulated GitHub when the platform asks.
 */
class HostEndsInLocalRuntimeTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private LocalRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  /** Fargate, one runner at a time, re-running a job its interrupted runner was running. */
  static final Platform FARGATE_RERUN =
      new Platform(
          "fargate",
          Set.of("self-hosted", "linux", "x64", "fargate"),
          HostKind.ECS_FARGATE,
          "x64",
          1,
          true);

  private void start(Duration boot) {
    Platform fargate = FARGATE_RERUN;
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults("test-secret")
                .withPort(0)
                .withPlatforms(new PlatformCatalog(List.of(fargate)), 1)
                .withBoot(boot, boot, 0));
  }

  private void queue(long id, Duration runs) {
    runtime
        .gitHub()
        .queue(
            new SimJob(
                id,
                1,
                1,
                List.of("self-hosted", "fargate"),
                "octo/repo",
                "octo",
                1,
                runs,
                Instant.now()));
  }

  private Optional<Runner> runner(String name) {
    return runtime.runners().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  private Optional<Job> job(long id) {
    return runtime.jobs().stream().filter(j -> j.key().jobId() == id).findFirst();
  }

  @Test
  void spotInterruption_ofABusyRunner_givesTheSlotBack_andReRunsTheJob() {
    start(Duration.ofMillis(200));
    queue(9101, Duration.ofMinutes(10));
    String first = "rf-fargate-9101-1-1";
    await()
        .atMost(WAIT)
        .until(() -> runner(first).map(Runner::status).orElse(null) == RunnerStatus.BUSY);

    assertThat(runtime.hosts().interrupt(first)).isTrue();

    await().atMost(WAIT).until(() -> runner(first).map(Runner::slotReleased).orElse(false));
    assertThat(runner(first).orElseThrow().detail()).startsWith(HostEnd.SPOT_INTERRUPTED);
    await().atMost(WAIT).until(() -> runtime.gitHub().reruns() == 1);
    // The re-run is a new attempt, which takes the slot the interrupted runner gave back.
    await()
        .atMost(WAIT)
        .until(
            () ->
                runtime.runners().stream()
                    .anyMatch(
                        r -> r.name().startsWith("rf-fargate-8") && !r.status().isTerminal()));
  }

  @Test
  void killedHost_beforeItsJobStarted_givesTheSlotBack_andTheJobIsDispatchedAgain() {
    start(Duration.ofSeconds(30));
    queue(9102, Duration.ofSeconds(1));
    String first = "rf-fargate-9102-1-1";
    await()
        .atMost(WAIT)
        .until(() -> runner(first).map(Runner::status).orElse(null) == RunnerStatus.LAUNCHED);

    assertThat(runtime.hosts().kill(first)).isTrue();

    await().atMost(WAIT).until(() -> runner(first).map(Runner::slotReleased).orElse(false));
    await().atMost(WAIT).until(() -> runner("rf-fargate-9102-1-2").isPresent());
    assertThat(runner(first).orElseThrow().status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(job(9102).orElseThrow().status()).isIn(JobStatus.DISPATCHED, JobStatus.IN_PROGRESS);
  }
}
