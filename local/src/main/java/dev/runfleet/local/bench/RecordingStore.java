package dev.runfleet.local.bench;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.ForwardingFlowControlStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The real store, with every successful reservation written down: when the controller decided it
 * (the instant it passed, which becomes the runner's {@code createdAt}) and when its transaction
 * had committed. Every attempt's outcome is counted.
 */
final class RecordingStore extends ForwardingFlowControlStore {

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

  private final Clock clock;
  private final Log log;

  RecordingStore(FlowControlStore delegate, Clock clock, Log log) {
    super(delegate);
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
}
