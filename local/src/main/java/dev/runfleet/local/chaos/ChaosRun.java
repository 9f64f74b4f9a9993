package dev.runfleet.local.chaos;

import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.demo.Workload;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import dev.runfleet.local.sim.GitHubFaults;
import dev.runfleet.local.sim.HostFate;
import dev.runfleet.local.sim.HostFaults;
import dev.runfleet.local.sim.JobFaults;
import dev.runfleet.local.sim.SimJob;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code runfleet chaos}: a workload played through the local runtime with every fault at once —
 * GitHub's (duplicate, reordered and lost webhooks, 5xx/429 answers), the hosts' (launch failures,
 * hosts that die before or after registering, spot interruptions) and AWS's (failed SNS/SQS
 * publishes, handlers dying between writes) — with the reconciler on short deadlines, until the
 * fleet is quiet; then {@link ChaosVerdict} judges it from the truths it concerns.
 */
public final class ChaosRun {

  /**
   * The share of each fault. {@code hostDies} is split between hosts that die before registering,
   * hosts whose runner never registers, and hosts that die after registering (2:1:2).
   */
  public record Rates(
      double duplicate,
      double reorder,
      double lostWebhook,
      double gitHubError,
      double launchFailure,
      double hostDies,
      double spotInterrupted,
      double publishFailure,
      double crashAfterWrite) {

    /** The rates of issue 12: every fault at once. */
    public static Rates defaults() {
      return new Rates(0.20, 0.10, 0.02, 0.10, 0.10, 0.05, 0.05, 0.02, 0.02);
    }

    GitHubFaults gitHub(long seed) {
      // Lost webhooks are scripted per job and kind (below), not drawn again here.
      return new GitHubFaults(duplicate, reorder, 0.0, gitHubError, seed);
    }

    HostFaults hosts(long seed) {
      return new HostFaults(
          launchFailure, hostDies * 0.4, hostDies * 0.2, hostDies * 0.4, spotInterrupted, seed);
    }

    AwsFaults.Rates aws() {
      return new AwsFaults.Rates(crashAfterWrite, publishFailure);
    }
  }

  /**
   * @param jobs jobs to queue
   * @param seed seeds the workload and every fault generator
   * @param platforms platforms the runtime serves and the workload targets
   * @param rates the share of each fault
   * @param reconcile the reconciler's interval and deadlines: short, so a run heals fast
   * @param spacing time between two queued jobs
   * @param settle how long nothing may change, once every job concluded at GitHub and beyond the
   *     maximum runner lifetime, before the fleet counts as quiet although something is left over
   *     (then judged as a leak)
   * @param timeout how long the whole run may take before it is judged as it stands
   */
  public record Options(
      int jobs,
      long seed,
      List<String> platforms,
      Rates rates,
      RuntimeOptions.Reconcile reconcile,
      Duration spacing,
      Duration settle,
      Duration timeout) {

    public Options {
      if (jobs < 1) {
        throw new IllegalArgumentException("--jobs must be at least 1: " + jobs);
      }
      platforms = List.copyOf(platforms);
      Objects.requireNonNull(rates, "rates");
    }

    public static Options defaults() {
      return new Options(
          2_000,
          42,
          PlatformCatalog.defaults().names(),
          Rates.defaults(),
          new RuntimeOptions.Reconcile(
              Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(2)),
          Duration.ofMillis(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(30));
    }

    public Options withJobs(int n) {
      return new Options(n, seed, platforms, rates, reconcile, spacing, settle, timeout);
    }

    public Options withSeed(long s) {
      return new Options(jobs, s, platforms, rates, reconcile, spacing, settle, timeout);
    }

    public Options withPlatforms(List<String> names) {
      return new Options(jobs, seed, names, rates, reconcile, spacing, settle, timeout);
    }

    public Options withRates(Rates r) {
      return new Options(jobs, seed, platforms, r, reconcile, spacing, settle, timeout);
    }

    public Options withTimeout(Duration t) {
      return new Options(jobs, seed, platforms, rates, reconcile, spacing, settle, t);
    }
  }

  /** Each platform's cap and the global cap in a chaos run: small enough to be contended. */
  static final int PLATFORM_CAP = 8;

  static final int GLOBAL_CAP = 16;

  private final Options options;

  public ChaosRun(Options options) {
    this.options = options;
  }

  /** The runtime the run plays against: the chosen platforms, their caps, short deadlines. */
  public RuntimeOptions runtimeOptions(String webhookSecret) {
    PlatformCatalog all = PlatformCatalog.defaults();
    List<Platform> chosen = new ArrayList<>();
    for (String name : options.platforms()) {
      chosen.add(
          all.find(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown platform '" + name + "': expected one of " + all.names()))
              .withCap(PLATFORM_CAP));
    }
    return RuntimeOptions.defaults(webhookSecret)
        .withPort(0)
        .withPlatforms(new PlatformCatalog(chosen), GLOBAL_CAP)
        .withLaunchRate("1000/10000")
        .withReconcile(options.reconcile());
  }

  /** Plays the workload with every fault and judges the fleet once it is quiet. */
  public ChaosVerdict.Report run(String webhookSecret, PrintWriter out) {
    RuntimeOptions runtimeOptions = runtimeOptions(webhookSecret);
    FaultCounts counts = new FaultCounts();
    try (LocalRuntime runtime = LocalRuntime.start(runtimeOptions);
        AwsFaults aws =
            AwsFaults.inject(runtime.baseUri(), options.rates().aws(), options.seed(), counts)) {
      runtime.gitHub().faults(options.rates().gitHub(options.seed()));
      runtime.hosts().faults(options.rates().hosts(options.seed()));
      List<SimJob> jobs = workload(runtimeOptions.platforms());
      out.printf(
          "runfleet chaos: %d jobs on %s (cap %d each, %d in all), seed %d; runtime at %s%n",
          jobs.size(),
          options.platforms(),
          PLATFORM_CAP,
          GLOBAL_CAP,
          options.seed(),
          runtime.baseUri());
      out.flush();
      long started = System.nanoTime();
      Random lose = new Random(options.seed());
      Map<Long, Instant> queuedAt = queueAll(runtime, jobs, lose, counts);
      // A runner whose job ran on another runner legitimately waits for work until its idle
      // timeout or its maximum lifetime (the reconciler's, short here) ends it: only what outlives
      // that, with nothing changing, is a leak.
      Duration settle = options.settle().plus(options.reconcile().maxRunner());
      Quiescence.await(runtime, queuedAt.keySet(), settle, deadline(started), out);
      // Nothing more is injected while the truths are read.
      aws.close();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      Map<String, Integer> faults = new TreeMap<>(counts.snapshot());
      runtime.gitHub().faultCounts().forEach((k, v) -> faults.merge(k, v, Integer::sum));
      runtime.hosts().faultCounts().forEach((k, v) -> faults.merge(k, v, Integer::sum));
      return ChaosVerdict.judge(ChaosVerdict.Observed.of(runtime, queuedAt), faults, took);
    }
  }

  private long deadline(long started) {
    return started + options.timeout().toNanos();
  }

  private List<SimJob> workload(PlatformCatalog platforms) {
    List<List<String>> shapes =
        Workload.SHAPES.stream().filter(labels -> platforms.route(labels).isPresent()).toList();
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("no workload shape runs on " + options.platforms());
    }
    return Workload.jobs(
        options.jobs(), options.seed(), Duration.ofMillis(100), Duration.ofMillis(400), shapes);
  }

  /**
   * Queues the jobs at the workload's spacing; each kind of webhook of each job is lost with the
   * lost-webhook rate.
   */
  private Map<Long, Instant> queueAll(
      LocalRuntime runtime, List<SimJob> jobs, Random lose, FaultCounts counts) {
    Map<Long, Instant> queuedAt = new java.util.concurrent.ConcurrentHashMap<>();
    Workload.queueSpaced(
        jobs,
        options.spacing(),
        job -> {
          Set<String> lost = new HashSet<>();
          for (String action : JobFaults.ACTIONS.stream().sorted().toList()) {
            if (lose.nextDouble() < options.rates().lostWebhook()) {
              lost.add(action);
              counts.add("lost-" + action.replace('_', '-') + "-scripted");
            }
          }
          queuedAt.put(job.jobId(), job.createdAt());
          runtime.gitHub().queue(job, new JobFaults(lost, HostFate.NORMAL));
        });
    return queuedAt;
  }
}
