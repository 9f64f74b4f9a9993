package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.GitHubRunners.JitRequest;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.RunnerLauncher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The orphan sweep through the whole local runtime (reconciler passes every second, so it sweeps
 * every six seconds with six seconds' grace): a simulated host whose runner record was deleted is
 * stopped by its orchestrator, an offline registration without a record is deleted at the simulated
 * GitHub, and a hand-over secret nobody took is removed.
 */
class OrphansInLocalRuntimeTest {

  private static final String SECRET = "orphans-secret";
  private static final String EC2 = "ec2-linux-x64";
  private static final GitHubScope SCOPE = new GitHubScope("octo", "octo/app", 1L);
  private static final List<String> LABELS = List.of("self-hosted", "ec2", "x64", "orphan-test");

  private LocalRuntime runtime;

  @BeforeEach
  void start() {
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults(SECRET)
                .withPort(0)
                .withReconcile(
                    new RuntimeOptions.Reconcile(
                        Duration.ofSeconds(1), null, Duration.ofHours(6))));
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private JitConfig mint(String runner) {
    GitHubRunners.JitResult minted =
        runtime.gitHub().createJitConfig(new JitRequest(runner, LABELS, SCOPE));
    return ((GitHubRunners.JitResult.Minted) minted).config();
  }

  private String store(String platform, String runner, JitConfig config) {
    return ((JitHandOff.StoreResult.Stored) runtime.handOff().store(platform, runner, config))
        .reference();
  }

  private void putRecord(String name, RunnerStatus status) {
    Runner runner =
        new Runner(
            name,
            EC2,
            new JobKey(Math.abs(name.hashCode()), 1),
            SCOPE,
            status,
            null,
            null,
            true,
            "test",
            Instant.now(),
            Instant.now());
    runtime
        .dynamo()
        .putItem(b -> b.tableName(LocalRuntime.TABLE).item(JobsTable.runnerItem(runner)));
  }

  @Test
  void orphans_aHostWhoseRecordWasDeleted_anOfflineRegistration_andAStraySecret_areRemoved() {
    // A host that registered its runner and waits, idle, for a job; then its record goes.
    String hosted = "rf-ec2-linux-x64-7001-1-1";
    putRecord(hosted, RunnerStatus.STOPPED);
    String reference = store(EC2, hosted, mint(hosted));
    RunnerLauncher.LaunchOutcome launched =
        runtime
            .hosts()
            .launch(new RunnerLauncher.LaunchRequest(hosted, EC2, LABELS, reference, "attempt-1"));
    String hostId = ((RunnerLauncher.LaunchOutcome.Launched) launched).hostId();
    runtime.handOff().bindToHost(reference, hostId);
    await().atMost(Duration.ofSeconds(30)).until(() -> !runtime.handOff().holds(reference));
    runtime
        .dynamo()
        .deleteItem(b -> b.tableName(LocalRuntime.TABLE).key(JobsTable.runnerKey(hosted)));
    // A registration whose host never came, and a secret nobody took; the record above gave the
    // sweep the scope to list.
    String offline = "rf-ec2-linux-x64-7002-1-1";
    long offlineId = mint(offline).runnerId();
    String stray = store("fargate", "rf-fargate-7003-1-1", new JitConfig(7003, "eyJ4In0="));
    putRecord("rf-ec2-linux-x64-7004-1-1", RunnerStatus.STOPPED);
    assertThat(runtime.hosts().alive()).containsEntry(EC2, 1);

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(runtime.hosts().alive()).containsEntry(EC2, 0);
              assertThat(runtime.gitHub().runner(SCOPE, offlineId))
                  .isInstanceOf(RunnerLookup.NotFound.class);
              assertThat(runtime.handOff().holds(stray)).isFalse();
            });
  }
}
