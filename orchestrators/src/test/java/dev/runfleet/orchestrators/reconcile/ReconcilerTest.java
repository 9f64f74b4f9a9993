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
import dev.runfleet.common.port.Listing;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final Set<String> failingHosts = ConcurrentHashMap.newKeySet();
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
          if (failingHosts.contains(hostId)) {
            throw new IllegalStateException("host lookup of " + hostId + " failed");
          }
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
        LostWebhooksTest.off(),
        // These tests are about one pass's own repairs: the orphan sweep is off (OrphanSweepTest).
        orphansOff(fleet));
  }

  /** The orphan sweep turned off (it never falls due): for tests of the pass's other steps. */
  static OrphanSweep orphansOff(Fleet fleet) {
    return new OrphanSweep(
        fleet.store(),
        new DynamoDbReconcileStore(fleet.client(), fleet.table()),
        fleet.gitHub(),
        pages -> new Listing<>(List.of(), true),
        fleet.handOff(),
        command -> {},
        PlatformCatalog.defaults(),
        new OrphanSettings(Duration.ZERO, Duration.ZERO),
        new Telemetry("reconciler-test"));
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
    return putJob(id, status, dispatchedRunner, null, dispatchCount);
  }

  private Job putJob(
      long id, JobStatus status, String dispatchedRunner, String ranOn, int dispatchCount) {
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
            ranOn,
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

  /** A spin-up carries its job: a REQUESTED runner without one cannot be sent again. */
  @Test
  void requested_withoutAJob_isNotSentAgain() {
    putRunner("rf-fargate-47-1-1", FARGATE, null, RunnerStatus.REQUESTED, null, null);
    clock.advance(SETTINGS.spinUpDeadline().plusSeconds(1));

    assertThat(reconciler().pass().total()).isZero();
    assertThat(sent).isEmpty();
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

  /**
   * The race a healthy 2,000-job pipeline run lost about 100 times: the runner ran its own job and
   * its host exited, as a JIT runner's does, while the job's {@code in_progress} and {@code
   * completed} webhooks still queued behind the burst's. A tear-down then made the publisher queue
   * the finished job again (its runner had ended LAUNCHED) and launch it a second runner, which
   * found no work and waited out its idle timeout. The runner's and the job's checks share one
   * GitHub lookup: the job is recorded as GitHub sees it, and its completion frees the runner.
   */
  @Test
  void launched_whenHostEndedAfterRunningItsJob_andItsWebhooksAreLate_isNotTornDown() {
    putRunner(
        "rf-fargate-20-1-1", FARGATE, new JobKey(20, 1), RunnerStatus.LAUNCHED, "task-20", 30L);
    putJob(20, JobStatus.DISPATCHED, "rf-fargate-20-1-1", 1);
    hostStates.put("task-20", HostLookup.HostState.GONE);
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));
    fleet
        .gitHub()
        .answerJob(20, new JobLookup.Found(20, "completed", "success", "rf-fargate-20-1-1"));

    Reconciler.PassReport report = reconciler().pass();

    assertThat(report.repairs()).doesNotContainKey("host-gone");
    assertThat(tearDowns()).as("no tear-down: the job's completion ends its runner").isEmpty();
    assertThat(job(20).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job(20).ranOn()).isEqualTo("rf-fargate-20-1-1");
    assertThat(fleet.gitHub().lookups()).as("one lookup for the runner and its job").isEqualTo(1);
  }

  /**
   * Its job taken by another runner: this one ran something else or died; the job settles first.
   */
  @Test
  void launched_whenHostGone_andItsJobRunsOnAnotherRunner_waitsForTheJobToSettle() {
    putRunner(
        "rf-fargate-21-1-1", FARGATE, new JobKey(21, 1), RunnerStatus.LAUNCHED, "task-21", 31L);
    hostStates.put("task-21", HostLookup.HostState.GONE);
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));
    fleet.gitHub().answerJob(21, new JobLookup.Found(21, "in_progress", null, "rf-fargate-99-1-1"));

    assertThat(reconciler().pass().repairs()).doesNotContainKey("host-gone");
    assertThat(tearDowns()).isEmpty();
  }

  /** GitHub says its job runs on it, yet its host is gone: it died under the job. */
  @Test
  void busy_whenHostGone_underItsRunningJob_isTornDown() {
    putRunner("rf-fargate-22-1-1", FARGATE, new JobKey(22, 1), RunnerStatus.BUSY, "task-22", 32L);
    hostStates.put("task-22", HostLookup.HostState.GONE);
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));
    fleet.gitHub().answerJob(22, new JobLookup.Found(22, "in_progress", null, "rf-fargate-22-1-1"));

    assertThat(reconciler().pass().repairs()).containsEntry("host-gone", 1);
    assertThat(tearDowns())
        .extracting(RunnerCommand::runnerName)
        .containsExactly("rf-fargate-22-1-1");
  }

  /**
   * One runner's check throws: that runner waits for the next pass, and the runners and jobs after
   * it in the same pass are still repaired.
   */
  @Test
  void pass_whenOneCheckFails_repairsTheOthers_andReportsTheFailure() {
    putRunner("rf-fargate-4-1-1", FARGATE, new JobKey(4, 1), RunnerStatus.LAUNCHED, "task-4", 14L);
    putRunner("rf-fargate-5-1-1", FARGATE, new JobKey(5, 1), RunnerStatus.LAUNCHED, "task-5", 15L);
    putJob(6, JobStatus.DISPATCHED, "rf-fargate-gone-6", 1);
    failingHosts.add("task-4");
    hostStates.put("task-5", HostLookup.HostState.GONE);
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));
    fleet.gitHub().answerJob(6, new JobLookup.Found(6, "completed", "success", null));

    Reconciler.PassReport report = reconciler().pass();

    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.repairs()).containsEntry("host-gone", 1).containsEntry("job-completed", 1);
    assertThat(tearDowns())
        .extracting(RunnerCommand::runnerName)
        .containsExactly("rf-fargate-5-1-1");
    assertThat(job(6).status()).isEqualTo(JobStatus.COMPLETED);

    failingHosts.clear();
    hostStates.put("task-4", HostLookup.HostState.GONE);
    Reconciler.PassReport next = reconciler().pass();
    assertThat(next.failed()).isZero();
    assertThat(tearDowns()).extracting(RunnerCommand::runnerName).contains("rf-fargate-4-1-1");
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
  void launched_neverOnline_butPairedWithJobAfterJob_isStillTornDownPastItsBootDeadline() {
    Runner runner =
        putRunner("rf-fargate-9-1-1", FARGATE, new JobKey(9, 1), RunnerStatus.LAUNCHED, "t-9", 19L);
    fleet.gitHub().answerRunner(19, new RunnerLookup.Found(19, "rf-fargate-9-1-1", false, false));
    clock.advance(
        SETTINGS
            .spinUpDeadline()
            .multipliedBy(3)
            .plus(SETTINGS.bootDeadlineFargate())
            .plusSeconds(1));
    // The publisher just paired it with the next queued job (its last one ran on another runner):
    // its last change is young, its launch is not.
    Runner repaired =
        new Runner(
            runner.name(),
            runner.platform(),
            new JobKey(10, 1),
            runner.scope(),
            runner.status(),
            runner.hostId(),
            runner.githubRunnerId(),
            false,
            null,
            runner.createdAt(),
            clock.instant());
    fleet.client().putItem(b -> b.tableName(fleet.table()).item(JobsTable.runnerItem(repaired)));

    assertThat(reconciler().pass().repairs()).containsEntry("boot-deadline", 1);
    assertThat(tearDowns()).extracting(RunnerCommand::runnerName).containsExactly(runner.name());
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

  /**
   * A runner with no job of ours that GitHub says is busy (a job not ours, or ours with its
   * in_progress lost) is kept through its grace; past it, the tear-down is forced, because the
   * orchestrator otherwise keeps a runner GitHub says is busy.
   */
  @Test
  void launched_pastMaxLifetimeAndGrace_busyWithAForeignJob_isForcedToStop() {
    putRunner(
        "rf-fargate-40-1-1", FARGATE, new JobKey(40, 1), RunnerStatus.LAUNCHED, "task-40", 40L);
    fleet.gitHub().answerRunner(40, new RunnerLookup.Found(40, "rf-fargate-40-1-1", true, true));
    Reconciler reconciler = reconciler();

    clock.advance(SETTINGS.maxLifetime().plusSeconds(1));
    assertThat(reconciler.pass().total()).isZero();
    assertThat(sent).as("kept while GitHub says busy, within its grace").isEmpty();

    clock.advance(SETTINGS.busyGrace());
    assertThat(reconciler.pass().repairs()).containsEntry("max-lifetime", 1);
    assertThat(tearDowns())
        .singleElement()
        .satisfies(
            down -> {
              assertThat(down.runnerName()).isEqualTo("rf-fargate-40-1-1");
              assertThat(down.force()).as("forced past the grace").isTrue();
            });
  }

  @Test
  void launched_pastMaxLifetime_idleAtGitHub_isTornDownUnforced() {
    putRunner(
        "rf-fargate-41-1-1", FARGATE, new JobKey(41, 1), RunnerStatus.LAUNCHED, "task-41", 41L);
    fleet.gitHub().answerRunner(41, new RunnerLookup.Found(41, "rf-fargate-41-1-1", true, false));
    clock.advance(SETTINGS.maxLifetime().plusSeconds(1));

    assertThat(reconciler().pass().repairs()).containsEntry("max-lifetime", 1);
    assertThat(tearDowns())
        .singleElement()
        .satisfies(down -> assertThat(down.force()).as("GitHub still decides").isFalse());
  }

  /** A host lookup that failed (throttled, unauthorised) decides nothing: the next pass looks. */
  @Test
  void launched_whenItsHostCannotBeLookedUp_isLeftForTheNextPass() {
    putRunner(
        "rf-fargate-42-1-1", FARGATE, new JobKey(42, 1), RunnerStatus.LAUNCHED, "task-42", 42L);
    fleet.gitHub().answerRunner(42, new RunnerLookup.Found(42, "rf-fargate-42-1-1", false, false));
    hostStates.put("task-42", HostLookup.HostState.UNKNOWN);
    clock.advance(SETTINGS.bootDeadlineFargate().plusSeconds(1));
    Reconciler reconciler = reconciler();

    assertThat(reconciler.pass().total()).isZero();
    assertThat(sent).isEmpty();
    assertThat(fleet.gitHub().lookups()).isZero();

    hostStates.put("task-42", HostLookup.HostState.ALIVE);
    assertThat(reconciler.pass().repairs()).containsEntry("boot-deadline", 1);
  }

  /** GitHub's 5xx or rate limit is no evidence that a runner is offline or idle. */
  @Test
  void launched_pastBootDeadlineOrMaxLifetime_whenGitHubCannotAnswer_isLeftForTheNextPass() {
    putRunner(
        "rf-fargate-43-1-1", FARGATE, new JobKey(43, 1), RunnerStatus.LAUNCHED, "task-43", 43L);
    fleet.gitHub().answerRunner(43, new RunnerLookup.RetryLater("GitHub answered 502"));
    Reconciler reconciler = reconciler();

    clock.advance(SETTINGS.bootDeadlineFargate().plusSeconds(1));
    assertThat(reconciler.pass().total()).as("past the boot deadline").isZero();
    clock.advance(SETTINGS.maxLifetime());
    assertThat(reconciler.pass().total()).as("past the maximum lifetime").isZero();
    assertThat(sent).isEmpty();
    assertThat(fleet.gitHub().lookups()).isEqualTo(2);
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

  @Test
  void job_inProgressAndRecordedWithItsRunner_isLeftAlone() {
    putJob(44, JobStatus.IN_PROGRESS, "rf-fargate-44-1-1", "rf-fargate-44-1-1", 1);
    fleet.gitHub().answerJob(44, new JobLookup.Found(44, "in_progress", null, "rf-fargate-44-1-1"));
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    assertThat(reconciler().pass().total()).isZero();
    assertThat(job(44).version()).as("nothing rewritten").isEqualTo(3);
  }

  /**
   * Even one dispatched as often as allowed: a steal sends a job back to the queue without counting
   * a launch attempt, and a queued job is the publisher's to dispatch, not the reconciler's to give
   * up.
   */
  @Test
  void job_queuedHereAndAtGitHub_isLeftForThePublisher() {
    putJob(45, JobStatus.QUEUED, null, SETTINGS.maxDispatches());
    fleet.gitHub().answerJob(45, new JobLookup.Found(45, "queued", null, null));
    clock.advance(SETTINGS.jobStuckAfter().plusSeconds(1));

    assertThat(reconciler().pass().total()).isZero();
    assertThat(job(45).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job(45).version()).isEqualTo(3);
  }

  @Test
  void job_changedRecently_isNotLookedUpAtGitHub() {
    putJob(46, JobStatus.DISPATCHED, "rf-fargate-46-1-1", 1);
    fleet.gitHub().answerJob(46, new JobLookup.Found(46, "completed", "success", null));
    clock.advance(SETTINGS.jobStuckAfter().minusSeconds(1));

    assertThat(reconciler().pass().total()).isZero();
    assertThat(fleet.gitHub().lookups()).isZero();
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
