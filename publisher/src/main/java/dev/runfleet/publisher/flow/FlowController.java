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
import dev.runfleet.common.port.CommandBus.Refused;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.FlowControlStore.Reservation;
import dev.runfleet.common.port.StoreRefusedException;
import dev.runfleet.common.port.WakeUps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
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
 * <p>A stream batch never runs a dispatch pass when a wake-up handler can ({@link
 * WakeUps#handsOverPasses()}): it counts a request for one on the fleet's dispatcher item and, when
 * no pass holds the lease, sends a wake-up with no delay. The wake-up runs the pass under the lease
 * (one pass at a time for the fleet, so no two passes cancel each other's reservations) and passes
 * again while requests came in meanwhile. A batch's commands go out together after its changes, so
 * spin-up announcements never wait behind a pass.
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

  /** How long a pass holds the fleet's dispatch lease; a crashed pass loses it then. */
  static final Duration PASS_LEASE = Duration.ofSeconds(30);

  /**
   * How long one holder keeps passing before it hands the lease to a fresh wake-up: well inside the
   * lease and the shortest function timeout (10 s).
   */
  static final Duration PASS_TURN = Duration.ofSeconds(5);

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
    Outbox out = new Outbox();
    int failedIndex = changes.size();
    for (int i = 0; i < changes.size(); i++) {
      Change change = changes.get(i);
      out.change = i;
      try {
        react(change, out);
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
        failedIndex = i;
        break;
      }
    }
    failedIndex = Math.min(failedIndex, out.send());
    Optional<String> failedAt =
        failedIndex < changes.size()
            ? Optional.of(changes.get(failedIndex).sequenceNumber())
            : Optional.empty();
    int dispatched = 0;
    try {
      dispatched = askForPass(out.touched);
    } catch (RuntimeException e) {
      LOG.error("dispatch for {} failed; the batch will be retried", out.touched, e);
      if (failedAt.isEmpty() && !changes.isEmpty()) {
        failedAt = Optional.of(changes.get(changes.size() - 1).sequenceNumber());
      }
    }
    return new BatchOutcome(failedAt, dispatched);
  }

  /**
   * What one batch's reactions produce: the platforms that became dispatchable, and the commands to
   * publish together once every change was handled, each with the index of the change it came from.
   */
  private final class Outbox {
    final Set<String> touched = new LinkedHashSet<>();
    final List<RunnerCommand> commands = new ArrayList<>();
    final Map<RunnerCommand, Integer> from = new IdentityHashMap<>();
    int change;

    void add(RunnerCommand command) {
      commands.add(command);
      from.put(command, change);
    }

    /** Publishes the batch's commands: the index of the first change whose command was refused. */
    int send() {
      if (commands.isEmpty()) {
        return Integer.MAX_VALUE;
      }
      List<Refused> refused = bus.publishAll(commands);
      int first = Integer.MAX_VALUE;
      for (Refused r : refused) {
        first = Math.min(first, from.get(r.command()));
        LOG.warn(
            "command {} was not published, its change will be retried: {}",
            r.command().commandId(),
            r.reason());
        telemetry.count("CommandPublishFailures");
      }
      for (RunnerCommand command : commands) {
        boolean sent = refused.stream().noneMatch(r -> r.command() == command);
        if (sent) {
          telemetry.count(
              command instanceof RunnerCommand.SpinUp ? "SpinUpsPublished" : "TearDownsPublished");
        }
      }
      return first;
    }
  }

  /**
   * The platforms in {@code touched} may dispatch now. Where a wake-up handler runs passes, the
   * batch counts a request and, when no pass holds the lease, hands one over (a wake-up with no
   * delay); a wake-up that could not be sent is run here under the lease, so no request is lost.
   * Without one, the batch dispatches in place.
   */
  private int askForPass(Set<String> touched) {
    if (touched.isEmpty()) {
      return 0;
    }
    if (!wakeUps.handsOverPasses()) {
      return dispatch(touched).dispatched();
    }
    Instant now = clock.instant();
    if (!store.requestPass(now, now.plus(PASS_LEASE))) {
      telemetry.count("PassRequestsJoined");
      return 0;
    }
    try {
      wakeUps.schedule(now, now);
      telemetry.count("PassesHandedOver");
      return 0;
    } catch (RuntimeException e) {
      LOG.warn(
          "dispatch pass could not be handed to the wake-up queue, run here: {}", e.toString());
      telemetry.count("WakeUpFailures");
      return dispatchAll();
    }
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

  /**
   * What a wake-up (and the sweep) asks for: the fleet's one dispatch pass over every platform,
   * under the dispatcher lease. While a pass is running elsewhere this only counts a request, and
   * that pass runs once more. The holder passes again as long as requests came in meanwhile; after
   * {@link #PASS_TURN} it hands the lease to a fresh wake-up rather than keep one invocation busy,
   * and when the launch budget is spent it lets go: the wake-up at the refill passes then. A pass
   * that fails lets go of the lease, so the retried wake-up or the next request claims it at once.
   */
  public int dispatchAll() {
    String owner = UUID.randomUUID().toString();
    Instant start = clock.instant();
    OptionalLong claimed = store.claimPass(owner, start, start.plus(PASS_LEASE));
    if (claimed.isEmpty()) {
      if (!store.requestPass(start, start.plus(PASS_LEASE))) {
        telemetry.count("PassRequestsJoined");
        return 0;
      }
      // The lease ran out between the two writes and this call took it: it passes.
      claimed = store.claimPass(owner, start, start.plus(PASS_LEASE));
      if (claimed.isEmpty()) {
        return 0;
      }
    }
    long seen = claimed.getAsLong();
    int total = 0;
    try {
      while (true) {
        Pass pass = dispatch(new LinkedHashSet<>(catalog.names()));
        total += pass.dispatched();
        telemetry.count("DispatchPasses");
        Instant now = clock.instant();
        if (pass.budgetSpent()) {
          store.abandonPass(owner);
          return total;
        }
        OptionalLong more = store.releasePass(owner, seen, now.plus(PASS_LEASE));
        if (more.isEmpty()) {
          return total;
        }
        seen = more.getAsLong();
        if (Duration.between(start, now).compareTo(PASS_TURN) >= 0 && wakeUps.handsOverPasses()) {
          store.abandonPass(owner);
          wakeUps.schedule(now, now);
          telemetry.count("PassesHandedOver");
          return total;
        }
      }
    } catch (RuntimeException e) {
      try {
        store.abandonPass(owner);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * A runner without a job of ours (its job ran elsewhere or was cancelled) waits for GitHub to
   * hand it one; past the idle timeout it gets a tear-down. Sooner when its platform has no queued
   * job: the dispatch pass starts a runner for every job queued later, so an idle runner could only
   * take a job from the runner started for it, while it holds a slot and its host. It goes at the
   * first sweep that finds it launched (a runner still REQUESTED has its spin-up on the way and
   * waits for the next sweep). Either way the orchestrator deregisters it at GitHub before stopping
   * its host, and keeps it if GitHub says it just took a job.
   */
  private void tearDownIdle() {
    Instant now = clock.instant();
    Instant cutoff = now.minus(runnerIdleTimeout);
    String idleFor = "idle for over " + runnerIdleTimeout.toSeconds() + " s";
    for (String platform : catalog.names()) {
      for (Runner listed : store.idleSince(platform, cutoff, PAGE)) {
        // The listing may lag: only a runner still without work goes.
        store
            .runner(listed.name())
            .filter(r -> r.jobKey() == null && r.status().isWithoutWork())
            .ifPresent(r -> tearDownIdle(r, idleFor));
        store.clearIdle(listed.name());
      }
      List<Runner> idle = store.idleSince(platform, now, PAGE);
      if (idle.isEmpty()
          || store.oldestQueued(platform, 1).stream()
              .anyMatch(j -> j.status() == JobStatus.QUEUED)) {
        continue;
      }
      for (Runner listed : idle) {
        store
            .runner(listed.name())
            .filter(r -> r.jobKey() == null && r.status() == RunnerStatus.LAUNCHED)
            .ifPresent(
                r -> {
                  tearDownIdle(r, "no queued job of platform " + platform);
                  store.clearIdle(r.name());
                });
      }
    }
  }

  private void tearDownIdle(Runner runner, String reason) {
    MDC.put("runner", runner.name());
    try {
      LOG.info("runner {} without work, {}: tearing it down", runner.name(), reason);
      tearDown(runner, reason);
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

  private void react(Change change, Outbox out) {
    if (change instanceof Change.JobChanged c) {
      onJob(c.before(), c.after(), out);
    } else if (change instanceof Change.RunnerChanged c) {
      onRunner(c.before(), c.after(), out);
    } else if (change instanceof Change.RunnerRemoved c) {
      onRunnerRemoved(c.before(), out.touched);
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

  private void onJob(Job before, Job after, Outbox out) {
    if (after == null || after.status() == JobStatus.IGNORED) {
      return;
    }
    MDC.put("jobId", Long.toString(after.key().jobId()));
    MDC.put("runAttempt", Integer.toString(after.key().runAttempt()));
    try {
      if (after.status() == JobStatus.QUEUED
          && (before == null || before.status() != JobStatus.QUEUED)) {
        out.touched.add(after.platform());
      }
      // Each runner is read at most once per change.
      Map<String, Optional<Runner>> read = new HashMap<>(4);
      String ranOn = after.ranOn();
      boolean newRunner = before == null || !Objects.equals(before.ranOn(), ranOn);
      if (Runner.isOurs(ranOn) && newRunner) {
        // The common cases, the job's own runner or an orphan took it, are one conditional write;
        // a refused one returns the runner (busy already, taken by another job, ended) to settle.
        FlowControlStore.BusyMark mark = store.markBusyIfFree(ranOn, after.key(), clock.instant());
        if (mark.marked()) {
          freeOwnRunner(after, ranOn, clock.instant());
        } else {
          read.put(ranOn, mark.found());
          mark.found()
              .ifPresentOrElse(
                  runner -> settle(after, runner, out.touched),
                  () -> freeOwnRunner(after, ranOn, clock.instant()));
        }
      }
      boolean justCompleted =
          after.status() == JobStatus.COMPLETED
              && (before == null || before.status() != JobStatus.COMPLETED);
      if (justCompleted && Runner.isOurs(ranOn)) {
        String reason = "job " + after.key() + " completed";
        Optional<String> platform =
            read.containsKey(ranOn) ? Optional.empty() : Runner.platformOf(ranOn, catalog.names());
        if (platform.isPresent()) {
          // No read: the orchestrator does nothing with the tear-down of a runner that has ended.
          out.add(RunnerCommand.TearDown.of(ranOn, platform.get(), reason, clock.instant()));
        } else {
          read.computeIfAbsent(ranOn, store::runner)
              .filter(r -> !r.status().isTerminal())
              .ifPresent(r -> out.add(RunnerCommand.TearDown.of(r, reason, clock.instant())));
        }
      }
      String dispatched = after.dispatchedRunner();
      // A job that ran on one of our runners freed its own when GitHub's in_progress was handled
      // (in this change or an earlier one, with the same runner of its own): no read.
      boolean freedAtStart =
          Runner.isOurs(ranOn)
              && (newRunner || Objects.equals(before.dispatchedRunner(), dispatched));
      if (justCompleted
          && Runner.isOurs(dispatched)
          && !dispatched.equals(ranOn)
          && !freedAtStart) {
        // Cancelled before pickup, or run by a runner not ours: the runner started for it is free.
        read.computeIfAbsent(dispatched, store::runner)
            .filter(r -> after.key().equals(r.jobKey()))
            .filter(r -> r.status().isWithoutWork())
            .ifPresent(r -> placeFreeRunner(r.name(), r.platform(), after.key(), clock.instant()));
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
   * of its platform, or waits for work as an orphan. Each step is conditional (R_J is never read:
   * the steps' conditions check that it still waits for work linked to the job), and the runner is
   * marked busy last, so a retried change repeats only the steps not yet done.
   */
  private void settle(Job job, Runner runner, Set<String> touched) {
    Instant now = clock.instant();
    if (runner.status().isTerminal()
        || (runner.status() == RunnerStatus.BUSY && job.key().equals(runner.jobKey()))) {
      // Ended, or settled by an earlier attempt of this change: the job's own runner is free all
      // the same (its conditions make a repeat a no-op).
      freeOwnRunner(job, runner.name(), now);
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
    Optional<String> jobless = ownRunnerElsewhere(job, runner.name());

    if (runnerless.isPresent()
        && jobless.isPresent()
        && job.platform().equals(runnerless.get().platform())
        && store.pair(jobless.get(), job.key(), runnerless.get(), runner.name(), now)) {
      LOG.info(
          "runner {} ran job {} requested for {}; runner {} now serves {}",
          runner.name(),
          job.key(),
          runnerless.get().key(),
          jobless.get(),
          runnerless.get().key());
      telemetry.count("RunnersRepaired");
    } else {
      // Also where the pair was refused: one of the two moved on, and the conditions below act on
      // the other only.
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
      jobless.ifPresent(r -> placeFreeRunner(r, job.platform(), job.key(), now));
    }
    store.markBusy(runner.name(), job.key(), now);
  }

  /** {@code job}'s own runner, when it has one of ours and GitHub ran the job on another. */
  private static Optional<String> ownRunnerElsewhere(Job job, String ranOn) {
    return Optional.ofNullable(job.dispatchedRunner())
        .filter(Runner::isOurs)
        .filter(name -> !name.equals(ranOn));
  }

  /** {@code job} runs on {@code ranOn}: its own runner, if another, takes other work. */
  private void freeOwnRunner(Job job, String ranOn, Instant now) {
    ownRunnerElsewhere(job, ranOn)
        .ifPresent(free -> placeFreeRunner(free, job.platform(), job.key(), now));
  }

  /**
   * Runner {@code free}, requested for {@code from} on {@code platform}, takes the oldest queued
   * job of its platform, or waits for work as an orphan: both only while it still waits linked to
   * {@code from}.
   */
  private void placeFreeRunner(String free, String platform, JobKey from, Instant now) {
    for (Job queued : store.oldestQueued(platform, 1)) {
      if (queued.status() == JobStatus.QUEUED && store.adopt(free, from, queued, now)) {
        LOG.info("free runner {} takes queued job {}", free, queued.key());
        telemetry.count("RunnersAdopted");
        return;
      }
    }
    if (store.orphan(free, platform, from, now)) {
      LOG.info("runner {} has no job to serve; it waits for work or its idle timeout", free);
      telemetry.count("RunnersOrphaned");
    }
  }

  private void onRunner(Runner before, Runner after, Outbox out) {
    if (after == null) {
      return;
    }
    MDC.put("runner", after.name());
    try {
      if (before == null && after.status() == RunnerStatus.REQUESTED && after.jobKey() != null) {
        out.add(RunnerCommand.SpinUp.of(after, catalog.get(after.platform())));
      }
      if (after.status().isTerminal() && !after.slotReleased()) {
        release(before, after, out.touched);
      }
    } finally {
      MDC.remove("runner");
    }
  }

  private void tearDown(Runner runner, String reason) {
    bus.publish(RunnerCommand.TearDown.of(runner, reason, clock.instant()));
    telemetry.count("TearDownsPublished");
  }

  private void release(Runner before, Runner runner, Set<String> touched) {
    // A runner that was BUSY on its job ran it: that job is not waiting for it, no read needed.
    boolean ranItsJob =
        before != null
            && before.status() == RunnerStatus.BUSY
            && Objects.equals(before.jobKey(), runner.jobKey());
    Optional<Job> waiting =
        Optional.ofNullable(runner.jobKey())
            .filter(key -> !ranItsJob)
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

  /** One pass: how many jobs it dispatched, and whether it ended on a spent launch budget. */
  private record Pass(int dispatched, boolean budgetSpent) {}

  private Pass dispatch(Set<String> platforms) {
    if (platforms.isEmpty()) {
      return new Pass(0, false);
    }
    if (settings.paused()) {
      LOG.debug("dispatch paused; {} platform(s) wait", platforms.size());
      return new Pass(0, false);
    }
    int globalCap = settings.globalCap();
    // Counters are read once per pass: the reservations' conditions, not these reads, keep the
    // caps.
    int globalFree = globalCap - store.inFlight(JobsTable.GLOBAL);
    if (globalFree <= 0) {
      return new Pass(0, false);
    }
    LaunchPacer pacer = new LaunchPacer(store, clock, settings.launchRate());
    int total = 0;
    for (Head head : oldestHeadFirst(platforms, Math.min(PAGE, globalFree))) {
      if (globalFree <= 0 || pacer.refillsAt() != null) {
        break;
      }
      DispatchResult result = dispatch(head, globalCap, globalFree, pacer);
      total += result.dispatched();
      globalFree = result.globalFull() ? 0 : globalFree - result.dispatched();
    }
    if (pacer.refillsAt() != null) {
      wakeUpAt(pacer.refillsAt());
    }
    return new Pass(total, pacer.refillsAt() != null);
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
  private List<Head> oldestHeadFirst(Set<String> platforms, int page) {
    List<Head> heads = new ArrayList<>();
    for (String name : platforms) {
      catalog
          .find(name)
          .ifPresent(
              p -> {
                List<Job> first = store.oldestQueued(p.name(), page);
                if (!first.isEmpty()) {
                  heads.add(new Head(p, first, page));
                }
              });
    }
    heads.sort(Comparator.comparing(h -> h.firstPage().get(0).queuedAt()));
    return heads;
  }

  /**
   * A platform with queued jobs, and the first page of them as the pass read it to order the
   * platforms (its dispatch starts there instead of reading it again).
   */
  private record Head(Platform platform, List<Job> firstPage, int pageSize) {}

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

  private DispatchResult dispatch(Head head, int globalCap, int globalFree, LaunchPacer pacer) {
    Platform platform = head.platform();
    int cap = settings.platformCap(platform);
    int free = Math.min(cap - store.inFlight(platform.name()), globalFree);
    int dispatched = 0;
    List<Job> page = head.firstPage();
    int pageSize = head.pageSize();
    while (free > 0) {
      int requested = pageSize;
      List<Job> oldest = page != null ? page : store.oldestQueued(platform.name(), requested);
      page = null;
      int progress = dispatched;
      for (Job job : oldest) {
        if (free <= 0) {
          break;
        }
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
