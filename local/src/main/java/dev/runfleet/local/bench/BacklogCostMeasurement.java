package dev.runfleet.local.bench;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.local.bench.DispatchBenchmark.BacklogCost;
import dev.runfleet.local.bench.DispatchBenchmark.Options;
import dev.runfleet.publisher.adapter.DynamoDbFlowControlStore;
import dev.runfleet.publisher.flow.FlowController;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost per dispatched job with a large backlog queued, against the cost with a small one, each
 * in its own table. Passes alternate between the two, each backlog refilled to its size before
 * every pass, after a warm-up that is discarded (the JIT, the emulator's caches); the median pass
 * counts.
 */
final class BacklogCostMeasurement {

  private static final String SMALL_TABLE = "bench-small";
  private static final String LARGE_TABLE = "bench-large";

  /**
   * The highest launch rate the parameter accepts: the budget still moves in every reservation, as
   * in production, but never makes this measurement wait.
   */
  static final LaunchRate UNLIMITED = new LaunchRate(1000, 10_000);

  /** Far above anything a run dispatches: the platform cap is what bounds a pass. */
  private static final int GLOBAL_CAP = 10_000_000;

  /**
   * @param small the cost at the small backlog
   * @param large the cost at the large backlog
   * @param ratio the large backlog's median ms per job over the small one's
   * @param measuredJobs jobs dispatched from each backlog in measured passes
   * @param warmupJobs jobs dispatched from each backlog before measuring
   * @param load how long the large backlog took to load
   */
  record Result(
      BacklogCost small,
      BacklogCost large,
      double ratio,
      int measuredJobs,
      int warmupJobs,
      Duration load) {}

  private final BenchBed bed;
  private final Options options;

  BacklogCostMeasurement(BenchBed bed, Options options) {
    this.bed = bed;
    this.options = options;
  }

  Result measure(PrintStream out) {
    Backlog small = backlog(SMALL_TABLE);
    Backlog large = backlog(LARGE_TABLE);
    Duration smallLoad = small.fill(options.small());
    out.printf("loaded %d queued jobs in %.1f s%n", options.small(), seconds(smallLoad));
    Duration largeLoad = large.fill(options.large());
    out.printf(
        "loaded %d queued jobs in %.1f s (%.0f jobs/s, %d threads; setup, not measured)%n",
        options.large(),
        seconds(largeLoad),
        options.large() / Math.max(1e-9, seconds(largeLoad)),
        options.loadThreads());

    int warmupPasses = passes(options.warmup());
    for (int pass = 0; pass < warmupPasses; pass++) {
      small.pass(false);
      large.pass(false);
    }
    out.printf(
        "warm-up: %d jobs dispatched from each backlog, discarded%n",
        warmupPasses * options.batch());
    int passes = passes(options.measure());
    for (int pass = 0; pass < passes; pass++) {
      // Alternate which backlog goes first, so neither always follows the other's writes.
      Backlog first = pass % 2 == 0 ? small : large;
      Backlog second = first == small ? large : small;
      first.pass(true);
      second.pass(true);
    }
    BacklogCost smallCost = small.cost();
    BacklogCost largeCost = large.cost();
    print(out, smallCost);
    print(out, largeCost);
    double ratio = largeCost.msPerJob() / smallCost.msPerJob();
    out.printf(
        "backlog cost ratio (%d / %d): %.3f (DynamoDB calls per job: %.3f vs %.3f)%n",
        options.large(), options.small(), ratio, largeCost.callsPerJob(), smallCost.callsPerJob());
    return new Result(
        smallCost,
        largeCost,
        ratio,
        passes * options.batch(),
        warmupPasses * options.batch(),
        largeLoad);
  }

  private Backlog backlog(String table) {
    EmbeddedDynamoDb.createJobsTable(bed.client(), table);
    BenchSettings settings = new BenchSettings(0, GLOBAL_CAP, UNLIMITED);
    FlowController flow =
        bed.controller(new DynamoDbFlowControlStore(bed.client(), table), settings);
    return new Backlog(bed.queue(table), settings, flow);
  }

  private int passes(int jobs) {
    return (jobs + options.batch() - 1) / options.batch();
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static void print(PrintStream out, BacklogCost cost) {
    out.printf(
        "backlog %7d: %.3f ms/job (median of %d passes; mean %.3f), %.3f DynamoDB calls/job,"
            + " ms/job in calls %s%s%n",
        cost.backlog(),
        cost.msPerJob(),
        cost.passes(),
        cost.meanMsPerJob(),
        cost.callsPerJob(),
        cost.msPerJobByOperation(),
        cost.capacityUnitsPerJob() == null
            ? ""
            : String.format(", %.2f capacity units/job", cost.capacityUnitsPerJob()));
  }

  /** One table's queue, kept at its size, and the controller that dispatches from it. */
  private final class Backlog {
    private final QueuedJobs jobs;
    private final BenchSettings settings;
    private final FlowController flow;
    private final List<Double> msPerJob = new ArrayList<>();
    private int size;
    private int inFlight;
    private int measuredJobs;
    private long measuredNanos;
    private CallCounter.Snapshot measuredCalls = CallCounter.Snapshot.EMPTY;

    Backlog(QueuedJobs jobs, BenchSettings settings, FlowController flow) {
      this.jobs = jobs;
      this.settings = settings;
      this.flow = flow;
    }

    Duration fill(int count) {
      size += count;
      return jobs.append(count, options.loadThreads());
    }

    /**
     * One dispatch pass of the real controller, allowed one batch by the platform cap; then the
     * backlog is refilled to its size (not measured).
     */
    void pass(boolean measured) {
      settings.platformCap(inFlight + options.batch());
      CallCounter.Snapshot before = bed.counter().snapshot();
      long startedAt = System.nanoTime();
      int dispatched = flow.sweep();
      long nanos = System.nanoTime() - startedAt;
      CallCounter.Snapshot calls = bed.counter().snapshot().minus(before);
      if (dispatched != options.batch()) {
        throw new IllegalStateException(
            jobs.table()
                + ": a pass dispatched "
                + dispatched
                + " jobs, expected "
                + options.batch());
      }
      inFlight += dispatched;
      jobs.append(dispatched, 1);
      if (measured) {
        msPerJob.add(nanos / 1e6 / dispatched);
        measuredJobs += dispatched;
        measuredNanos += nanos;
        measuredCalls = measuredCalls.plus(calls);
      }
    }

    BacklogCost cost() {
      return new BacklogCost(
          size,
          measuredJobs,
          msPerJob.size(),
          Rates.round(
              Rates.median(msPerJob.stream().mapToDouble(Double::doubleValue).toArray()), 4),
          Rates.round(measuredNanos / 1e6 / measuredJobs, 4),
          Rates.round((double) measuredCalls.total() / measuredJobs, 3),
          measuredCalls.callsPer(measuredJobs),
          measuredCalls.millisPer(measuredJobs),
          measuredCalls.callsWithCapacity() > 0
              ? Rates.round(measuredCalls.capacityUnits() / measuredJobs, 3)
              : null);
    }
  }
}
