package dev.runfleet.it;

import static dev.runfleet.it.support.Fleets.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.it.support.Fleets;
import dev.runfleet.it.support.GitHubWebhooks;
import dev.runfleet.it.support.GitHubWebhooks.Reply;
import dev.runfleet.it.support.Jobs;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.sim.SimJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GitHub delivers at least once, and an operator may redeliver: however many copies of a job's
 * {@code queued} arrive, one runner is requested for it (peers launched one per copy).
 */
class DuplicateDeliveryTest {

  private static LocalRuntime runtime;
  private static GitHubWebhooks gitHub;

  @BeforeAll
  static void start() {
    String secret = Fleets.newSecret();
    // Caps far above the one job: a second runner would not be held back by a cap.
    runtime = Fleets.start(secret, Map.of(), 30);
    gitHub = new GitHubWebhooks(runtime.baseUri(), secret);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void queuedRedeliveredAndResent_requestsExactlyOneRunner_andTheJobCompletes() {
    SimJob job = Jobs.job(Jobs.nextId(), Jobs.FARGATE, Duration.ofMillis(200));
    JobKey key = new JobKey(job.jobId(), job.runAttempt());
    byte[] queued = Jobs.queued(job);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    // GitHub queues the job and announces it; our copies race with its delivery.
    Instant queuedAt = Instant.now();
    runtime.gitHub().queue(job);
    Reply first = gitHub.deliver("workflow_job", deliveryId, queued);
    Reply redelivered = gitHub.deliver("workflow_job", deliveryId, queued);
    Reply resent = gitHub.deliver("workflow_job", queued);
    List<CompletableFuture<Reply>> concurrent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      concurrent.add(CompletableFuture.supplyAsync(() -> gitHub.deliver("workflow_job", queued)));
    }

    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(redelivered.status()).as("%s", redelivered).isEqualTo(200);
    assertThat(redelivered.result()).as("%s", redelivered).isEqualTo("duplicate");
    assertThat(resent.status()).as("%s", resent).isEqualTo(200);
    assertThat(resent.result()).as("%s", resent).isEqualTo("duplicate");
    for (CompletableFuture<Reply> copy : concurrent) {
      assertThat(copy.join().status()).isEqualTo(200);
      assertThat(copy.join().result()).isEqualTo("duplicate");
    }

    within(Fleets.PIPELINE)
        .untilAsserted(
            () ->
                assertThat(Fleets.job(runtime, key))
                    .get()
                    .extracting(Job::status)
                    .isEqualTo(JobStatus.COMPLETED));
    within(Fleets.PIPELINE).until(() -> Fleets.drained(runtime));

    List<Runner> runners = Fleets.runnersRequestedFor(runtime, key);
    assertThat(runners).as("runners requested for %s", key).hasSize(1);
    assertThat(runners.get(0).status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(runtime.runners()).as("every runner of the runtime").hasSize(1);
    assertThat(Fleets.job(runtime, key)).get().extracting(Job::dispatchCount).isEqualTo(1);
    assertThat(runtime.hosts().launched()).containsEntry("fargate", 1);
    assertThat(runtime.gitHub().conclusions()).containsEntry(job.jobId(), "success");
    // bench pipeline's concludedSeconds ends here.
    assertThat(runtime.gitHub().lastConclusion())
        .hasValueSatisfying(at -> assertThat(at).isBetween(queuedAt, Instant.now()));
  }
}
