package dev.runfleet.common.port;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link FlowControlStore} that passes every call to another: the base of stores that watch the
 * real one (benchmarks, property tests) and override only what they record.
 */
public abstract class ForwardingFlowControlStore implements FlowControlStore {

  protected final FlowControlStore delegate;

  protected ForwardingFlowControlStore(FlowControlStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
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
  public boolean requestPass(Instant now, Instant leaseUntil) {
    return delegate.requestPass(now, leaseUntil);
  }

  @Override
  public OptionalLong claimPass(String owner, Instant now, Instant leaseUntil) {
    return delegate.claimPass(owner, now, leaseUntil);
  }

  @Override
  public OptionalLong releasePass(String owner, long seen, Instant leaseUntil) {
    return delegate.releasePass(owner, seen, leaseUntil);
  }

  @Override
  public void abandonPass(String owner) {
    delegate.abandonPass(owner);
  }

  @Override
  public BusyMark markBusyIfFree(String runnerName, JobKey job, Instant now) {
    return delegate.markBusyIfFree(runnerName, job, now);
  }

  @Override
  public boolean claimWakeUp(Instant at, Instant now) {
    return delegate.claimWakeUp(at, now);
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
  public Reservation reserve(
      Job job,
      String runnerName,
      int platformCap,
      int globalCap,
      LaunchBudget budget,
      Instant now) {
    return delegate.reserve(job, runnerName, platformCap, globalCap, budget, now);
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
  public boolean releaseRemoved(Runner removed, Instant now) {
    return delegate.releaseRemoved(removed, now);
  }

  @Override
  public boolean markBusy(String runnerName, JobKey job, Instant now) {
    return delegate.markBusy(runnerName, job, now);
  }

  @Override
  public boolean pair(String free, JobKey from, Job to, String toRunnerBefore, Instant now) {
    return delegate.pair(free, from, to, toRunnerBefore, now);
  }

  @Override
  public boolean adopt(String free, JobKey from, Job queued, Instant now) {
    return delegate.adopt(free, from, queued, now);
  }

  @Override
  public boolean requeue(Job job, String expectedRunner, Instant now) {
    return delegate.requeue(job, expectedRunner, now);
  }

  @Override
  public boolean orphan(String free, String platform, JobKey from, Instant now) {
    return delegate.orphan(free, platform, from, now);
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
