package dev.runfleet.common.port;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The publisher's view of the jobs table: the FIFO index of queued jobs, the slot counters, and the
 * atomic steps that move jobs and runners between states. Every mutating call is one conditional
 * write or one transaction, so any number of publishers may run at once; each answers false (or a
 * refusal) when its precondition no longer holds, which makes every step safe to repeat.
 */
public interface FlowControlStore {

  /** Runners holding a slot of {@code platform}, or of all platforms for {@code "global"}. */
  int inFlight(String platformOrGlobal);

  /**
   * Up to {@code limit} queued jobs of {@code platform}, oldest first, read from the queue index.
   */
  List<Job> oldestQueued(String platform, int limit);

  Optional<Job> job(JobKey key);

  Optional<Runner> runner(String name);

  /**
   * In one transaction: the job moves from QUEUED to DISPATCHED, the platform and global counters
   * each take a slot while below their caps, a REQUESTED runner record is created holding that
   * slot, and the fleet's launch budget moves from {@code budget.expectedTat()} to {@code
   * budget.newTat()} (refused if another publisher moved it).
   */
  Reservation reserve(
      Job job, String runnerName, int platformCap, int globalCap, LaunchBudget budget, Instant now);

  /**
   * The launch budget's step in a reservation, as a generic cell rate algorithm: the budget is one
   * number, the theoretical arrival time (TAT, epoch microseconds) of the next spin-up.
   *
   * @param expectedTat the TAT this publisher last saw, or {@code -1} when the budget was never
   *     used
   * @param newTat the TAT after this reservation
   */
  record LaunchBudget(long expectedTat, long newTat) {}

  /** The launch budget's TAT in epoch microseconds, or {@code -1} when it was never used. */
  long launchBudgetTat();

  /**
   * Claims the fleet's one pending wake-up for {@code at}: true when no wake-up is pending (none
   * was claimed, or the last one claimed was due by {@code now}), and the caller then arranges it;
   * false when one is pending already, which will dispatch in its turn.
   */
  boolean claimWakeUp(Instant at, Instant now);

  /**
   * Counts a request for a dispatch pass on the fleet's one dispatcher item (single flight: one
   * pass at a time for the fleet). True when no pass held the lease and this caller took it until
   * {@code leaseUntil} for the pass it now starts (the pass's {@link #claimPass} takes it over);
   * false when a pass is running or starting, which finds the count changed when it tries to let go
   * and passes once more, so no request is lost.
   */
  boolean requestPass(Instant now, Instant leaseUntil);

  /**
   * Takes the fleet's dispatch lease for {@code owner} until {@code leaseUntil}: the requests
   * counted so far, or empty while another pass holds a lease that has not expired.
   */
  OptionalLong claimPass(String owner, Instant now, Instant leaseUntil);

  /**
   * Lets go of {@code owner}'s lease if no request was counted since {@code seen}: empty. When one
   * was, the lease is kept until {@code leaseUntil} and the new count returned: the caller passes
   * again. Empty too when the lease is no longer {@code owner}'s (it expired and another pass took
   * it).
   */
  OptionalLong releasePass(String owner, long seen, Instant leaseUntil);

  /** Lets go of {@code owner}'s lease whatever was asked meanwhile (a pass that failed). */
  void abandonPass(String owner);

  /**
   * GitHub runs {@code job} on {@code runnerName}: the runner is marked BUSY on it when it waits
   * for work (REQUESTED or LAUNCHED) linked to that job (its own) or to none (an orphan), in one
   * conditional write. Otherwise nothing changes, and the answer carries the runner as the refused
   * write found it (the failed condition returns the item: no read) for the caller to settle.
   */
  BusyMark markBusyIfFree(String runnerName, JobKey job, Instant now);

  /**
   * Outcome of {@link #markBusyIfFree}.
   *
   * @param marked the runner is now BUSY on the job
   * @param found when not marked: the runner as it was, or empty when there is no such runner
   */
  record BusyMark(boolean marked, Optional<Runner> found) {

    public static final BusyMark MARKED = new BusyMark(true, Optional.empty());

    public static BusyMark refused(Optional<Runner> found) {
      return new BusyMark(false, found);
    }
  }

  /** Outcome of {@link #reserve}. */
  enum Reservation {
    RESERVED,
    /** The job is no longer QUEUED (dispatched by another publisher, started, completed). */
    JOB_NOT_QUEUED,
    PLATFORM_FULL,
    GLOBAL_FULL,
    /** Another publisher used the launch budget since it was read: read it again. */
    BUDGET_MOVED,
    /** Concurrent transactions on the same items: try again. */
    CONTENDED
  }

  /**
   * Gives a terminal runner's slot back, exactly once across all callers; in the same transaction,
   * when {@code requeue} is set, the job the runner was requested for goes back to QUEUED (keeping
   * its queue time) if it is still DISPATCHED on this runner.
   *
   * @return true when this call released the slot
   */
  boolean release(Runner runner, Job requeue, Instant now);

  /**
   * Gives back the slot of a runner whose record is gone (removed by TTL) while it still held one,
   * exactly once however often the removal is delivered: a marker written in the same transaction
   * records the release.
   *
   * @return true when this call released the slot
   */
  boolean releaseRemoved(Runner removed, Instant now);

  /**
   * The runner now runs {@code job}: BUSY, linked to it. False when the runner is already terminal.
   */
  boolean markBusy(String runnerName, JobKey job, Instant now);

  /**
   * A runner that was requested for {@code from} but is free (its job ran elsewhere) takes over
   * {@code to}, a DISPATCHED job whose runner was taken by another job: no slot changes hands.
   */
  boolean pair(String free, JobKey from, Job to, String toRunnerBefore, Instant now);

  /** A free runner takes a QUEUED job (QUEUED → DISPATCHED on that runner, no new slot). */
  boolean adopt(String free, JobKey from, Job queued, Instant now);

  /** A DISPATCHED job whose runner ran another job goes back to QUEUED, keeping its queue time. */
  boolean requeue(Job job, String expectedRunner, Instant now);

  /**
   * A free runner with no job to take keeps its slot, linked to no job, until it gets work or times
   * out.
   */
  boolean orphan(String free, String platform, JobKey from, Instant now);

  /**
   * Runners of {@code platform} that began waiting for work before {@code before}, oldest first.
   * The listing may hold runners that found work or ended since: callers re-check each.
   */
  List<Runner> idleSince(String platform, Instant before, int limit);

  /** Takes a runner off the idle listing (it got work, ended, or was sent its tear-down). */
  void clearIdle(String runnerName);
}
