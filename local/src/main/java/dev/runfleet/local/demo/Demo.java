package dev.runfleet.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.SimulatedHosts;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Plays a workload through the local runtime and judges it: every runnable job completed, every
 * GitHub-hosted job ignored, no platform and no fleet ever above its cap in compute, every runner
 * stopped and every slot returned.
 */
public final class Demo {

  /**
   * @param jobs how many jobs to queue
   * @param seed the workload's random seed
   * @param caps cap per platform
   * @param globalCap cap across platforms
   * @param spacing time between two queued jobs
   * @param jobMin shortest job
   * @param jobMax longest job
   * @param timeout how long to wait for the fleet to drain
   * @param launchRate the fleet's launch-rate parameter ("R/B")
   * @param reconcile the reconciler's interval and deadlines
   * @param runnerIdleTimeout the publisher's idle timeout, or null for its default
   */
  public record Options(
      int jobs,
      long seed,
      Map<String, Integer> caps,
      int globalCap,
      Duration spacing,
      Duration jobMin,
      Duration jobMax,
      Duration timeout,
      String launchRate,
      RuntimeOptions.Reconcile reconcile,
      Duration runnerIdleTimeout) {

    public static Options defaults() {
      return new Options(
          240,
          42,
          Map.of("fargate", 4, "ec2-linux-x64", 3, "ec2-linux-arm64", 2),
          8,
          Duration.ofMillis(10),
          Duration.ofMillis(100),
          Duration.ofMillis(400),
          Duration.ofMinutes(4),
          "20/10",
          RuntimeOptions.Reconcile.DEFAULTS,
          null);
    }
  }

  /**
   * Latencies per runnable job, from GitHub queuing it: to the publisher's dispatch (its first
   * runner's creation) and to GitHub's {@code completed}.
   */
  public record Latencies(
      Duration dispatchP50, Duration dispatchP99, Duration completeP50, Duration completeP99) {}

  /** What the demo measured; {@code checks} holds each guarantee by name and whether it held. */
  public record Report(
      boolean passed,
      List<String> failures,
      Map<String, Boolean> checks,
      int jobs,
      int runnable,
      Map<JobStatus, Integer> byStatus,
      Map<String, Integer> launched,
      Map<String, Integer> peak,
      Map<String, Integer> caps,
      Duration queueP50,
      Duration queueP95,
      Duration pipeline,
      Duration concluded,
      Duration total,
      int webhooks,
      int webhookFailures,
      Latencies latencies,
      int warmupJobs) {

    public double jobsPerSecond() {
      return pipeline.isZero() ? 0 : jobs * 1000.0 / pipeline.toMillis();
    }

    /**
     * Jobs per second up to the last conclusion: the rate at which the pipeline ran jobs, without
     * the tail in which runners left without work wait out their idle timeout before the fleet
     * drains.
     */
    public double concludedJobsPerSecond() {
      return concluded.isZero() ? 0 : jobs * 1000.0 / concluded.toMillis();
    }
  }

  private final Options options;

  public Demo(Options options) {
    this.options = options;
  }

  /** The runtime this demo plays against: its platforms, caps and launch rate from the options. */
  public RuntimeOptions runtimeOptions(String webhookSecret) {
    PlatformCatalog platforms = PlatformCatalog.defaults().withCaps(options.caps());
    return RuntimeOptions.defaults(webhookSecret)
        .withPort(0)
        .withPlatforms(platforms, options.globalCap())
        .withLaunchRate(options.launchRate())
        .withReconcile(options.reconcile())
        .withRunnerIdleTimeout(options.runnerIdleTimeout());
  }

  /** Plays the workload without a progress display. */
  public Report run(String webhookSecret, PrintWriter out) {
    return run(webhookSecret, out, Progress.Mode.OFF);
  }

  /** Plays the workload, showing its progress on {@code out} as {@code display} says. */
  public Report run(String webhookSecret, PrintWriter out, Progress.Mode display) {
    return run(webhookSecret, out, display, Rounds.NONE);
  }

  /**
   * How a run is played around its workload: the warm-up rounds played first (jobs of the same
   * shapes on the same runtime, each drained before the next, judged but not reported), and when
   * each round begins (just before its first job is queued) and ends (the fleet drained, or the
   * timeout passed). {@code bench pipeline} counts CPU time and AWS calls between the two, and
   * decides from each warm-up round's cost whether another one is needed.
   */
  public interface Rounds {

    Rounds NONE = new Rounds() {};

    /**
     * Jobs in the next warm-up round, or 0 to play the workload; asked before every round.
     *
     * @param warmedUp jobs the warm-up rounds so far played
     */
    default int nextWarmUp(int warmedUp) {
      return 0;
    }

    /** A round's first job is about to be queued; {@code measured} for the workload's round. */
    default void begins(boolean measured) {}

    /** A round's jobs drained, or the timeout passed. */
    default void ends(boolean measured) {}
  }

  /**
   * Plays the warm-up rounds {@code rounds} asks for, each drained before the next, then the
   * workload, on the same runtime: the workload then meets a JVM whose code is compiled and whose
   * caches are filled, as a fleet that has been running does. The report's jobs, rates and
   * latencies are the workload's; its guarantees are checked over every round.
   */
  public Report run(String webhookSecret, PrintWriter out, Progress.Mode display, Rounds rounds) {
    Instant begin = Instant.now();
    try (LocalRuntime runtime = LocalRuntime.start(runtimeOptions(webhookSecret))) {
      out.printf(
          "runfleet demo: %d jobs, caps %s, global cap %d, launch rate %s/s; webhooks to %s%n",
          options.jobs(),
          new TreeMap<>(options.caps()),
          options.globalCap(),
          options.launchRate(),
          runtime.baseUri().resolve("/webhook"));
      out.flush();
      List<SimJob> warmedUp = new ArrayList<>();
      for (int next = rounds.nextWarmUp(0); next > 0; next = rounds.nextWarmUp(warmedUp.size())) {
        List<SimJob> jobs = workload(warmedUp.size(), next);
        warmedUp.addAll(jobs);
        int played = warmedUp.size();
        boolean drained;
        rounds.begins(false);
        try {
          Workload.queueSpaced(jobs, options.spacing(), runtime.gitHub()::queue);
          drained = waitFor(() -> drained(runtime, played), options.timeout());
        } finally {
          rounds.ends(false);
        }
        if (!drained) {
          return judge(
              runtime,
              new Round(warmedUp),
              Round.NONE,
              "the fleet did not drain the warm-up within " + options.timeout().toSeconds() + " s",
              Duration.ZERO,
              Duration.ZERO,
              Duration.between(begin, Instant.now()));
        }
      }
      Round warmup = new Round(warmedUp);
      Round measured = new Round(workload(warmedUp.size(), options.jobs()));
      Progress progress = Progress.start(display, runtime, measured.jobs().size(), out);
      rounds.begins(true);
      Instant firstQueued = Instant.now();
      boolean drained;
      try (progress) {
        Workload.queueSpaced(measured.jobs(), options.spacing(), runtime.gitHub()::queue);
        int played = warmup.jobs().size() + measured.jobs().size();
        drained = waitFor(() -> drained(runtime, played), options.timeout());
      } finally {
        rounds.ends(true);
      }
      Instant finished = Instant.now();
      return judge(
          runtime,
          warmup,
          measured,
          drained ? null : "the fleet did not drain within " + options.timeout().toSeconds() + " s",
          Duration.between(firstQueued, finished),
          runtime
              .gitHub()
              .lastConclusion()
              .map(last -> Duration.between(firstQueued, last))
              .orElse(Duration.ZERO),
          Duration.between(begin, finished));
    }
  }

  /** One round's jobs and how many of them are runnable (not for GitHub-hosted labels). */
  private record Round(List<SimJob> jobs, int runnable) {

    static final Round NONE = new Round(List.of());

    Round(List<SimJob> jobs) {
      this(jobs, (int) jobs.stream().filter(j -> !j.labels().contains("ubuntu-latest")).count());
    }

    Set<Long> ids() {
      return jobs.stream().map(SimJob::jobId).collect(Collectors.toSet());
    }
  }

  private List<SimJob> workload(int first, int count) {
    return Workload.jobs(
        first, count, options.seed(), options.jobMin(), options.jobMax(), Workload.SHAPES);
  }

  /**
   * Whether the fleet has drained the {@code played} jobs queued so far, by reads that cost the
   * same however many jobs the runtime has seen: every job concluded at GitHub and every webhook
   * delivered, no slot held (one counter item), and no job or runner in a live status (a few
   * single-item queries of the status index). The scans of every job and runner that check the
   * guarantees run in {@link #judge}, after the round has ended: in the wait they scanned the whole
   * table, every round's jobs, at the end of each round, and after an 8,000-job warm-up that was
   * some 6 % of the measured round's CPU.
   */
  private static boolean drained(LocalRuntime runtime, int played) {
    return runtime.gitHub().conclusions().size() >= played
        && runtime.gitHub().quiet()
        && runtime.inFlight("global") == 0
        && !runtime.anyLive();
  }

  private static boolean waitFor(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    return condition.getAsBoolean();
  }

  /**
   * Judges both rounds: every guarantee over every job the runtime saw, each checked once and named
   * (the demo prints them, {@code bench pipeline} reports them); the report's counts, wait times
   * and latencies over the measured round's jobs. {@code notDrained} is why the fleet did not
   * drain, or null when it did.
   */
  private Report judge(
      LocalRuntime runtime,
      Round warmup,
      Round measured,
      String notDrained,
      Duration pipeline,
      Duration concluded,
      Duration total) {
    List<String> failures = new ArrayList<>();
    Map<String, Boolean> checks = new LinkedHashMap<>();
    check(checks, failures, "drained", notDrained == null, notDrained);
    List<Job> jobs = runtime.jobs();
    Map<JobStatus, Integer> all = new EnumMap<>(JobStatus.class);
    jobs.forEach(j -> all.merge(j.status(), 1, Integer::sum));
    int completed = all.getOrDefault(JobStatus.COMPLETED, 0);
    int ignored = all.getOrDefault(JobStatus.IGNORED, 0);
    int runnable = warmup.runnable() + measured.runnable();
    int hosted = warmup.jobs().size() + measured.jobs().size() - runnable;
    check(
        checks,
        failures,
        "noLostJob",
        completed == runnable,
        completed + " of " + runnable + " runnable jobs completed");
    check(
        checks,
        failures,
        "hostedIgnored",
        ignored == hosted,
        ignored + " of " + hosted + " GitHub-hosted jobs ignored");
    long failedConclusions =
        runtime.gitHub().conclusions().values().stream().filter(c -> !"success".equals(c)).count();
    check(
        checks,
        failures,
        "noRunnerKilledUnderJob",
        failedConclusions == 0,
        failedConclusions
            + " jobs did not conclude with success (a runner was killed under a job)");
    Map<String, Integer> caps = caps(runtime);
    Map<String, Integer> peak = runtime.hosts().peak();
    List<String> breaches = capBreaches(caps, peak);
    check(checks, failures, "noCapBreach", breaches.isEmpty(), String.join("; ", breaches));
    List<Runner> runners = runtime.runners();
    long live = runners.stream().filter(r -> !r.status().isTerminal() || !r.slotReleased()).count();
    check(checks, failures, "noLeakedRunner", live == 0, live + " runners still hold a slot");
    Set<Long> ids = measured.ids();
    List<Job> measuredJobs = jobs.stream().filter(j -> ids.contains(j.key().jobId())).toList();
    Map<JobStatus, Integer> byStatus = new EnumMap<>(JobStatus.class);
    measuredJobs.forEach(j -> byStatus.merge(j.status(), 1, Integer::sum));
    List<Duration> waits =
        runtime.gitHub().queueTimes().entrySet().stream()
            .filter(e -> ids.contains(e.getKey()))
            .map(Map.Entry::getValue)
            .sorted()
            .toList();
    return new Report(
        failures.isEmpty(),
        failures,
        checks,
        measured.jobs().size(),
        measured.runnable(),
        byStatus,
        runtime.hosts().launched(),
        peak,
        caps,
        percentile(waits, 50),
        percentile(waits, 95),
        pipeline,
        concluded,
        total,
        runtime.gitHub().webhooksSent(),
        runtime.gitHub().webhookFailures(),
        latencies(measuredJobs, runners, runtime.gitHub().completionTimes()),
        warmup.jobs().size());
  }

  /** Each platform's cap, and the global cap under {@link SimulatedHosts#GLOBAL}. */
  public static Map<String, Integer> caps(LocalRuntime runtime) {
    Map<String, Integer> caps = new TreeMap<>();
    for (Platform p : runtime.options().platforms().all()) {
      caps.put(p.name(), p.cap());
    }
    caps.put(SimulatedHosts.GLOBAL, runtime.options().globalCap());
    return caps;
  }

  /**
   * One line per platform (or the fleet) whose hosts alive at some moment exceeded its cap, from
   * the peaks the simulated hosts counted: compute, not the table's counters.
   */
  public static List<String> capBreaches(Map<String, Integer> caps, Map<String, Integer> peak) {
    List<String> breaches = new ArrayList<>();
    caps.forEach(
        (name, cap) -> {
          int seen = peak.getOrDefault(name, 0);
          if (seen > cap) {
            breaches.add(name + " peaked at " + seen + " hosts, above its cap " + cap);
          }
        });
    return breaches;
  }

  private static void check(
      Map<String, Boolean> checks,
      List<String> failures,
      String name,
      boolean held,
      String failure) {
    checks.put(name, held);
    if (!held) {
      failures.add(failure);
    }
  }

  /**
   * Queued to dispatched: the job's first runner was created by the reservation that dispatched it,
   * so its creation time is the dispatch time.
   */
  private static Latencies latencies(
      List<Job> jobs, List<Runner> runners, Map<Long, Duration> completions) {
    Map<String, Instant> created = new HashMap<>();
    runners.forEach(r -> created.put(r.name(), r.createdAt()));
    List<Duration> dispatch = new ArrayList<>();
    List<Duration> complete = new ArrayList<>();
    for (Job job : jobs) {
      if (job.platform() == null) {
        continue;
      }
      Instant first = created.get(Runner.nameFor(job.platform(), job.key(), 1));
      if (first != null) {
        dispatch.add(Duration.between(job.queuedAt(), first));
      }
      Duration done = completions.get(job.key().jobId());
      if (done != null) {
        complete.add(done);
      }
    }
    dispatch.sort(null);
    complete.sort(null);
    return new Latencies(
        percentile(dispatch, 50),
        percentile(dispatch, 99),
        percentile(complete, 50),
        percentile(complete, 99));
  }

  private static Duration percentile(List<Duration> sorted, int p) {
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Prints the summary for a person, then one JSON line for machines. */
  public static void print(Report report, PrintWriter out) {
    out.println();
    out.printf(
        "jobs: %d queued, %d runnable, %d for GitHub-hosted labels%n",
        report.jobs(), report.runnable(), report.jobs() - report.runnable());
    out.printf("jobs by final status: %s%n", report.byStatus());
    out.printf("%-18s %5s %9s %15s%n", "platform", "cap", "launched", "peak in flight");
    report
        .caps()
        .forEach(
            (name, cap) ->
                out.printf(
                    "%-18s %5d %9s %15d%n",
                    name,
                    cap,
                    SimulatedHosts.GLOBAL.equals(name)
                        ? Integer.toString(
                            report.launched().values().stream().mapToInt(Integer::intValue).sum())
                        : Integer.toString(report.launched().getOrDefault(name, 0)),
                    report.peak().getOrDefault(name, 0)));
    out.printf(
        "queue time (queued -> running): p50 %d ms, p95 %d ms%n",
        report.queueP50().toMillis(), report.queueP95().toMillis());
    out.printf(
        "time: %.1f s end to end (emulators included), %.1f s from first job queued to drained; %.1f jobs/s%n",
        report.total().toMillis() / 1000.0,
        report.pipeline().toMillis() / 1000.0,
        report.jobsPerSecond());
    out.printf("webhooks delivered: %d, failed: %d%n", report.webhooks(), report.webhookFailures());
    if (report.passed()) {
      out.println(
          "result: PASS — every runnable job completed, no cap exceeded, every runner stopped");
    } else {
      out.println("result: FAIL — " + String.join("; ", report.failures()));
    }
    ObjectNode line = new ObjectMapper().createObjectNode();
    line.put("passed", report.passed());
    line.put("jobs", report.jobs());
    line.put("runnable", report.runnable());
    line.put("seconds", report.total().toMillis() / 1000.0);
    line.put("pipelineSeconds", report.pipeline().toMillis() / 1000.0);
    line.put("jobsPerSecond", Math.round(report.jobsPerSecond() * 10) / 10.0);
    line.put("queueP50Ms", report.queueP50().toMillis());
    line.put("queueP95Ms", report.queueP95().toMillis());
    ObjectNode peaks = line.putObject("peak");
    report.peak().forEach(peaks::put);
    ObjectNode caps = line.putObject("caps");
    report.caps().forEach(caps::put);
    out.println(line);
    out.flush();
  }
}
