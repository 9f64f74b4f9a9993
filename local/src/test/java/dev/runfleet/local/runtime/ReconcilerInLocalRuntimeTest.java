package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.WebhookSender;
import dev.runfleet.local.sim.WorkflowJobPayloads;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's first reproducer, played through the whole local runtime: a runner whose host ended
 * after running a job whose {@code in_progress} was dropped as a duplicate keeps its slot and is
 * handed the next job, which then waits for a dead runner. The reconciler finds the host gone, the
 * runner's tear-down records it stopped, its slot comes back and the job is dispatched again.
 */
class ReconcilerInLocalRuntimeTest {

  private static final String SECRET = "reconciler-secret";
  private static final List<String> EC2_X64 = List.of("self-hosted", "ec2", "x64");
  private LocalRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private static SimJob job(long id) {
    return new SimJob(
        id, id, 1, EC2_X64, "octo/app", "octo", 1, Duration.ofSeconds(5), Instant.now());
  }

  private void post(WebhookSender sender, SimJob job, String action, String runner)
      throws Exception {
    String body =
        WorkflowJobPayloads.of(
            job, action, action, runner == null ? null : 424242L, runner, null, Instant.now());
    assertThat(sender.send("workflow_job", body)).isEqualTo(200);
  }

  private JobStatus status(long id) {
    return status(runtime, id);
  }

  /** The job's status in the fleet's table, null before the fleet heard of it. */
  static JobStatus status(LocalRuntime runtime, long id) {
    return runtime.jobs().stream()
        .filter(j -> j.key().jobId() == id)
        .map(Job::status)
        .findFirst()
        .orElse(null);
  }

  @Test
  void deadHostRunner_withAJobDispatchedToIt_isRepaired_andEveryJobCompletes() throws Exception {
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults(SECRET)
                .withPort(0)
                .withPlatforms(PlatformCatalog.defaults().withCaps(Map.of("ec2-linux-x64", 1)), 10)
                .withAdoptPostedJobs(true)
                .withReconcile(
                    new RuntimeOptions.Reconcile(
                        Duration.ofSeconds(1), null, Duration.ofHours(6))));
    WebhookSender sender = new WebhookSender(runtime.baseUri().resolve("/webhook"), SECRET);

    post(sender, job(9101), "queued", null);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(9101) == JobStatus.DISPATCHED);
    // The job starts on a runner not ours first: our runner's own in_progress is then a duplicate.
    post(sender, job(9101), "in_progress", "ext-runner-1");
    post(sender, job(9102), "queued", null);
    post(sender, job(9103), "queued", null);

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(List.of(status(9101), status(9102), status(9103)))
                  .containsOnly(JobStatus.COMPLETED);
              assertThat(runtime.inFlight("ec2-linux-x64")).isZero();
              assertThat(runtime.hosts().alive().getOrDefault("ec2-linux-x64", 0)).isZero();
            });
    assertThat(runtime.metrics()).isNotNull();
  }
}
