package dev.runfleet.publisher.flow;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.FlowControlStore.Reservation;
import dev.runfleet.common.port.StoreRefusedException;
import dev.runfleet.common.port.WakeUps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The publisher's use case: reacts to committed changes of the jobs table and decides when a runner
 * may start.
 *
 * <p>Reactions, per change: a job that became QUEUED asks for a dispatch of its platform; a new
 * REQUESTED runner is announced with a {@code spin-up} command; a job GitHub reports on one of our
 * runners settles which runner serves which job (runners are fungible within a platform); a job
 * that completed on one of our runners sends that runner a {@code tear-down}; a runner that ended
 * gives its slot back exactly once.
 *
 * <p>Dispatch, per platform with work: the oldest queued jobs first, each by one atomic reservation
 * that holds only while the platform and global counters are below their caps.
 *
 * <p>A pass never waits for the launch budget: when it is spent, the pass ends, the jobs stay
 * queued, and the publisher arranges its own wake-up for the moment the budget refills (one pending
 * wake-up for the fleet, claimed in the store). A stream batch therefore never holds its shard
 * while the budget refills, and the configured rate is used in full.
 */
@Singleton
public final class FlowController {

  private static final Logger LOG = LoggerFactory.getLogger(FlowController.class);
  private static final int CONTENTION_RETRIES = 5;
  private static final int PAGE = 25;

  private final FlowControlStore store;
  private final CommandBus bus;
  private final WakeUps wakeUps;
  private final PlatformCatalog catalog;
  private final FlowSettings settings;
  private final Telemetry telemetry;
  private final Clock clock;
  private final int maxLaunchAttempts;
  private final Duration runnerIdleTimeout;

  @Inject
  public FlowController(
      FlowControlStore store,
      CommandBus bus,
      WakeUps wakeUps,
      PlatformCatalog catalog,
      FlowSettings settings,
      Telemetry telemetry,
      Clock clock,
      @MaxLaunchAttempts int maxLaunchAttempts,
      @RunnerIdleTimeout Duration runnerIdleTimeout) {
    this.store = store;
    this.bus = bus;
    this.wakeUps = wakeUps;
    this.catalog = catalog;
    this.settings = settings;
    this.telemetry = telemetry;
    this.clock = clock;
    this.maxLaunchAttempts = maxLaunchAttempts;
    this.runnerIdleTimeout = runnerIdleTimeout;
  }

  /** Result of one batch: the sequence number to resume from, if a change could not be handled. */
  public record BatchOutcome(Optional<String> failedAt, int dispatched) {}

  /**
   * Handles a batch in order, then dispatches for every platform the handled changes touched. A
   * change the store refuses for good, or whose content no rule can take ({@link
   * StoreRefusedException}, {@link IllegalArgumentException}), is poison: logged with its ids,
   * counted as {@code PoisonRecords} and skipped, so it never holds up the shard; the table still
   * holds the item it came from. Any other failure stops the batch there: it and everything after
   * it are retried by the event source, within its bounds.
   */
  public BatchOutcome onChanges(List<Change> changes) {
    Set<String> touched = new LinkedHashSet<>();
    Optional<String> failedAt = Optional.empty();
    for (Change change : changes) {
      try {
        react(change, touched);
      } catch (StoreRefusedException | IllegalArgumentException e) {
        LOG.error(
            "change {} ({}) is poison, skipped: {}",
            change.sequenceNumber(),
            describe(change),
            e.getMessage());
        telemetry.count("PoisonRecords");
      } catch (RuntimeException e) {
        LOG.error(
            "change {} failed; it and the rest of the batch will be retried",
            change.sequenceNumber(),
            e);
        telemetry.count("ChangeFailures");
        failedAt = Optional.of(change.sequenceNumber());
        break;
      }
    }
    int dispatched = 0;
    try {
      dispatched = dispatch(touched);
    } catch (RuntimeException e) {
      LOG.error("dispatch for {} failed; the batch will be retried", touched, e);
      if (failedAt.isEmpty() && !changes.isEmpty()) {
        failedAt = Optional.of(changes.get(changes.size() - 1).sequenceNumber());
      }
    }
    return new BatchOutcome(failedAt, dispatched);
  }

  /**
   * The periodic sweep: dispatches for every platform, so cap changes take effect without a
   * webhook, and tears down runners that waited for work longer than the idle timeout.
   */
  public int sweep() {
    int dispatched = dispatchAll();
    tearDownIdle();
    return dispatched;
  }

  /** A dispatch pass for every platform: what a wake-up asks for. */
  public int dispatchAll() {
    return dispatch(new LinkedHashSet<>(catalog.names()));
  }

  /**
   * A runner without a job of ours (its job ran elsewhere or was cancelled) waits for GitHub to
   * hand it one; past the idle timeout it gets a tear-down. The orchestrator deregisters it at
   * GitHub before stopping its host, and keeps it if GitHub says it just took a job.
   */
  private void tearDownIdle() {
    Instant cutoff = clock.instant().minus(runnerIdleTimeout);
    for (String platform : catalog.names()) {
      for (Runner listed : store.idleSince(platform, cutoff, PAGE)) {
        // The listing may lag: only a runner still without work goes.
        store
            .runner(listed.name())
            .filter(r -> r.jobKey() == null && r.status().isWithoutWork())
            .ifPresent(this::tearDownIdle);
        store.clearIdle(listed.name());
      }
    }
  }

  private void tearDownIdle(Runner runner) {
    MDC.put("runner", runner.name());
    try {
      LOG.info(
          "runner {} waited over {} s for work: tearing it down",
          runner.name(),
          runnerIdleTimeout.toSeconds());
      tearDown(runner, "idle for over " + runnerIdleTimeout.toSeconds() + " s");
      telemetry.count("RunnersIdleTornDown");
    } finally {
      MDC.remove("runner");
    }
  }

  /** The ids a poison change is found by: its job or runner, never its whole content. */
  private static String describe(Change change) {
    if (change instanceof Change.JobChanged c && c.after() != null) {
      return "job " + c.after().key();
    }
    if (change instanceof Change.RunnerChanged c && c.after() != null) {
      return "runner " + shortName(c.after().name());
    }
    if (change instanceof Change.RunnerRemoved c) {
      return "removed runner " + shortName(c.before().name());
    }
    return change.getClass().getSimpleName();
  }

  private static String shortName(String name) {
    return name.length() > 80 ? name.substring(0, 80) + "…" : name;
  }

  private void react(Change change, Set<String> touched) {
    if (change instanceof Change.JobChanged c) {
      onJob(c.before(), c.after(), touched);
    } else if (change instanceof Change.RunnerChanged c) {
      onRunner(c.before(), c.after(), touched);
    } else if (change instanceof Change.RunnerRemoved c) {
      onRunnerRemoved(c.before(), touched);
    }
  }

  /**
   * A runner record reached its TTL while it still held a slot (its host never reported an end):
   * the slot comes back, once, so capacity never leaks to records that no longer exist.
   */
  private void onRunnerRemoved(Runner removed, Set<String> touched) {
    if (removed.slotReleased()) {
      return;
    }
    if (store.releaseRemoved(removed, clock.instant())) {
      LOG.warn(
          "runner {} was removed by TTL while holding a {} slot ({}): slot given back",
          removed.name(),
          removed.platform(),
          removed.status());
      telemetry.count("SlotsReleasedOnRemoval");
      touched.add(removed.platform());
    }
  }

  private void onJob(Job before, Job after, Set<String> touched) {
    if (after == null || after.status() == JobStatus.IGNORED) {
      return;
    }
    MDC.put("jobId", Long.toString(after.key().jobId()));
    MDC.put("runAttempt", Integer.toString(after.key().runAttempt()));
    try {
      if (after.status() == JobStatus.QUEUED
          && (before == null || before.status() != JobStatus.QUEUED)) {
        touched.add(after.platform());
      }
      String ranOn = after.ranOn();
      if (Runner.isOurs(ranOn) && (before == null || !Objects.equals(before.ranOn(), ranOn))) {
        store.runner(ranOn).ifPresent(runner -> settle(after, runner, touched));
      }
      boolean justCompleted =
          after.status() == JobStatus.COMPLETED
              && (before == null || before.status() != JobStatus.COMPLETED);
      if (justCompleted && Runner.isOurs(ranOn)) {
        store
            .runner(ranOn)
            .filter(r -> !r.status().isTerminal())
            .ifPresent(r -> tearDown(r, "job " + after.key() + " completed"));
      }
      String dispatched = after.dispatchedRunner();
      if (justCompleted && Runner.isOurs(dispatched) && !dispatched.equals(ranOn)) {
        // Cancelled before pickup, or run by a runner not ours: the runner started for it is free.
        store
            .runner(dispatched)
            .filter(r -> after.key().equals(r.jobKey()))
            .filter(r -> r.status().isWithoutWork())
            .ifPresent(r -> placeFreeRunner(r, after.key(), clock.instant()));
      }
    } finally {
      MDC.remove("jobId");
      MDC.remove("runAttempt");
    }
  }

  /**
   * GitHub runs {@code job} on our {@code runner}. GitHub may hand any runner any queued job its
   * labels satisfy, so the runner may have been requested for another job X, and the job may have
   * had its own runner R_J. Then X is left without a runner and R_J without a job: pair them when
   * they share a platform; otherwise X goes back to the queue and R_J takes the oldest queued job
   * of its platform, or waits for work as an orphan. Each step is conditional, and the runner is
   * marked busy last, so a retried change repeats only the steps not yet done.
   */
  private void settle(Job job, Runner runner, Set<String> touched) {
    Instant now = clock.instant();
    if (runner.status().isTerminal()
        || (runner.status() == RunnerStatus.BUSY && job.key().equals(runner.jobKey()))) {
      return;
    }
    Optional<Job> runnerless =
        Optional.ofNullable(runner.jobKey())
            .filter(k -> !k.equals(job.key()))
            .flatMap(store::job)
            .filter(
                x ->
                    x.status() == JobStatus.DISPATCHED
                        && runner.name().equals(x.dispatchedRunner()));
    Optional<Runner> jobless =
        Optional.ofNullable(job.dispatchedRunner())
            .filter(name -> !name.equals(runner.name()))
            .flatMap(store::runner)
            .filter(r -> job.key().equals(r.jobKey()))
            .filter(r -> r.status().isWithoutWork());

    if (runnerless.isPresent()
        && jobless.isPresent()
        && jobless.get().platform().equals(runnerless.get().platform())) {
      if (store.pair(jobless.get(), job.key(), runnerless.get(), runner.name(), now)) {
        LOG.info(
            "runner {} ran job {} requested for {}; runner {} now serves {}",
            runner.name(),
            job.key(),
            runnerless.get().key(),
            jobless.get().name(),
            runnerless.get().key());
        telemetry.count("RunnersRepaired");
      }
    } else {
      runnerless.ifPresent(
          x -> {
            if (store.requeue(x, runner.name(), now)) {
              LOG.info(
                  "job {} lost runner {} to job {}: queued again",
                  x.key(),
                  runner.name(),
                  job.key());
              telemetry.count("JobsRequeued");
              touched.add(x.platform());
            }
          });
      jobless.ifPresent(r -> placeFreeRunner(r, job.key(), now));
    }
    store.markBusy(runner.name(), job.key(), now);
  }

  private void placeFreeRunner(Runner free, JobKey from, Instant now) {
    for (Job queued : store.oldestQueued(free.platform(), 1)) {
      if (queued.status() == JobStatus.QUEUED && store.adopt(free, from, queued, now)) {
        LOG.info("free runner {} takes queued job {}", free.name(), queued.key());
        telemetry.count("RunnersAdopted");
        return;
      }
    }
    if (store.orphan(free, from, now)) {
      LOG.info("runner {} has no job to serve; it waits for work or its idle timeout", free.name());
      telemetry.count("RunnersOrphaned");
    }
  }

  private void onRunner(Runner before, Runner after, Set<String> touched) {
    if (after == null) {
      return;
    }
    MDC.put("runner", after.name());
    try {
      if (before == null && after.status() == RunnerStatus.REQUESTED && after.jobKey() != null) {
        spinUp(after);
      }
      if (after.status().isTerminal() && !after.slotReleased()) {
        release(after, touched);
      }
    } finally {
      MDC.remove("runner");
    }
  }

  private void spinUp(Runner runner) {
    bus.publish(RunnerCommand.SpinUp.of(runner, catalog.get(runner.platform())));
    telemetry.count("SpinUpsPublished");
  }

  private void tearDown(Runner runner, String reason) {
    bus.publish(RunnerCommand.TearDown.of(runner, reason, clock.instant()));
    telemetry.count("TearDownsPublished");
  }

  private void release(Runner runner, Set<String> touched) {
    Optional<Job> waiting =
        Optional.ofNullable(runner.jobKey())
            .flatMap(store::job)
            .filter(
                j ->
                    j.status() == JobStatus.DISPATCHED
                        && runner.name().equals(j.dispatchedRunner()));
    // A job dispatched this often without starting is not dispatched again, however its runners
    // ended (failed launches, hosts that died, boots past their deadline): the reconciler checks it
    // at GitHub and records why it stops.
    Job requeue = waiting.filter(j -> j.dispatchCount() < maxLaunchAttempts).orElse(null);
    if (store.release(runner, requeue, clock.instant())) {
      telemetry.count("SlotsReleased");
      // A freed global slot can serve any platform: let the fairness rule choose.
      touched.addAll(catalog.names());
      if (requeue != null) {
        LOG.info(
            "runner {} ended before its job {} started: job queued again",
            runner.name(),
            requeue.key());
        telemetry.count("JobsRequeued");
      } else if (waiting.isPresent()) {
        LOG.error(
            "runner {} for job {} ended {} ({}) after {} dispatches of the job; it is not"
                + " dispatched again: the reconciler looks it up at GitHub and gives it up"
                + " (ignored, dispatch-limit) if it is still queued there",
            runner.name(),
            runner.jobKey(),
            runner.status(),
            runner.detail(),
            maxLaunchAttempts);
        telemetry.count("LaunchesAbandoned");
      }
    }
  }

  private int dispatch(Set<String> platforms) {
    if (platforms.isEmpty()) {
      return 0;
    }
    if (settings.paused()) {
      LOG.debug("dispatch paused; {} platform(s) wait", platforms.size());
      return 0;
    }
    int globalCap = settings.globalCap();
    // Counters are read once per pass: the reservations' conditions, not these reads, keep the
    // caps.
    int globalFree = globalCap - store.inFlight(JobsTable.GLOBAL);
    if (globalFree <= 0) {
      return 0;
    }
    LaunchPacer pacer = new LaunchPacer(store, clock, settings.launchRate());
    int total = 0;
    for (Platform platform : oldestHeadFirst(platforms)) {
      if (globalFree <= 0 || pacer.refillsAt() != null) {
        break;
      }
      DispatchResult result = dispatch(platform, globalCap, globalFree, pacer);
      total += result.dispatched();
      globalFree = result.globalFull() ? 0 : globalFree - result.dispatched();
    }
    if (pacer.refillsAt() != null) {
      wakeUpAt(pacer.refillsAt());
    }
    return total;
  }

  /**
   * The budget is spent: a pass at {@code at} dispatches what waits. The store's claim keeps one
   * wake-up pending for the whole fleet; a wake-up that could not be sent leaves the jobs to the
   * next change or the periodic sweep.
   */
  private void wakeUpAt(Instant at) {
    Instant now = clock.instant();
    if (!store.claimWakeUp(at, now)) {
      return;
    }
    try {
      wakeUps.schedule(at, now);
      telemetry.count("WakeUpsScheduled");
      LOG.debug("launch budget spent; dispatch wakes up at {}", at);
    } catch (RuntimeException e) {
      LOG.warn(
          "launch budget spent and the wake-up for {} could not be sent; the next change or sweep"
              + " dispatches: {}",
          at,
          e.toString());
      telemetry.count("WakeUpFailures");
    }
  }

  /**
   * The fairness rule for the global cap: in each pass, the platform whose oldest queued job has
   * waited longest goes first, so a platform behind a busy neighbour in configuration order is
   * never starved.
   */
  private List<Platform> oldestHeadFirst(Set<String> platforms) {
    record Head(Platform platform, Instant queuedAt) {}
    List<Head> heads = new ArrayList<>();
    for (String name : platforms) {
      catalog
          .find(name)
          .ifPresent(
              p ->
                  store.oldestQueued(p.name(), 1).stream()
                      .findFirst()
                      .ifPresent(job -> heads.add(new Head(p, job.queuedAt()))));
    }
    heads.sort(Comparator.comparing(Head::queuedAt));
    return heads.stream().map(Head::platform).toList();
  }

  private record DispatchResult(int dispatched, boolean globalFull) {}

  /**
   * A queue age for a person: milliseconds while short, coarser units once GitHub's {@code
   * created_at} lies far back (a redelivered or replayed payload: years, not 10^11 ms).
   */
  static String readable(Duration age) {
    long ms = Math.max(0, age.toMillis());
    if (ms < 10_000) {
      return ms + " ms";
    }
    if (ms < 120_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    if (ms < 2 * 3_600_000L) {
      return ms / 60_000 + " min";
    }
    if (ms < 2 * 86_400_000L) {
      return ms / 3_600_000 + " h";
    }
    return ms / 86_400_000L + " days";
  }

  private DispatchResult dispatch(
      Platform platform, int globalCap, int globalFree, LaunchPacer pacer) {
    int cap = settings.platformCap(platform);
    int free = Math.min(cap - store.inFlight(platform.name()), globalFree);
    int dispatched = 0;
    while (free > 0) {
      int requested = Math.min(free, PAGE);
      List<Job> oldest = store.oldestQueued(platform.name(), requested);
      int progress = dispatched;
      for (Job job : oldest) {
        if (job.status() != JobStatus.QUEUED) {
          continue;
        }
        switch (reserve(job, cap, globalCap, pacer)) {
          case RESERVED -> {
            dispatched++;
            free--;
            Duration age = Duration.between(job.queuedAt(), clock.instant());
            telemetry.count("Dispatches");
            telemetry.millis("QueueAge", Math.max(0, age.toMillis()));
            LOG.info(
                "dispatched job {} on {} after {} in queue",
                job.key(),
                platform.name(),
                readable(age));
          }
          case JOB_NOT_QUEUED -> {}
          case PLATFORM_FULL, CONTENDED, BUDGET_MOVED -> {
            return new DispatchResult(dispatched, false);
          }
          case GLOBAL_FULL -> {
            return new DispatchResult(dispatched, true);
          }
        }
      }
      if (dispatched == progress || oldest.size() < requested) {
        // Nothing left, or only entries that moved on since the index was read: the next change
        // retries.
        break;
      }
    }
    return new DispatchResult(dispatched, false);
  }

  private Reservation reserve(Job job, int cap, int globalCap, LaunchPacer pacer) {
    String runnerName = Runner.nameFor(job.platform(), job.key(), job.dispatchCount() + 1);
    for (int attempt = 0; attempt < CONTENTION_RETRIES; attempt++) {
      Optional<FlowControlStore.LaunchBudget> budget = pacer.next();
      if (budget.isEmpty()) {
        LOG.debug("launch budget spent for now; job {} waits for the wake-up", job.key());
        telemetry.count("LaunchBudgetExhausted");
        return Reservation.BUDGET_MOVED;
      }
      Reservation result =
          store.reserve(job, runnerName, cap, globalCap, budget.get(), clock.instant());
      switch (result) {
        case RESERVED -> pacer.taken(budget.get());
        case BUDGET_MOVED, CONTENDED -> {
          pacer.moved();
          continue;
        }
        // The publisher that took this job moved the budget in the same transaction.
        case JOB_NOT_QUEUED -> pacer.moved();
        default -> {}
      }
      return result;
    }
    return Reservation.CONTENDED;
  }
}
