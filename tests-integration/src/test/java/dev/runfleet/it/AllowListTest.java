package dev.runfleet.it;

import static dev.runfleet.it.support.Fleets.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.it.support.Fleets;
import dev.runfleet.it.support.GitHubWebhooks;
import dev.runfleet.it.support.Jobs;
import dev.runfleet.local.cli.RunfleetCli;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.sim.SimJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The allow-list end to end: the operator's CLI writes the parameter into the local runtime's
 * parameter store, the producer refuses jobs from elsewhere (recorded, never dispatched), and
 * clearing the list lets them in again.
 */
class AllowListTest {

  private static LocalRuntime runtime;
  private static GitHubWebhooks gitHub;

  @BeforeAll
  static void start() {
    String secret = Fleets.newSecret();
    runtime = Fleets.start(secret, Map.of(), 30);
    gitHub = new GitHubWebhooks(runtime.baseUri(), secret);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private static int cli(String... args) {
    String[] withEndpoint = new String[args.length + 2];
    System.arraycopy(args, 0, withEndpoint, 0, args.length);
    withEndpoint[args.length] = "--endpoint";
    withEndpoint[args.length + 1] = runtime.baseUri().toString();
    return new CommandLine(new RunfleetCli()).execute(withEndpoint);
  }

  private static SimJob job(String owner, List<String> labels) {
    long id = Jobs.nextId();
    return new SimJob(
        id, id, 1, labels, owner + "/tools", owner, 77, Duration.ofMillis(100), Instant.now());
  }

  private static JobKey key(SimJob job) {
    return new JobKey(job.jobId(), job.runAttempt());
  }

  @Test
  void allowList_whenSetToOneOwner_ignoresOtherOwnersJobs_untilCleared() {
    // Set before any workflow_job reaches the producer, whose first read then sees it.
    assertThat(cli("allow", "set", "Acme-Org")).isZero();
    assertThat(cli("allow", "set", "acme-org/too/deep")).isEqualTo(2);
    assertThat(cli("allow", "get")).isZero();
    SimJob allowed = job("acme-org", Jobs.FARGATE);
    // Labels no other job here has: the simulated GitHub could hand it to no runner of theirs.
    SimJob refused = job("intruder", Jobs.EC2_ARM64);

    runtime.gitHub().queue(refused);
    runtime.gitHub().queue(allowed);

    within(Fleets.PIPELINE)
        .untilAsserted(
            () ->
                assertThat(Fleets.job(runtime, key(allowed)))
                    .get()
                    .extracting(Job::status)
                    .isEqualTo(JobStatus.COMPLETED));
    assertThat(Fleets.job(runtime, key(refused)))
        .get()
        .satisfies(
            job -> {
              assertThat(job.status()).isEqualTo(JobStatus.IGNORED);
              assertThat(job.ignoredReason()).isEqualTo(IgnoredReason.NOT_ALLOWED);
              assertThat(job.dispatchCount()).isZero();
            });
    assertThat(Fleets.runnersInvolving(runtime, key(refused))).isEmpty();
    assertThat(runtime.hosts().launched()).doesNotContainKey("ec2-linux-arm64");

    assertThat(cli("allow", "clear")).isZero();
    // The producer may use the list it read for one cache period more: probe with deliveries of
    // throwaway jobs that wait for an approval (never dispatched) until one is admitted.
    within(Fleets.PIPELINE)
        .until(
            () ->
                gitHub
                        .deliver("workflow_job", Jobs.queuedWaiting(job("intruder", Jobs.EC2_X64)))
                        .status()
                    == 200);
    SimJob next = job("intruder", Jobs.EC2_X64);
    runtime.gitHub().queue(next);

    within(Fleets.PIPELINE)
        .untilAsserted(
            () ->
                assertThat(Fleets.job(runtime, key(next)))
                    .get()
                    .extracting(Job::status)
                    .isEqualTo(JobStatus.COMPLETED));
    assertThat(runtime.hosts().launched()).containsEntry("ec2-linux-x64", 1);
  }
}
