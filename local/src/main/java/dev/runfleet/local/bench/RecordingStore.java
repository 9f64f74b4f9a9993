package dev.runfleet.local.bench;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.port.FlowControlStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The real store, with every successful reservation written down: when the controller decided it
 * (the instant it passed, which becomes the runner's {@code createdAt}) and when its transaction
 * had committed. Every attempt's outcome is counted.
 */
final class RecordingStore implements FlowControlStore {

  /** One reservation that took a slot and a step of the launch budget. */
  record Reserved(Instant decided, Instant committed) {}

  /** The reservations of every publisher of a run, and every attempt's outcome. */
  static final class Log {
    private final ConcurrentLinkedQueue<Reserved> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Map<Reservation, LongAdder> outcomes = new ConcurrentHashMap<>();

    void attempted(Reservation outcome) {
      outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
    }

    /** How many reservation attempts ended how. */
    Map<Reservation, Long> outcomes() {
      Map<Reservation, Long> out = new EnumMap<>(Reservation.class);
      outcomes.forEach((outcome, n) -> out.put(outcome, n.sum()));
      return out;
    }

    void add(Reserved reserved) {
      entries.add(reserved);
      count.incrementAndGet();
    }

    int count() {
      return count.get();
    }

    /** Every reservation, in commit order. */
    List<Reserved> entries() {
      List<Reserved> out = new ArrayList<>(entries);
      out.sort(Comparator.comparing(Reserved::committed));
      return out;
    }
  }

  private final FlowControlStore delegate;
  private final Clock clock;
  private final Log log;

  RecordingStore(FlowControlStore delegate, Clock clock, Log log) {
    this.delegate = delegate;
    this.clock = clock;
    this.log = log;
  }

  @Override
  public Reservation reserve(
      Job job,
      String runnerName,
      int platformCap,
      int globalCap,
      LaunchBudget budget,
      Instant now) {
    Reservation result = delegate.reserve(job, runnerName, platformCap, globalCap, budget, now);
    log.attempted(result);
    if (result == Reservation.RESERVED) {
      log.add(new Reserved(now, clock.instant()));
    }
    return result;
  }

  @Override
  public int inFlight(String platformOrGlobal) {
    return delegate.inFlight(platformOrGlobal);
  }

  @Override
  public List<Job> oldestQueued(String platform, int limit) {
    return delegate.oldestQueued(platform, limit);
  }

  @Override
  public Optional<Job> job(JobKey key) {
    return delegate.job(key);
  }

  @Override
  public Optional<Runner> runner(String name) {
    return delegate.runner(name);
  }

  @Override
  public long launchBudgetTat() {
    return delegate.launchBudgetTat();
  }

  @Override
  public boolean release(Runner runner, Job requeue, Instant now) {
    return delegate.release(runner, requeue, now);
  }

  @Override
  public boolean markBusy(String runnerName, JobKey job, Instant now) {
    return delegate.markBusy(runnerName, job, now);
  }

  @Override
  public boolean pair(Runner free, JobKey from, Job to, String toRunnerBefore, Instant now) {
    return delegate.pair(free, from, to, toRunnerBefore, now);
  }

  @Override
  public boolean adopt(Runner free, JobKey from, Job queued, Instant now) {
    return delegate.adopt(free, from, queued, now);
  }

  @Override
  public boolean requeue(Job job, String expectedRunner, Instant now) {
    return delegate.requeue(job, expectedRunner, now);
  }

  @Override
  public boolean orphan(Runner free, JobKey from, Instant now) {
    return delegate.orphan(free, from, now);
  }

  @Override
  public List<Runner> idleSince(String platform, Instant before, int limit) {
    return delegate.idleSince(platform, before, limit);
  }

  @Override
  public void clearIdle(String runnerName) {
    delegate.clearIdle(runnerName);
  }
}
