package dev.runfleet.local.bench;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.local.runtime.LocalMetrics;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code runfleet bench dispatch}: the publisher's real flow controller and store on the embedded
 * DynamoDB in this JVM, measured twice: what a dispatch costs at a large backlog against a small
 * one ({@link BacklogCostMeasurement}), and the launch rate several publishers achieve together
 * under the shared budget ({@link LaunchRateMeasurement}). Prints lines for people, then one JSON
 * object as the last line.
 */
public final class DispatchBenchmark {

  /**
   * @param small jobs queued in the small backlog
   * @param large jobs queued in the large backlog
   * @param measure jobs dispatched from each backlog in the measured passes
   * @param batch jobs one pass dispatches (25 by default, the controller's page)
   * @param warmup jobs dispatched from each backlog before measuring, then discarded
   * @param rate the launch budget of the rate run
   * @param publishers controllers sweeping at once in the rate run
   * @param rateJobs jobs queued for the rate run
   * @param loadThreads threads loading the backlogs
   */
  public record Options(
      int small,
      int large,
      int measure,
      int batch,
      int warmup,
      LaunchRate rate,
      int publishers,
      int rateJobs,
      int loadThreads) {

    public Options {
      require(batch >= 1, "batch must be at least 1");
      require(small >= batch, "the small backlog must hold at least one batch (" + batch + ")");
      require(large >= small, "the large backlog must be at least the small one");
      require(measure >= batch, "measure must be at least one batch (" + batch + ")");
      require(warmup >= 0, "warmup must not be negative");
      require(publishers >= 1, "publishers must be at least 1");
      require(rateJobs >= 2, "rate jobs must be at least 2");
      require(loadThreads >= 1, "load threads must be at least 1");
    }

    public static Options defaults() {
      return new Options(100, 100_000, 400, 25, 200, new LaunchRate(20, 1), 4, 200, 4);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /**
   * What dispatching cost at one backlog size, per dispatched job.
   *
   * @param backlog jobs queued when each pass started
   * @param jobs jobs dispatched in the measured passes
   * @param passes measured passes
   * @param msPerJob the median pass's milliseconds per job
   * @param meanMsPerJob all measured passes' milliseconds per job
   * @param callsPerJob DynamoDB calls per job
   * @param callsPerJobByOperation the same, by operation
   * @param msPerJobByOperation milliseconds per job spent in DynamoDB calls, by operation: what the
   *     time goes to
   * @param capacityUnitsPerJob consumed capacity per job as the emulator reports it (one unit per
   *     call: it has no capacity model), or null when it reports none
   */
  public record BacklogCost(
      int backlog,
      int jobs,
      int passes,
      double msPerJob,
      double meanMsPerJob,
      double callsPerJob,
      Map<String, Double> callsPerJobByOperation,
      Map<String, Double> msPerJobByOperation,
      Double capacityUnitsPerJob) {}

  /**
   * The rate run beyond its headline numbers.
   *
   * @param jobs jobs queued
   * @param reserved reservations made before the run ended
   * @param seconds from the publishers' start to the last one's end
   * @param achievedRateAtCommit the achieved rate over the instants each reservation's transaction
   *     had committed, where the headline counts the instants they were decided
   * @param peakRateAtCommit the peak over those instants
   * @param reserveMsMedian the median time from a reservation's decision to its commit
   * @param reserveMsMax the longest such time: with a burst of 1, a reservation slower than {@code
   *     1 / rate} delays the next one and the budget cannot catch up
   * @param attempts how many reservation attempts ended how (lost races included)
   * @param callsPerJob DynamoDB calls per reservation, lost races included
   * @param callsPerJobByOperation the same, by operation
   * @param failedPasses passes that failed on the store and were run again
   */
  public record RateRun(
      int jobs,
      int reserved,
      double seconds,
      double achievedRateAtCommit,
      int peakRateAtCommit,
      double reserveMsMedian,
      double reserveMsMax,
      Map<String, Long> attempts,
      double callsPerJob,
      Map<String, Double> callsPerJobByOperation,
      int failedPasses) {}

  /**
   * The benchmark's result, printed as the last line.
   *
   * @param backlogCostRatio median ms per job at the large backlog over the same at the small one
   * @param configuredRate the launch budget's rate per second
   * @param configuredBurst the launch budget's burst
   * @param achievedRate {@code (n - 1) / (last - first)} over the reservations' instants: when the
   *     controller decided each, the instant that becomes the runner's {@code createdAt}
   * @param peakRate the most reservations in any one-second window {@code [t, t + 1 s)}
   * @param peakRateLimit the most the budget allows in one such window: {@code burst + ⌈rate⌉ - 1}
   * @param small the cost at the small backlog
   * @param large the cost at the large backlog
   * @param jobsMeasured jobs dispatched from each backlog in measured passes
   * @param batch jobs per pass
   * @param warmupJobs jobs dispatched from each backlog before measuring
   * @param loadSeconds time to load the large backlog (setup, not measured)
   * @param publishers controllers in the rate run
   * @param rate the rate run's details
   * @param cores processors available to this JVM
   * @param loadAverage the system's one-minute load average when the run ended: other work on the
   *     machine slows the emulator, and the numbers with it
   * @param elapsedSeconds the whole benchmark, emulator start included
   */
  public record Report(
      double backlogCostRatio,
      double configuredRate,
      int configuredBurst,
      double achievedRate,
      int peakRate,
      int peakRateLimit,
      BacklogCost small,
      BacklogCost large,
      int jobsMeasured,
      int batch,
      int warmupJobs,
      double loadSeconds,
      int publishers,
      RateRun rate,
      int cores,
      double loadAverage,
      double elapsedSeconds) {}

  private final Options options;
  private final Clock clock = Clock.systemUTC();
  private final CallCounter counter = new CallCounter();

  public DispatchBenchmark(Options options) {
    this.options = options;
  }

  /** Runs both measurements, printing progress to {@code out}, and returns the result. */
  public Report run(PrintStream out) {
    long started = System.nanoTime();
    LocalMetrics.install();
    Telemetry telemetry = new Telemetry("bench");
    Platform platform = PlatformCatalog.defaults().all().get(0);
    Instant queuedSince = clock.instant().minus(Duration.ofDays(1));
    out.printf(
        "runfleet bench dispatch: the publisher's controller and store on the embedded DynamoDB in this"
            + " JVM, platform %s%n",
        platform.name());
    try (QuietLogs quiet = QuietLogs.quiet()) {
      BacklogCostMeasurement.Result backlog;
      // Each measurement gets its own emulator, so the second does not start on the first's data.
      try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0);
          DynamoDbClient client = countedClient(dynamoDb)) {
        BenchBed bed = new BenchBed(client, counter, platform, telemetry, clock, queuedSince);
        backlog = new BacklogCostMeasurement(bed, options).measure(out);
      }
      LaunchRateMeasurement.Result rate;
      try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0);
          DynamoDbClient client = countedClient(dynamoDb)) {
        BenchBed bed = new BenchBed(client, counter, platform, telemetry, clock, queuedSince);
        rate = new LaunchRateMeasurement(bed, options).measure(out);
      }
      LaunchRate configured = options.rate();
      return new Report(
          Rates.round(backlog.ratio(), 3),
          configured.perSecond(),
          configured.burst(),
          Rates.round(rate.achieved(), 3),
          rate.peak(),
          Rates.peakLimit(configured.perSecond(), configured.burst()),
          backlog.small(),
          backlog.large(),
          backlog.measuredJobs(),
          options.batch(),
          backlog.warmupJobs(),
          Rates.round(backlog.load().toNanos() / 1e9, 2),
          options.publishers(),
          rate.run(),
          Runtime.getRuntime().availableProcessors(),
          Rates.loadAverage(),
          Rates.round((System.nanoTime() - started) / 1e9, 1));
    }
  }

  /** The closing lines: a summary for people, then the report as one JSON line. */
  public static void print(Report report, PrintStream out) {
    out.printf(
        "result: backlog cost ratio %.3f (goal <= 1.2); achieved %.2f/s of %s/s configured"
            + " (goal within 5%%), peak %d in one second (the budget allows %d); %.1f s in all,"
            + " load average %.2f on %d cores%n",
        report.backlogCostRatio(),
        report.achievedRate(),
        formatRate(report.configuredRate()),
        report.peakRate(),
        report.peakRateLimit(),
        report.elapsedSeconds(),
        report.loadAverage(),
        report.cores());
    JsonLine.print(report, out);
  }

  // ---- plumbing ----

  private DynamoDbClient countedClient(EmbeddedDynamoDb dynamoDb) {
    var builder = new AwsClients(dynamoDb.settings()).configure(DynamoDbClient.builder());
    return builder
        .overrideConfiguration(
            builder.overrideConfiguration().toBuilder().addExecutionInterceptor(counter).build())
        .build();
  }

  private static String formatRate(double perSecond) {
    return perSecond == Math.rint(perSecond)
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }
}
