package dev.runfleet.orchestrators.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners.JobLookup;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.common.port.HostLookup;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each recovery path of the reconciler against the DynamoDB emulator, with a scripted GitHub and
 * scripted hosts; the commands it sends are recorded (the orchestrators and the publisher carry
 * them out as on the happy path, and are tested there).
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class ReconcilerTest {

  private static final String FARGATE = Fleet.FARGATE;
  private static final String EC2 = "ec2-linux-x64";
  private static final ReconcileSettings SETTINGS = ReconcileSettings.defaults();

  private Fleet fleet;
  private final MutableClock clock = new MutableClock(Fleet.T0);
  private final Map<String, HostLookup.HostState> hostStates = new ConcurrentHashMap<>();
  private final List<RunnerCommand> sent = new ArrayList<>();
  private int hostLookups;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  private Reconciler reconciler(CallBudgets budgets) {
    HostLookup hosts =
        (platform, runner, hostId) -> {
          hostLookups++;
          return hostStates.getOrDefault(hostId, HostLookup.HostState.ALIVE);
        };
    return new Reconciler(
        new DynamoDbReconcileStore(fleet.client(), fleet.table()),
        fleet.store(),
        fleet.gitHub(),
        hosts,
        sent::add,
        PlatformCatalog.defaults(),
        SETTINGS,
        budgets,
        new Telemetry("reconciler-test"),
        clock,
        LostWebhooksTest.off());
  }

  private Reconciler reconciler() {
    return reconciler(CallBudgets.fixed(100, 100));
  }

  // ---- fixtures ----

  private Runner putRunner(
      String name, String platform, JobKey job, RunnerStatus status, String hostId, Long ghId) {
    Runner runner =
        new Runner(
            name,
            platform,
            job,
            Fleet.SCOPE,
            status,
            hostId,
            ghId,
            false,
            null,
            clock.instant(),
            clock.instant());
    fleet.client().putItem(b -> b.tableName(fleet.table()).item(JobsTable.runnerItem(runner)));
    return runner;
  }

  private Job putJob(long id, JobStatus status, String dispatchedRunner, int dispatchCount) {
    Job job =
        new Job(
            new JobKey(id, 1),
            77,
            Fleet.SCOPE.repository(),
            Fleet.SCOPE.organization(),
            Fleet.SCOPE.installationId(),
            Fleet.FARGATE_LABELS,
            FARGATE,
            status,
            null,
            clock.instant(),
            dispatchedRunner,
            null,
            dispatchCount,
            3,
            clock.instant());
    fleet.client().putItem(b -> b.tableName(fleet.table()).item(JobsTable.jobItem(job)));
    return job;
  }

  private Job job(long id) {
    return JobsTable.toJob(
        fleet
            .client()
            .getItem(
                b ->
                    b.tableName(fleet.table())
                        .key(JobsTable.jobKey(new JobKey(id, 1)))
                        .consistentRead(true))
            .item());
  }

  private List<RunnerCommand.TearDown> tearDowns() {
    return sent.stream()
        .filter(RunnerCommand.TearDown.class::isInstance)
        .map(RunnerCommand.TearDown.class::cast)
        .toList();
  }

  // ---- runners ----

  /** Issue 12's reproducer: SQS refused the spin-up, the runner stayed REQUESTED for ever. */
  @Test
  void requested_whenSpinUpLost_resendsItOnce_thenFailsTheRunner() {
    putRunner("rf-fargate-1-1-1", FARGATE, new JobKey(1, 1), RunnerStatus.REQUESTED, null, null);
    Reconciler reconciler = reconciler();

    assertThat(reconciler.pass().total()).isZero();
    clock.advance(SETTINGS.spinUpDeadline().plusSeconds(1));
    assertThat(reconciler.pass().repairs()).containsEntry("spin-up-resent", 1);
    assertThat(sent).hasSize(1);
    RunnerCommand.SpinUp again = (RunnerCommand.SpinUp) sent.get(0);
    assertThat(again.commandId()).isEqualTo("spin-up:rf-fargate-1-1-1");
    assertThat(again.job()).isEqualTo(new JobKey(1, 1));

    assertThat(reconciler.pass().total()).as("sent once per deadline").isZero();
    clock.advance(SETTINGS.spinUpDeadline().plusSeconds(1));
    assertThat(reconciler.pass().repairs()).containsEntry("spin-up-lost", 1);
    assertThat(fleet.runner("rf-fargate-1-1-1").status()).isEqualTo(RunnerStatus.FAILED);
    assertThat(sent).hasSize(1);
  }

  /** Issue 12's reproducer: the runner's host exited after running another job; nothing said so. */
  @Test
  void launched_whenHostGone_sendsTearDown_soItsSlotAndJobComeBack() {
    putRunner("rf-fargate-2-1-1", FARGATE, new JobKey(2, 1), RunnerStatus.LAUNCHED, "task-2", 11L);
    putJob(2, JobStatus.DISPATCHED, "rf-fargate-2-1-1", 1);
    hostStates.put("task-2", HostLookup.HostState.GONE);
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));
    fleet.gitHub().answerJob(2, new JobLookup.Found(2, "queued", null, null));

    Reconciler.PassReport report = reconciler().pass();

    assertThat(report.repairs()).containsEntry("host-gone", 1);
    assertThat(tearDowns())
        .extracting(RunnerCommand::runnerName)
        .containsExactly("rf-fargate-2-1-1");
    assertThat(job(2).status())
        .as("the job waits for its runner's end, which requeues it")
        .isEqualTo(JobStatus.DISPATCHED);
  }

  @Test
  void launched_whenHostAlive_andYoung_isLeftAlone() {
    putRunner("rf-fargate-3-1-1", FARGATE, new JobKey(3, 1), RunnerStatus.LAUNCHED, "task-3", 12L);
    clock.advance(Duration.ofSeconds(30));

    assertThat(reconciler().pass().total()).isZero();
    assertThat(sent).isEmpty();
    assertThat(hostLookups).as("nothing young is looked up").isZero();
  }

  @Test
  void launched_pastBootDeadline_notOnlineAtGitHub_isTornDown() {
    putRunner("rf-ec2-linux-x64-4-1-1", EC2, new JobKey(4, 1), RunnerStatus.LAUNCHED, "i-4", 14L);
    fleet
        .gitHub()
        .answerRunner(14, new RunnerLookup.Found(14, "rf-ec2-linux-x64-4-1-1", false, false));
    Reconciler reconciler = reconciler();

    clock.advance(SETTINGS.bootDeadlineFargate().plusSeconds(1));
    assertThat(reconciler.pass().repairs())
        .as("EC2's boot deadline is longer than Fargate's")
        .doesNotContainKey("boot-deadline");

    clock.advance(SETTINGS.bootDeadlineEc2());
    assertThat(reconciler.pass().repairs()).containsEntry("boot-deadline", 1);
    assertThat(tearDowns())
        .extracting(RunnerCommand::runnerName)
        .containsExactly("rf-ec2-linux-x64-4-1-1");
  }

  @Test
  void launched_pastBootDeadline_onlineAtGitHub_isKept() {
    putRunner("rf-fargate-5-1-1", FARGATE, new JobKey(5, 1), RunnerStatus.LAUNCHED, "task-5", 15L);
    fleet.gitHub().answerRunner(15, new RunnerLookup.Found(15, "rf-fargate-5-1-1", true, false));
    clock.advance(SETTINGS.bootDeadlineFargate().plusSeconds(1));

    assertThat(reconciler().pass().total()).isZero();
    assertThat(sent).isEmpty();
  }

  @Test
  void busy_pastMaxLifetime_keptWhileGitHubSaysBusy_untilItsGraceEnds() {
    putRunner("rf-fargate-6-1-1", FARGATE, new JobKey(6, 1), RunnerStatus.BUSY, "task-6", 16L);
    fleet.gitHub().answerRunner(16, new RunnerLookup.Found(16, "rf-fargate-6-1-1", true, true));
    Reconciler reconciler = reconciler();

    clock.advance(SETTINGS.maxLifetime().plusSeconds(1));
    assertThat(reconciler.pass().total()).isZero();
    assertThat(sent).isEmpty();

    clock.advance(SETTINGS.busyGrace());
    assertThat(reconciler.pass().repairs()).containsEntry("max-lifetime", 1);
    assertThat(tearDowns())
        .extracting(RunnerCommand::runnerName)
        .containsExactly("rf-fargate-6-1-1");
  }

  @Test
  void busy_pastMaxLifetime_notBusyAtGitHub_isTornDown() {
    putRunner("rf-fargate-7-1-1", FARGATE, new JobKey(7, 1), RunnerStatus.BUSY, "task-7", 17L);
    fleet.gitHub().answerRunner(17, new RunnerLookup.Found(17, "rf-fargate-7-1-1", true, false));
    clock.advance(SETTINGS.maxLifetime().plusSeconds(1));

    assertThat(reconciler().pass().repairs()).containsEntry("max-lifetime", 1);
  }

  // ---- jobs ----

  @Test
  void job_completedAtGitHub_isRecordedCompleted() {
    putJob(8, JobStatus.DISPATCHED, "rf-fargate-8-1-1", 1);
    putRunner("rf-fargate-8-1-1", FARGATE, new JobKey(8, 1), RunnerStatus.REQUESTED, null, null);
    fleet.gitHub().answerJob(8, new JobLookup.Found(8, "completed", "cancelled", null));
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    assertThat(reconciler().pass().repairs()).containsEntry("job-completed", 1);
    Job after = job(8);
    assertThat(after.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(after.version()).isEqualTo(4);
  }

  /** A steal whose in_progress was lost: recorded, so the publisher pairs the runners. */
  @Test
  void job_runningOnAnotherRunner_isRecordedWithThatRunner() {
    putJob(9, JobStatus.DISPATCHED, "rf-fargate-9-1-1", 1);
    putRunner("rf-fargate-9-1-1", FARGATE, new JobKey(9, 1), RunnerStatus.LAUNCHED, "task-9", 19L);
    fleet.gitHub().answerJob(9, new JobLookup.Found(9, "in_progress", null, "rf-fargate-10-1-1"));
    fleet.gitHub().answerRunner(19, new RunnerLookup.Found(19, "rf-fargate-9-1-1", true, false));
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    assertThat(reconciler().pass().repairs()).containsEntry("job-started", 1);
    Job after = job(9);
    assertThat(after.status()).isEqualTo(JobStatus.IN_PROGRESS);
    assertThat(after.ranOn()).isEqualTo("rf-fargate-10-1-1");
  }

  @Test
  void job_dispatchedOnEndedRunner_stillQueuedAtGitHub_isQueuedAgain() {
    putJob(11, JobStatus.DISPATCHED, "rf-fargate-11-1-1", 1);
    putRunner("rf-fargate-11-1-1", FARGATE, new JobKey(11, 1), RunnerStatus.STOPPED, null, null);
    fleet.gitHub().answerJob(11, new JobLookup.Found(11, "queued", null, null));
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    assertThat(reconciler().pass().repairs()).containsEntry("job-requeued", 1);
    Job after = job(11);
    assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(after.dispatchedRunner()).isNull();
  }

  @Test
  void job_dispatchedTooOften_neverStarted_isGivenUpWithItsReason() {
    putJob(12, JobStatus.DISPATCHED, "rf-fargate-12-1-3", SETTINGS.maxDispatches());
    putRunner("rf-fargate-12-1-3", FARGATE, new JobKey(12, 1), RunnerStatus.FAILED, null, null);
    fleet.gitHub().answerJob(12, new JobLookup.Found(12, "queued", null, null));
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    assertThat(reconciler().pass().repairs()).containsEntry("job-given-up", 1);
    Job after = job(12);
    assertThat(after.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(after.ignoredReason()).isEqualTo(IgnoredReason.DISPATCH_LIMIT);
  }

  @Test
  void job_queuedAtGitHub_withLiveRunner_isLeftAlone() {
    putJob(13, JobStatus.DISPATCHED, "rf-fargate-13-1-1", 1);
    putRunner("rf-fargate-13-1-1", FARGATE, new JobKey(13, 1), RunnerStatus.REQUESTED, null, null);
    fleet.gitHub().answerJob(13, new JobLookup.Found(13, "queued", null, null));
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    Reconciler.PassReport report = reconciler().pass();

    assertThat(report.repairs()).doesNotContainKeys("job-requeued", "job-given-up");
    assertThat(job(13).status()).isEqualTo(JobStatus.DISPATCHED);
  }

  // ---- budget ----

  @Test
  void pass_spendsNoMoreGitHubCallsThanItsBudget_andDefersTheRest() {
    for (long id = 20; id < 25; id++) {
      putJob(id, JobStatus.QUEUED, null, 0);
      fleet.gitHub().answerJob(id, new JobLookup.Found(id, "completed", "success", null));
    }
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    Reconciler.PassReport first = reconciler(CallBudgets.fixed(2, 0)).pass();

    assertThat(fleet.gitHub().lookups()).isEqualTo(2);
    assertThat(first.gitHubCalls()).isEqualTo(2);
    assertThat(first.deferred()).isEqualTo(3);
    assertThat(first.repairs()).containsEntry("job-completed", 2);
    Reconciler.PassReport second = reconciler(CallBudgets.fixed(10, 0)).pass();
    assertThat(second.repairs()).containsEntry("job-completed", 3);
  }

  @Test
  void pass_withNoAwsBudget_looksUpNoHost() {
    putRunner(
        "rf-fargate-30-1-1", FARGATE, new JobKey(30, 1), RunnerStatus.LAUNCHED, "task-30", 30L);
    hostStates.put("task-30", HostLookup.HostState.GONE);
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    Reconciler.PassReport report = reconciler(CallBudgets.fixed(0, 0)).pass();

    assertThat(hostLookups).isZero();
    assertThat(report.deferred()).isEqualTo(1);
    assertThat(sent).isEmpty();
  }
}
