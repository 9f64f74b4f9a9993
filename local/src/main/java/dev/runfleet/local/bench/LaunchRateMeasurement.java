package dev.runfleet.local.bench;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.local.bench.DispatchBenchmark.Options;
import dev.runfleet.local.bench.DispatchBenchmark.RateRun;
import dev.runfleet.publisher.adapter.DynamoDbFlowControlStore;
import dev.runfleet.publisher.flow.FlowController;
import dev.runfleet.publisher.flow.FlowSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Several controllers sweep one queue at once, as concurrent publisher invocations do, with caps
 * high enough that only the shared launch budget holds them back; every reservation's instants are
 * recorded and the rate is read from them.
 */
final class LaunchRateMeasurement {

  private static final String TABLE = "bench-rate";

  /** A publisher pass that dispatched nothing waits this long before the next, as Lambda would. */
  private static final Duration IDLE_PASS_PAUSE = Duration.ofMillis(5);

  /**
   * @param achieved the achieved rate over the instants the reservations were decided
   * @param peak the most reservations decided in any one-second window
   * @param run the details
   */
  record Result(double achieved, int peak, RateRun run) {}

  private final BenchBed bed;
  private final Options options;

  LaunchRateMeasurement(BenchBed bed, Options options) {
    this.bed = bed;
    this.options = options;
  }

  Result measure(PrintStream out) {
    EmbeddedDynamoDb.createJobsTable(bed.client(), TABLE);
    bed.queue(TABLE).append(options.rateJobs(), options.loadThreads());
    FlowSettings settings =
        new BenchSettings(options.rateJobs(), options.rateJobs(), options.rate());
    RecordingStore.Log log = new RecordingStore.Log();
    List<FlowController> publishers = new ArrayList<>();
    for (int i = 0; i < options.publishers(); i++) {
      publishers.add(
          bed.controller(
              new RecordingStore(
                  new DynamoDbFlowControlStore(bed.client(), TABLE), bed.clock(), log),
              settings));
    }
    out.printf(
        "rate: %d publishers sweep %d queued jobs under a launch budget of %s%n",
        options.publishers(), options.rateJobs(), options.rate());

    CallCounter.Snapshot before = bed.counter().snapshot();
    long startedAt = System.nanoTime();
    AtomicInteger failedPasses = runAll(publishers, log, out);
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    CallCounter.Snapshot calls = bed.counter().snapshot().minus(before);

    List<RecordingStore.Reserved> reserved = log.entries();
    List<Instant> committed = reserved.stream().map(RecordingStore.Reserved::committed).toList();
    List<Instant> decided =
        reserved.stream().map(RecordingStore.Reserved::decided).sorted().toList();
    double[] reserveMs =
        reserved.stream()
            .mapToDouble(r -> Duration.between(r.decided(), r.committed()).toNanos() / 1e6)
            .toArray();
    Map<String, Long> attempts = new TreeMap<>();
    log.outcomes().forEach((outcome, n) -> attempts.put(outcome.name(), n));
    int jobs = Math.max(1, reserved.size());
    LaunchRate rate = options.rate();
    Result result =
        new Result(
            Rates.achieved(decided),
            Rates.peakPerSecond(decided),
            new RateRun(
                options.rateJobs(),
                reserved.size(),
                Rates.round(seconds, 2),
                Rates.round(Rates.achieved(committed), 3),
                Rates.peakPerSecond(committed),
                Rates.round(Rates.median(reserveMs.clone()), 2),
                Rates.round(Arrays.stream(reserveMs).max().orElse(0), 2),
                attempts,
                Rates.round((double) calls.total() / jobs, 3),
                calls.callsPer(jobs),
                failedPasses.get()));
    RateRun run = result.run();
    out.printf(
        "rate: %d of %d reserved in %.2f s: achieved %.2f/s (budget %s), peak %d in any"
            + " one second (the budget allows %d); at commit: %.2f/s, peak %d%n",
        run.reserved(),
        run.jobs(),
        seconds,
        result.achieved(),
        rate,
        result.peak(),
        Rates.peakLimit(rate.perSecond(), rate.burst()),
        run.achievedRateAtCommit(),
        run.peakRateAtCommit());
    out.printf(
        "rate: decision to commit %.1f ms median, %.1f ms at most; attempts %s;"
            + " %.2f DynamoDB calls/job %s; %d failed passes%n",
        run.reserveMsMedian(),
        run.reserveMsMax(),
        run.attempts(),
        run.callsPerJob(),
        run.callsPerJobByOperation(),
        run.failedPasses());
    return result;
  }

  /** Starts every publisher at once and waits for all; returns how many passes failed. */
  private AtomicInteger runAll(
      List<FlowController> publishers, RecordingStore.Log log, PrintStream out) {
    double expectedSeconds = options.rateJobs() / options.rate().perSecond();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) (expectedSeconds * 2) + 30);
    AtomicInteger failedPasses = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(publishers.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (FlowController publisher : publishers) {
        running.add(
            pool.submit(
                () -> {
                  start.await();
                  publish(publisher, log, deadline, failedPasses, out);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> publisher : running) {
        publisher.get();
      }
      return failedPasses;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the rate run was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a publisher failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One publisher: passes back to back until every job is reserved (or the deadline passed), as
   * invocations triggered by a steady flow of changes would run.
   */
  private void publish(
      FlowController publisher,
      RecordingStore.Log log,
      long deadline,
      AtomicInteger failedPasses,
      PrintStream out) {
    while (log.count() < options.rateJobs() && System.nanoTime() < deadline) {
      try {
        if (publisher.sweep() == 0) {
          LockSupport.parkNanos(IDLE_PASS_PAUSE.toNanos());
        }
      } catch (StoreUnavailableException e) {
        // Lambda would run the invocation again: so does this loop, and the report counts it.
        failedPasses.incrementAndGet();
        out.println("rate: a publisher pass failed and runs again: " + e.getMessage());
      }
    }
  }
}
