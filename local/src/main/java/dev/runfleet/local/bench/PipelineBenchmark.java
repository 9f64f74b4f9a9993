package dev.runfleet.local.bench;

import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.aws.AwsCallCounts;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.demo.Progress;
import dev.runfleet.local.runtime.RuntimeOptions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * End-to-end throughput of the local pipeline: the demo's workload queued at once, with caps and
 * the launch rate set out of the way and jobs of zero length, so what remains is the pipeline's own
 * cost (signed webhooks through the producer, the stream, the publisher, SNS, the orchestrators,
 * the simulated hosts and GitHub's webhooks back). The demo judges the run: the same guarantees,
 * checked by the same code.
 */
public final class PipelineBenchmark {

  /**
   * @param jobs jobs queued at once
   * @param launchRate the launch-rate parameter, high enough not to be the limit
   * @param timeout how long the fleet may take to drain
   * @param seed the workload's seed (label shapes)
   * @param runnerIdleTimeout the publisher's idle timeout, or null for its default
   * @param warmupJobs the most jobs played through the same runtime first, in rounds of {@code
   *     jobs} each drained before the next, until a round costs about what the one before it did
   *     ({@link WarmUp}); not measured
   */
  public record Options(
      int jobs,
      String launchRate,
      Duration timeout,
      long seed,
      Duration runnerIdleTimeout,
      int warmupJobs) {

    public Options {
      if (jobs < 1) {
        throw new IllegalArgumentException("--jobs must be at least 1: " + jobs);
      }
      if (warmupJobs < 0) {
        throw new IllegalArgumentException("--warmup-jobs must not be negative: " + warmupJobs);
      }
    }

    public static Options defaults() {
      return new Options(2_000, "1000/10000", Duration.ofMinutes(10), 42, null, 16_000);
    }

    /** The demo with every platform's cap and the global cap at the number of jobs. */
    Demo.Options demo() {
      Map<String, Integer> caps = new TreeMap<>();
      PlatformCatalog.defaults().names().forEach(name -> caps.put(name, jobs));
      return new Demo.Options(
          jobs,
          seed,
          caps,
          jobs,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          timeout,
          launchRate,
          RuntimeOptions.Reconcile.DEFAULTS,
          runnerIdleTimeout);
    }
  }

  /**
   * The one JSON line.
   *
   * @param jobs jobs queued (runnable ones and ones for GitHub-hosted labels)
   * @param runnable jobs for our platforms
   * @param seconds from the first webhook to the fleet drained
   * @param jobsPerSecond {@code jobs / seconds}
   * @param runnableJobsPerSecond {@code runnable / seconds}: runners launched and jobs completed
   * @param concludedSeconds from the first webhook to the last job's conclusion at GitHub: {@code
   *     seconds} without the tail in which runners left without work (their job ran on another
   *     runner) wait out the publisher's idle timeout
   * @param concludedJobsPerSecond {@code jobs / concludedSeconds}: the rate at which jobs ran
   * @param cpuMillisPerJob CPU time of the whole JVM (emulators, simulated GitHub and hosts
   *     included) per job of the measured round, to a tenth of a millisecond (start-up and warm-up
   *     left out, JIT compilation and GC during the round included): steadier than the rates when
   *     other work shares the machine
   * @param callsPerJob the AWS calls of the measured round per job, by stage and by service
   *     operation
   * @param checks each guarantee the demo checks, by name, over every round
   * @param warmupJobs jobs played and drained before the measured round
   * @param warmupCpuMillisPerJob each warm-up round's CPU time per job, in order, to a tenth
   * @param warmupSettled whether the warm-up ended because its last round cost about what the one
   *     before it did, rather than at the {@code --warmup-jobs} limit (or with none)
   * @param tieredStopAtLevel the JVM's highest JIT tier: 1 (C1 only) as the functions are deployed
   *     ({@link ColdStartBenchmark#DEPLOYED_JIT_FLAGS}), 4 with C2
   */
  public record Report(
      String benchmark,
      boolean passed,
      int jobs,
      int runnable,
      double seconds,
      double jobsPerSecond,
      double runnableJobsPerSecond,
      double concludedSeconds,
      double concludedJobsPerSecond,
      long queuedToDispatchedP50Ms,
      long queuedToDispatchedP99Ms,
      long queuedToCompletedP50Ms,
      long queuedToCompletedP99Ms,
      double cpuMillisPerJob,
      CallsPerJob callsPerJob,
      Map<String, Boolean> checks,
      List<String> failures,
      String launchRate,
      double loadAverage,
      int warmupJobs,
      List<Double> warmupCpuMillisPerJob,
      boolean warmupSettled,
      int tieredStopAtLevel) {}

  /**
   * AWS calls per job, counted at every SDK client of the JVM ({@link AwsCallCounts}), SQS at
   * ElasticMQ included.
   *
   * @param total every call
   * @param byOperation every call by {@code Service.Operation}, whichever stage made it
   * @param byStage each stage's calls: {@code total} and {@code byOperation}
   */
  public record CallsPerJob(
      double total, Map<String, Double> byOperation, Map<String, StageCalls> byStage) {

    /** {@code counts} (stage, then operation, to calls) divided by {@code jobs}. */
    static CallsPerJob of(Map<String, Map<String, Long>> counts, int jobs) {
      Map<String, Long> all = new TreeMap<>();
      Map<String, StageCalls> byStage = new TreeMap<>();
      counts.forEach(
          (stage, operations) -> {
            operations.forEach((operation, calls) -> all.merge(operation, calls, Long::sum));
            byStage.put(stage, StageCalls.of(operations, jobs));
          });
      StageCalls whole = StageCalls.of(all, jobs);
      return new CallsPerJob(whole.total(), whole.byOperation(), byStage);
    }
  }

  /**
   * @param total the stage's calls per job
   * @param byOperation its calls per job by {@code Service.Operation}
   */
  public record StageCalls(double total, Map<String, Double> byOperation) {

    static StageCalls of(Map<String, Long> operations, int jobs) {
      Map<String, Double> perJob = new TreeMap<>();
      operations.forEach((operation, calls) -> perJob.put(operation, perJob(calls, jobs)));
      long total = operations.values().stream().mapToLong(Long::longValue).sum();
      return new StageCalls(perJob(total, jobs), perJob);
    }

    private static double perJob(long calls, int jobs) {
      return Rates.round((double) calls / Math.max(1, jobs), 2);
    }
  }

  private final Options options;

  public PipelineBenchmark(Options options) {
    this.options = options;
  }

  public Report run(String webhookSecret, PrintWriter out) {
    WarmUp warmUp = new WarmUp(options.warmupJobs(), options.jobs());
    Meter meter = new Meter(warmUp, out);
    Demo.Report demo = new Demo(options.demo()).run(webhookSecret, out, Progress.Mode.OFF, meter);
    double seconds = demo.pipeline().toMillis() / 1000.0;
    double concluded = demo.concluded().toMillis() / 1000.0;
    Demo.Latencies latencies = demo.latencies();
    return new Report(
        "pipeline",
        demo.passed(),
        demo.jobs(),
        demo.runnable(),
        seconds,
        Rates.round(seconds == 0 ? 0 : demo.jobs() / seconds, 1),
        Rates.round(seconds == 0 ? 0 : demo.runnable() / seconds, 1),
        concluded,
        Rates.round(concluded == 0 ? 0 : demo.jobs() / concluded, 1),
        latencies.dispatchP50().toMillis(),
        latencies.dispatchP99().toMillis(),
        latencies.completeP50().toMillis(),
        latencies.completeP99().toMillis(),
        Rates.round(meter.cpuNanos() / 1e6 / Math.max(1, demo.jobs()), 1),
        CallsPerJob.of(meter.totals(), demo.jobs()),
        demo.checks(),
        demo.failures(),
        options.launchRate(),
        Rates.loadAverage(),
        demo.warmupJobs(),
        warmUp.cpuMillisPerJob(),
        warmUp.settled(),
        ChildJvm.tieredStopAtLevel());
  }

  /**
   * When the warm-up is over. From a cold JVM the pipeline's cost per job falls for thousands of
   * jobs while the JIT compiles what it runs: measured on this machine in rounds of 2,000 jobs, 26,
   * 18 and 18 ms of CPU per job with C1 only (as deployed), and with C2 as well 38 to 63, then 25
   * to 39, then 21 to 36 (its compiler threads, on two busy cores, took some 15 % of the CPU for
   * minutes). So rounds of the measured round's size are played until one costs less than {@link
   * #SETTLED} below the round before it, or the limit is reached.
   */
  static final class WarmUp {

    /** A round within this fraction of the one before it (or above it) ends the warm-up. */
    static final double SETTLED = 0.05;

    private final int maxJobs;
    private final int roundJobs;
    private final List<Double> perJob = new ArrayList<>();

    WarmUp(int maxJobs, int roundJobs) {
      this.maxJobs = maxJobs;
      this.roundJobs = roundJobs;
    }

    /** Jobs in the next round, or 0 when the warm-up is over. */
    int next(int played) {
      return played >= maxJobs || settled() ? 0 : Math.min(roundJobs, maxJobs - played);
    }

    /** A round of {@code jobs} jobs took {@code cpuNanos} of the process's CPU time. */
    void played(int jobs, long cpuNanos) {
      perJob.add(cpuNanos / 1e6 / Math.max(1, jobs));
    }

    boolean settled() {
      int n = perJob.size();
      return n >= 2 && perJob.get(n - 1) >= (1 - SETTLED) * perJob.get(n - 2);
    }

    /** Each round's CPU per job in milliseconds, rounded to a tenth. */
    List<Double> cpuMillisPerJob() {
      return perJob.stream().map(ms -> Rates.round(ms, 1)).toList();
    }
  }

  /**
   * The process's CPU time of every round, told to the {@link WarmUp} for the warm-up rounds, and
   * the AWS calls of the measured round.
   */
  private static final class Meter implements Demo.Rounds {

    private final WarmUp warmUp;
    private final PrintWriter out;
    private int roundJobs;
    private long cpuAtStart;
    private long cpuNanos;
    private AwsCallCounts calls;

    Meter(WarmUp warmUp, PrintWriter out) {
      this.warmUp = warmUp;
      this.out = out;
    }

    @Override
    public int nextWarmUp(int warmedUp) {
      roundJobs = warmUp.next(warmedUp);
      return roundJobs;
    }

    @Override
    public void begins(boolean measured) {
      if (measured) {
        calls = AwsCallCounts.start();
      }
      cpuAtStart = processCpuNanos();
    }

    @Override
    public void ends(boolean measured) {
      long cpu = processCpuNanos() - cpuAtStart;
      if (measured) {
        calls.stop();
        cpuNanos = cpu;
        return;
      }
      warmUp.played(roundJobs, cpu);
      List<Double> rounds = warmUp.cpuMillisPerJob();
      out.printf(
          "warm-up round %d: %d jobs, %.1f ms CPU per job, not measured%n",
          rounds.size(), roundJobs, rounds.get(rounds.size() - 1));
      out.flush();
    }

    long cpuNanos() {
      return cpuNanos;
    }

    /** The round's calls; none when it never began (the warm-up did not drain). */
    Map<String, Map<String, Long>> totals() {
      return calls == null ? Map.of() : calls.totals();
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A line for a person, then the JSON line last. */
  public static void print(Report report, PrintStream out) {
    out.printf(
        "%d jobs (%d runnable)%s, JIT %s, in %.1f s: %.1f jobs/s (the last concluded after %.1f s: %.1f"
            + " jobs/s); queued->dispatched p50 %d ms p99 %d ms;"
            + " queued->completed p50 %d ms p99 %d ms; %.1f ms CPU and %.1f AWS calls per job; %s%n",
        report.jobs(),
        report.runnable(),
        warmUp(report),
        ChildJvm.jit(report.tieredStopAtLevel()),
        report.seconds(),
        report.jobsPerSecond(),
        report.concludedSeconds(),
        report.concludedJobsPerSecond(),
        report.queuedToDispatchedP50Ms(),
        report.queuedToDispatchedP99Ms(),
        report.queuedToCompletedP50Ms(),
        report.queuedToCompletedP99Ms(),
        report.cpuMillisPerJob(),
        report.callsPerJob().total(),
        report.passed()
            ? "every guarantee held"
            : "FAILED: " + String.join("; ", report.failures()));
    JsonLine.print(report, out);
  }

  private static String warmUp(Report report) {
    List<Double> rounds = report.warmupCpuMillisPerJob();
    if (rounds.isEmpty()) {
      return " from a cold JVM";
    }
    return String.format(
        " after a warm-up of %d jobs (%d rounds at %s ms CPU per job; %s)",
        report.warmupJobs(),
        rounds.size(),
        rounds.stream().map(String::valueOf).collect(Collectors.joining(", ")),
        report.warmupSettled()
            ? "settled"
            : "NOT settled: the --warmup-jobs limit came first, the measure may be of a JVM still"
                + " compiling");
  }
}
