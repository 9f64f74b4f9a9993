package dev.runfleet.publisher.properties;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.ForwardingFlowControlStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The real store with a recorder around {@link #reserve}: which caps each reservation carried, when
 * it ran, and the stream changes a successful one commits. A hook may run just before a
 * reservation, which lets a test place a concurrent writer exactly between a publisher's read of
 * the queue index and its transaction.
 */
final class RecordingStore extends ForwardingFlowControlStore {

  /** A reservation that committed, with the wall-clock interval its commit lies in. */
  record Reserved(
      String runner,
      Job job,
      int platformCap,
      int globalCap,
      long startedNanos,
      long returnedNanos) {}

  private final TunableSettings settings;
  private final LongSupplier nanos;
  private final Set<String> expectedRunners = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> platformCapTried = new ConcurrentHashMap<>();
  private final Map<String, Integer> globalCapTried = new ConcurrentHashMap<>();
  private final Queue<Reserved> reserved = new ConcurrentLinkedQueue<>();
  private final Queue<String> problems = new ConcurrentLinkedQueue<>();
  private final Queue<Committed> committed = new ConcurrentLinkedQueue<>();
  private final Map<Reservation, Integer> outcomes = new ConcurrentHashMap<>();
  private volatile Consumer<Job> beforeReserve = job -> {};
  private volatile Consumer<Reserved> afterReserved = r -> {};

  /** A change the table's stream carries for a committed reservation. */
  sealed interface Committed {
    record RunnerCreated(Runner runner) implements Committed {}

    record JobDispatched(Job before, Job after) implements Committed {}
  }

  RecordingStore(FlowControlStore delegate, TunableSettings settings, LongSupplier nanos) {
    super(delegate);
    this.settings = settings;
    this.nanos = nanos;
  }

  /** Runner names a reservation may use; any other name is a problem. */
  void expectRunner(String name) {
    expectedRunners.add(name);
  }

  Set<String> expectedRunners() {
    return Set.copyOf(expectedRunners);
  }

  void beforeReserve(Consumer<Job> hook) {
    this.beforeReserve = hook;
  }

  void afterReserved(Consumer<Reserved> hook) {
    this.afterReserved = hook;
  }

  /**
   * The highest platform cap any attempt under this runner name carried: an upper bound of the cap
   * its committed reservation was checked against.
   */
  OptionalInt platformCapOf(String runner) {
    Integer cap = platformCapTried.get(runner);
    return cap == null ? OptionalInt.empty() : OptionalInt.of(cap);
  }

  OptionalInt globalCapOf(String runner) {
    Integer cap = globalCapTried.get(runner);
    return cap == null ? OptionalInt.empty() : OptionalInt.of(cap);
  }

  /** Committed reservations in the order their calls returned. */
  List<Reserved> reserved() {
    return new ArrayList<>(reserved);
  }

  int reservedCount() {
    return reserved.size();
  }

  /** How many reservation calls ended with {@code outcome}. */
  int count(Reservation outcome) {
    return outcomes.getOrDefault(outcome, 0);
  }

  List<String> problems() {
    return new ArrayList<>(problems);
  }

  void problem(String text) {
    problems.add(text);
  }

  /** Takes the stream changes of reservations committed since the last call, oldest first. */
  List<Committed> drainCommitted() {
    List<Committed> out = new ArrayList<>();
    for (Committed c; (c = committed.poll()) != null; ) {
      out.add(c);
    }
    return out;
  }

  @Override
  public Reservation reserve(
      Job job,
      String runnerName,
      int platformCap,
      int globalCap,
      LaunchBudget budget,
      Instant now) {
    if (!expectedRunners.contains(runnerName)) {
      problems.add(
          "reservation under an unexpected runner name " + runnerName + " for " + job.key());
    }
    checkCapWasRead(job.platform(), platformCap);
    checkCapWasRead(TunableSettings.GLOBAL, globalCap);
    // Recorded before the call: a snapshot taken while the transaction commits must find its cap.
    platformCapTried.merge(runnerName, platformCap, Math::max);
    globalCapTried.merge(runnerName, globalCap, Math::max);
    // A hook may run a whole pass of another publisher on this thread; this pass's reads stand.
    Map<String, Integer> reads = settings.readsOfThisThread();
    beforeReserve.accept(job);
    settings.restoreReadsOfThisThread(reads);
    long started = nanos.getAsLong();
    Reservation result = delegate.reserve(job, runnerName, platformCap, globalCap, budget, now);
    long returned = nanos.getAsLong();
    outcomes.merge(result, 1, Integer::sum);
    if (result == Reservation.RESERVED) {
      Runner runner =
          new Runner(
              runnerName,
              job.platform(),
              job.key(),
              GitHubScope.of(job),
              RunnerStatus.REQUESTED,
              null,
              null,
              false,
              null,
              now,
              now);
      Job dispatched =
          new Job(
              job.key(),
              job.runId(),
              job.repository(),
              job.organization(),
              job.installationId(),
              job.labels(),
              job.platform(),
              JobStatus.DISPATCHED,
              null,
              job.queuedAt(),
              runnerName,
              job.ranOn(),
              job.dispatchCount() + 1,
              job.version() + 1,
              now);
      committed.add(new Committed.JobDispatched(job, dispatched));
      committed.add(new Committed.RunnerCreated(runner));
      Reserved r = new Reserved(runnerName, job, platformCap, globalCap, started, returned);
      reserved.add(r);
      afterReserved.accept(r);
    }
    return result;
  }

  private void checkCapWasRead(String platformOrGlobal, int cap) {
    OptionalInt read = settings.lastReadByThisThread(platformOrGlobal);
    if (read.isEmpty() || read.getAsInt() != cap) {
      problems.add(
          "reservation carried cap "
              + cap
              + " for "
              + platformOrGlobal
              + " but its pass read "
              + (read.isEmpty() ? "none" : read.getAsInt()));
    }
  }

  // ---- plain delegation ----

}
