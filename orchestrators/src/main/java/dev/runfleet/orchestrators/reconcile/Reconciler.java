package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.GitHubRunners.JobLookup;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.common.port.HostLookup;
import dev.runfleet.common.port.HostLookup.HostState;
import dev.runfleet.common.port.ReconcileStore;
import dev.runfleet.common.port.RunnerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconciler pass compares three truths — the jobs table, GitHub and the hosts — and repairs
 * each gap it finds, within a budget of GitHub and AWS calls. It never launches or stops anything
 * itself: it records what it learnt in the table (a job's state at GitHub, a runner failed), or
 * sends the command the orchestrators already carry out (a spin-up again, a tear-down), so every
 * repair goes through the same guarded steps as the happy path and is safe to repeat.
 *
 * <p>Runners, by status:
 *
 * <ul>
 *   <li>REQUESTED past the spin-up deadline: the spin-up is published again (same command id);
 *       still unlaunched one more deadline later, the runner fails and the publisher gives its slot
 *       back and queues its job again.
 *   <li>LAUNCHED or BUSY whose host is gone (task stopped, instance terminated): tear-down, which
 *       records it stopped; its slot comes back and a job that had not started is queued again.
 *   <li>LAUNCHED past the boot deadline of its host kind and not online at GitHub: tear-down.
 *   <li>Past the maximum lifetime: tear-down, unless GitHub says it is busy; a busy one gets {@code
 *       busyGrace} more, then is torn down anyway (a forced tear-down, which stops even a runner
 *       GitHub says is busy with a job not ours). Before that, a LAUNCHED runner's tear-down
 *       deregisters it first and keeps it if GitHub says it just took a job.
 * </ul>
 *
 * <p>Jobs QUEUED, DISPATCHED or IN_PROGRESS unchanged for {@code jobStuckAfter} are looked up at
 * GitHub: completed there, or running on some runner, is recorded as if the webhook had arrived
 * (the publisher then frees, pairs or steals runners as for a webhook); still queued while
 * DISPATCHED on a runner that ended, it is queued again, or given up ({@code dispatch-limit}) once
 * it was dispatched {@code maxDispatches} times.
 *
 * <p>Lost webhooks come first in a pass ({@link LostWebhooks}): a job whose {@code queued} webhook
 * was lost is in no table listing, so only its redelivery brings it in.
 *
 * <p>Then, every few minutes, the {@link OrphanSweep}: hosts, GitHub registrations and hand-over
 * secrets that no live runner record owns.
 */
@Singleton
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final ReconcileStore store;
  private final RunnerStore runners;
  private final GitHubRunners gitHub;
  private final HostLookup hosts;
  private final CommandBus bus;
  private final PlatformCatalog catalog;
  private final ReconcileSettings settings;
  private final CallBudgets budgets;
  private final Telemetry telemetry;
  private final Clock clock;
  private final LostWebhooks lostWebhooks;
  private final OrphanSweep orphans;

  @Inject
  public Reconciler(
      ReconcileStore store,
      RunnerStore runners,
      GitHubRunners gitHub,
      HostLookup hosts,
      CommandBus bus,
      PlatformCatalog catalog,
      ReconcileSettings settings,
      CallBudgets budgets,
      Telemetry telemetry,
      Clock clock,
      LostWebhooks lostWebhooks,
      OrphanSweep orphans) {
    this.store = store;
    this.runners = runners;
    this.gitHub = gitHub;
    this.hosts = hosts;
    this.bus = bus;
    this.catalog = catalog;
    this.settings = settings;
    this.budgets = budgets;
    this.telemetry = telemetry;
    this.clock = clock;
    this.lostWebhooks = lostWebhooks;
    this.orphans = orphans;
  }

  /**
   * What one pass did.
   *
   * @param repairs repairs made, by kind
   * @param gitHubCalls GitHub calls made
   * @param awsCalls AWS calls made (host lookups)
   * @param deferred checks left to the next pass because the budget was spent
   * @param failed checks that failed (a write or a lookup threw); each was logged with its runner
   *     or job, the pass went on with the others, and the next pass checks them again
   */
  public record PassReport(
      Map<String, Integer> repairs, int gitHubCalls, int awsCalls, int deferred, int failed) {
    public int total() {
      return repairs.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** The calls a pass may still make, and what it did. */
  private static final class Pass implements OrphanSweep.Calls {
    final Instant now;
    int gitHubLeft;
    int awsLeft;
    int gitHubCalls;
    int awsCalls;
    int deferred;
    int failed;
    final Map<String, Integer> repairs = new TreeMap<>();
    final Map<Long, JobLookup> jobsSeen = new HashMap<>();

    Pass(Instant now, int gitHub, int aws) {
      this.now = now;
      this.gitHubLeft = gitHub;
      this.awsLeft = aws;
    }

    @Override
    public boolean takeGitHub() {
      if (gitHubLeft <= 0) {
        deferred++;
        return false;
      }
      gitHubLeft--;
      gitHubCalls++;
      return true;
    }

    @Override
    public boolean takeAws() {
      if (awsLeft <= 0) {
        deferred++;
        return false;
      }
      awsLeft--;
      awsCalls++;
      return true;
    }
  }

  public PassReport pass() {
    Pass pass = new Pass(clock.instant(), budgets.gitHubCalls(), budgets.awsCalls());
    lostWebhooks.redeliver(pass.now, pass::takeGitHub, kind -> count(pass, kind));
    for (ReconcileStore.Listed listed :
        store.runners(RunnerStatus.REQUESTED, settings.pageSize())) {
      guarded(pass, "runner " + listed.runner().name(), () -> requested(listed, pass));
    }
    for (RunnerStatus status : new RunnerStatus[] {RunnerStatus.LAUNCHED, RunnerStatus.BUSY}) {
      for (ReconcileStore.Listed listed : store.runners(status, settings.pageSize())) {
        guarded(pass, "runner " + listed.runner().name(), () -> hosted(listed.runner(), pass));
      }
    }
    for (JobStatus status :
        new JobStatus[] {JobStatus.DISPATCHED, JobStatus.IN_PROGRESS, JobStatus.QUEUED}) {
      for (Job job : store.jobs(status, settings.pageSize())) {
        guarded(pass, "job " + job.key(), () -> job(job, pass));
      }
    }
    orphans
        .sweepIfDue(pass.now, pass)
        .forEach((kind, n) -> pass.repairs.merge(kind, n, Integer::sum));
    PassReport report =
        new PassReport(
            Map.copyOf(pass.repairs), pass.gitHubCalls, pass.awsCalls, pass.deferred, pass.failed);
    if (report.failed() > 0) {
      LOG.error(
          "reconciler pass: {} check(s) failed (logged above); the other checks ran, repairs {};"
              + " the next pass checks them again",
          report.failed(),
          report.repairs());
    } else if (report.total() > 0 || report.deferred() > 0) {
      LOG.info(
          "reconciler pass: repairs {}, {} GitHub and {} AWS calls, {} checks deferred to the next"
              + " pass (budget spent)",
          report.repairs(),
          report.gitHubCalls(),
          report.awsCalls(),
          report.deferred());
    }
    telemetry.count("ReconcileGitHubCalls", report.gitHubCalls());
    telemetry.count("ReconcileAwsCalls", report.awsCalls());
    telemetry.count("ReconcileDeferred", report.deferred());
    telemetry.count("ReconcileFailures", report.failed());
    return report;
  }

  /**
   * One runner's or job's check: a failure (the table refused a write, a lookup threw) is that
   * item's alone. It is logged with the item, counted, and the pass goes on, so one bad record or
   * one contended write never leaves every other gap unrepaired until it clears. A listing that
   * fails still fails the pass: nothing after it could be checked.
   */
  private void guarded(Pass pass, String item, Runnable check) {
    try {
      check.run();
    } catch (RuntimeException e) {
      pass.failed++;
      LOG.error("reconciler: check of {} failed, the pass goes on: {}", item, e.toString());
    }
  }

  // ---- runners ----

  private void requested(ReconcileStore.Listed listed, Pass pass) {
    Runner runner = listed.runner();
    if (older(runner.createdAt(), settings.spinUpDeadline(), pass)
        && runner.jobKey() != null
        && listed.respunAt() == null) {
      Optional<Platform> platform = catalog.find(runner.platform());
      if (platform.isPresent() && store.markRespun(runner.name(), pass.now)) {
        bus.publish(RunnerCommand.SpinUp.of(runner, platform.get()));
        repaired(
            pass,
            "spin-up-resent",
            runner,
            "not launched "
                + settings.spinUpDeadline().toSeconds()
                + " s after it was requested: spin-up published again");
      }
    } else if (listed.respunAt() != null
        && older(listed.respunAt(), settings.spinUpDeadline(), pass)) {
      String reason =
          "not launched "
              + settings.spinUpDeadline().toSeconds()
              + " s after its spin-up was published again";
      if (runners.markFailed(runner.name(), reason, pass.now)) {
        repaired(pass, "spin-up-lost", runner, reason + ": failed, its slot goes back");
      }
    }
  }

  /** A LAUNCHED or BUSY runner: host gone, boot deadline, maximum lifetime. */
  private void hosted(Runner runner, Pass pass) {
    Optional<Platform> platform = catalog.find(runner.platform());
    if (platform.isEmpty()) {
      return;
    }
    Duration boot = settings.bootDeadline(platform.get().hostKind());
    // The last change is the launch unless the publisher paired the runner with another job since
    // (its job ran elsewhere): a runner that never comes online can be re-paired job after job and
    // stay young by that clock. Its creation bounds its launch too: a runner still unlaunched three
    // spin-up deadlines after it was requested has been failed, so one that old launched at least
    // the boot deadline ago.
    boolean pastBoot =
        runner.status() == RunnerStatus.LAUNCHED
            && (older(runner.updatedAt(), boot, pass)
                || older(
                    runner.createdAt(),
                    settings.spinUpDeadline().multipliedBy(3).plus(boot),
                    pass));
    boolean pastLifetime = older(runner.createdAt(), settings.maxLifetime(), pass);
    if (!pastBoot && !pastLifetime && !older(runner.updatedAt(), settings.jobStuckAfter(), pass)) {
      return;
    }
    if (runner.hostId() != null && pass.takeAws()) {
      HostState state = hosts.state(runner.platform(), runner.name(), runner.hostId());
      if (state == HostState.GONE) {
        if (jobStartedAtGitHub(runner, pass)) {
          return;
        }
        tearDown(pass, "host-gone", runner, "its host " + runner.hostId() + " is gone");
        return;
      }
      if (state == HostState.UNKNOWN) {
        return;
      }
    }
    if (pastLifetime) {
      maxLifetime(runner, pass);
    } else if (pastBoot && runner.githubRunnerId() != null && pass.takeGitHub()) {
      RunnerLookup seen = gitHub.runner(runner.scope(), runner.githubRunnerId());
      boolean online = seen instanceof RunnerLookup.Found f && f.online();
      if (!online && !(seen instanceof RunnerLookup.RetryLater)) {
        tearDown(
            pass,
            "boot-deadline",
            runner,
            "not online at GitHub " + boot.toSeconds() + " s after launch");
      }
    }
  }

  /**
   * A host that is gone either died or ended as a JIT runner does after its one job; only GitHub
   * tells which. While the runner's record still names a job GitHub says has started, the gap is
   * webhooks on their way (GitHub delivers them late under load; a 2,000-job burst locally put
   * {@code in_progress} a minute behind): tearing down now would make the publisher queue that job
   * again, as if its runner had ended before it started, and launch it a second runner. The job's
   * webhooks, or this pass's job check once they are overdue, record the job; its completion tears
   * the runner down, and a job that ran on another runner pairs this one with other work or leaves
   * it without a job, after which a host still gone is torn down. With no job, a job still queued
   * at GitHub, or no answer, the host died: tear-down. No budget left: the decision waits a pass.
   */
  private boolean jobStartedAtGitHub(Runner runner, Pass pass) {
    if (runner.jobKey() == null) {
      return false;
    }
    Optional<JobLookup> seen = lookUpJob(runner.scope(), runner.jobKey().jobId(), pass);
    if (seen.isEmpty()) {
      return true;
    }
    // Completed anywhere, or running on another runner; running on this one means its host died.
    if (seen.get() instanceof JobLookup.Found found
        && ("completed".equals(found.status())
            || ("in_progress".equals(found.status())
                && !runner.name().equals(found.runnerName())))) {
      LOG.info(
          "runner {} ({}): its host {} is gone after job {} {} at GitHub on {}; waiting for the"
              + " job's webhooks",
          runner.name(),
          runner.status(),
          runner.hostId(),
          runner.jobKey(),
          found.status(),
          found.runnerName());
      return true;
    }
    return false;
  }

  /**
   * One GitHub lookup of a job per pass: a runner's check and its job's check share the answer.
   * Empty when the pass's GitHub budget is spent.
   */
  private Optional<JobLookup> lookUpJob(GitHubScope scope, long jobId, Pass pass) {
    JobLookup known = pass.jobsSeen.get(jobId);
    if (known != null) {
      return Optional.of(known);
    }
    if (!pass.takeGitHub()) {
      return Optional.empty();
    }
    JobLookup seen = gitHub.job(scope, jobId);
    pass.jobsSeen.put(jobId, seen);
    return Optional.of(seen);
  }

  private void maxLifetime(Runner runner, Pass pass) {
    String age =
        "older than the maximum lifetime of " + settings.maxLifetime().toMinutes() + " min";
    if (older(runner.createdAt(), settings.maxLifetime().plus(settings.busyGrace()), pass)) {
      // Forced: the orchestrator otherwise keeps a runner GitHub says is busy with a job not ours.
      String reason = age + " and its grace of " + settings.busyGrace().toMinutes() + " min";
      bus.publish(RunnerCommand.TearDown.forced(runner, reason, pass.now));
      repaired(pass, "max-lifetime", runner, reason + ": forced tear-down sent");
      return;
    }
    if (runner.githubRunnerId() == null || !pass.takeGitHub()) {
      return;
    }
    RunnerLookup seen = gitHub.runner(runner.scope(), runner.githubRunnerId());
    if (seen instanceof RunnerLookup.Found f && f.busy()) {
      LOG.info("runner {} is {} but GitHub says it is busy: it runs out its grace", runner, age);
    } else if (!(seen instanceof RunnerLookup.RetryLater)) {
      tearDown(pass, "max-lifetime", runner, age);
    }
  }

  // ---- jobs ----

  private void job(Job job, Pass pass) {
    if (job.status() != JobStatus.QUEUED
            && job.status() != JobStatus.DISPATCHED
            && job.status() != JobStatus.IN_PROGRESS
        || !older(job.updatedAt(), settings.jobStuckAfter(), pass)) {
      return;
    }
    Optional<JobLookup> lookup = lookUpJob(GitHubScope.of(job), job.key().jobId(), pass);
    if (lookup.isEmpty()) {
      return;
    }
    JobLookup seen = lookup.get();
    if (!(seen instanceof JobLookup.Found found)) {
      if (seen instanceof JobLookup.NotFound nf) {
        LOG.warn("job {} is {} here but GitHub does not know it: {}", job.key(), job.status(), nf);
      }
      return;
    }
    switch (found.status()) {
      case "completed" -> {
        if (store.recordGitHubView(job, JobStatus.COMPLETED, found.runnerName(), pass.now)) {
          repaired(pass, "job-completed", job, "completed at GitHub (" + found.conclusion() + ")");
        }
      }
      case "in_progress" -> {
        if (job.status() != JobStatus.IN_PROGRESS || job.ranOn() == null) {
          if (store.recordGitHubView(job, JobStatus.IN_PROGRESS, found.runnerName(), pass.now)) {
            repaired(pass, "job-started", job, "running at GitHub on " + found.runnerName());
          }
        }
      }
      default -> {
        if (job.status() == JobStatus.DISPATCHED) {
          dispatchedButQueued(job, pass);
        }
      }
    }
  }

  /** GitHub still holds the job queued: it needs a live runner, or a decision to stop trying. */
  private void dispatchedButQueued(Job job, Pass pass) {
    Optional<Runner> runner = Optional.ofNullable(job.dispatchedRunner()).flatMap(runners::find);
    if (runner.isPresent() && !runner.get().status().isTerminal()) {
      // Its runner is on its way or waiting; the runner checks above decide whether it is alive.
      return;
    }
    if (job.dispatchCount() >= settings.maxDispatches()) {
      if (store.giveUp(job, IgnoredReason.DISPATCH_LIMIT, pass.now)) {
        repaired(
            pass,
            "job-given-up",
            job,
            "dispatched "
                + job.dispatchCount()
                + " times and never started: not dispatched again (ignored, dispatch-limit)");
      }
    } else if (store.requeue(job, pass.now)) {
      repaired(pass, "job-requeued", job, "its runner ended before it started: queued again");
    }
  }

  // ---- plumbing ----

  private void tearDown(Pass pass, String kind, Runner runner, String reason) {
    bus.publish(RunnerCommand.TearDown.of(runner, reason, pass.now));
    repaired(pass, kind, runner, reason + ": tear-down sent");
  }

  private void repaired(Pass pass, String kind, Runner runner, String what) {
    LOG.warn("reconciler: runner {} ({}) {}", runner.name(), runner.status(), what);
    count(pass, kind);
  }

  private void repaired(Pass pass, String kind, Job job, String what) {
    LOG.warn("reconciler: job {} ({}) {}", job.key(), job.status(), what);
    count(pass, kind);
  }

  private void count(Pass pass, String kind) {
    pass.repairs.merge(kind, 1, Integer::sum);
    telemetry.count("Repairs", "kind", kind);
  }

  private static boolean older(Instant at, Duration than, Pass pass) {
    return at.plus(than).isBefore(pass.now);
  }
}
