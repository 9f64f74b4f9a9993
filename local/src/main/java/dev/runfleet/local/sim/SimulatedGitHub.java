package dev.runfleet.local.sim;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub as runfleet sees it, in-process: it queues jobs and announces them with signed {@code
 * workflow_job} webhooks, mints single-use JIT configs, and — as on github.com — hands each idle
 * runner the oldest queued job whose labels the runner's labels include, whichever job the runner
 * was started for. Jobs for GitHub-hosted labels run on GitHub's own runners. Every state change
 * happens on one thread, in order; webhooks go out from a pool, so they may arrive out of order, as
 * GitHub's do.
 */
public final class SimulatedGitHub implements GitHubRunners, GitHubDeliveries, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedGitHub.class);
  private static final int SEND_ATTEMPTS = 5;

  private final WebhookSender sender;
  private final Clock clock;
  private final Set<String> hostedLabels;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService brain =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sim-github"));
  private final ExecutorService senders =
      Executors.newFixedThreadPool(4, r -> daemon(r, "sim-github-webhooks"));

  // state: touched only on the brain thread
  private final LinkedHashMap<Long, SimJob> queued = new LinkedHashMap<>();
  private final Map<String, Registration> idle = new LinkedHashMap<>();
  private final Map<String, Running> busy = new HashMap<>();
  private final Map<Long, Registration> registered = new HashMap<>();

  // safe to read from any thread
  private final Map<String, Registration> pendingJit = new ConcurrentHashMap<>();
  private final Map<Long, Duration> queueTimes = new ConcurrentHashMap<>();
  private final Map<Long, String> conclusions = new ConcurrentHashMap<>();
  private final Map<Long, Duration> completionTimes = new ConcurrentHashMap<>();
  private final Map<Long, SimJob> finished = new ConcurrentHashMap<>();
  private final AtomicLong rerunJobIds = new AtomicLong(8_000_000_000L);
  private final AtomicInteger reruns = new AtomicInteger();
  private final AtomicLong runnerIds = new AtomicLong(1000);
  private final AtomicInteger hostedRunners = new AtomicInteger();
  private final AtomicInteger webhooksSent = new AtomicInteger();
  private final AtomicInteger webhookFailures = new AtomicInteger();
  private final AtomicInteger jitMinted = new AtomicInteger();
  private final AtomicInteger inFlightSends = new AtomicInteger();

  private record Registration(long runnerId, String name, Set<String> labels, Runnable onExit) {}

  private record Running(Registration runner, SimJob job) {}

  public SimulatedGitHub(WebhookSender sender, Clock clock, Set<String> hostedLabels) {
    this.sender = sender;
    this.clock = clock;
    this.hostedLabels =
        hostedLabels.stream().map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /** Queues a job: sends {@code queued}; a runner (ours or GitHub's) takes it when one is free. */
  public void queue(SimJob job) {
    onBrain(
        () -> {
          send(job, "queued", "queued", null, null);
          if (isHosted(job)) {
            brain.schedule(guarded(() -> runHosted(job)), 50, TimeUnit.MILLISECONDS);
          } else {
            queued.put(job.jobId(), job);
            assign();
          }
        });
  }

  /**
   * Takes on a job announced by someone else (a webhook posted to the runtime by hand): from now on
   * GitHub treats it as queued and hands it to a runner, without announcing it again. Jobs it
   * already knows are left alone.
   */
  public void adopt(SimJob job) {
    onBrain(
        () -> {
          boolean known =
              queued.containsKey(job.jobId())
                  || conclusions.containsKey(job.jobId())
                  || busy.values().stream().anyMatch(r -> r.job().jobId() == job.jobId());
          if (!known && !isHosted(job)) {
            queued.put(job.jobId(), job);
            assign();
          }
        });
  }

  private boolean isHosted(SimJob job) {
    return job.labels().stream().anyMatch(l -> hostedLabels.contains(l.toLowerCase(Locale.ROOT)));
  }

  private void runHosted(SimJob job) {
    Registration hosted =
        new Registration(
            hostedRunners.incrementAndGet(),
            "GitHub Actions " + hostedRunners.get(),
            Set.of(),
            () -> {});
    start(hosted, job);
  }

  @Override
  public JitResult createJitConfig(JitRequest request) {
    long id = runnerIds.incrementAndGet();
    byte[] token = new byte[24];
    random.nextBytes(token);
    String encoded = Base64.getEncoder().encodeToString(token);
    Set<String> labels =
        request.labels().stream()
            .map(l -> l.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    pendingJit.put(encoded, new Registration(id, request.runnerName(), labels, () -> {}));
    jitMinted.incrementAndGet();
    return new JitResult.Minted(new JitConfig(id, encoded));
  }

  /**
   * As on github.com: a runner running a job cannot be deleted; an idle one is removed (its process
   * exits), and an unknown one counts as deleted.
   */
  @Override
  public DeleteResult deleteRunner(GitHubScope scope, long runnerId) {
    pendingJit.values().removeIf(r -> r.runnerId() == runnerId);
    return onBrainAndWait(() -> forget(runnerId), DeleteResult.RETRY_LATER);
  }

  @Override
  public JobLookup job(GitHubScope scope, long jobId) {
    return onBrainAndWait(
        () -> {
          String conclusion = conclusions.get(jobId);
          if (conclusion != null) {
            return new JobLookup.Found(jobId, "completed", conclusion, null);
          }
          for (Running running : busy.values()) {
            if (running.job().jobId() == jobId) {
              return new JobLookup.Found(jobId, "in_progress", null, running.runner().name());
            }
          }
          return queued.containsKey(jobId)
              ? new JobLookup.Found(jobId, "queued", null, null)
              : new JobLookup.NotFound("job " + jobId + " unknown");
        },
        new JobLookup.RetryLater("simulated GitHub is shutting down"));
  }

  /**
   * As on github.com: a minted JIT config registers its runner at once, offline until a process
   * connects with it; a connected runner is online, and busy while it runs a job; a runner that ran
   * its job or was deleted is unknown.
   */
  @Override
  public RunnerLookup runner(GitHubScope scope, long runnerId) {
    return onBrainAndWait(
        () -> {
          Registration online = registered.get(runnerId);
          if (online != null) {
            return new RunnerLookup.Found(
                runnerId, online.name(), true, busy.containsKey(online.name()));
          }
          return pendingJit.values().stream()
              .filter(r -> r.runnerId() == runnerId)
              .findFirst()
              .<RunnerLookup>map(r -> new RunnerLookup.Found(runnerId, r.name(), false, false))
              .orElseGet(() -> new RunnerLookup.NotFound("runner " + runnerId + " unknown"));
        },
        new RunnerLookup.RetryLater("simulated GitHub is shutting down"));
  }

  /**
   * A runner process starts with {@code ./run.sh --jitconfig <encoded>}: the config is single-use.
   * {@code onExit} runs when the runner process ends (after its one job, or when deregistered).
   *
   * @return false when the config is unknown or was used before
   */
  public boolean connect(String encodedJitConfig, Runnable onExit) {
    Registration pending = pendingJit.remove(encodedJitConfig);
    if (pending == null) {
      return false;
    }
    Registration runner =
        new Registration(pending.runnerId(), pending.name(), pending.labels(), onExit);
    onBrain(
        () -> {
          registered.put(runner.runnerId(), runner);
          idle.put(runner.name(), runner);
          assign();
        });
    return true;
  }

  /**
   * The runner's host is gone: an idle runner disappears; a busy one fails its job, as on
   * github.com.
   */
  public void disconnect(String runnerName) {
    onBrain(
        () -> {
          Registration idleRunner = idle.remove(runnerName);
          if (idleRunner != null) {
            registered.remove(idleRunner.runnerId());
          }
          Running running = busy.remove(runnerName);
          if (running != null) {
            finish(running, "failure");
          }
        });
  }

  /**
   * As on github.com: only a finished job can be re-run (a running one is refused, 403); the re-run
   * is a new job id with the next run attempt, queued at once.
   */
  @Override
  public RerunResult rerunJob(GitHubScope scope, long jobId) {
    SimJob done = finished.get(jobId);
    if (done == null || "success".equals(conclusions.get(jobId))) {
      return RerunResult.REFUSED;
    }
    reruns.incrementAndGet();
    queue(
        new SimJob(
            rerunJobIds.incrementAndGet(),
            done.runId(),
            done.runAttempt() + 1,
            done.labels(),
            done.repository(),
            done.organization(),
            done.installationId(),
            done.duration(),
            clock.instant()));
    return RerunResult.RERUN;
  }

  // ---- faults (API first; bodies follow) ----

  private volatile GitHubFaults gitHubFaults = GitHubFaults.none();
  private final Map<Long, JobFaults> jobFaults = new ConcurrentHashMap<>();
  private final Map<Long, SimJob> known = new ConcurrentHashMap<>();

  /** Random faults from now on; {@link GitHubFaults#none()} turns them off. */
  public void faults(GitHubFaults faults) {
    this.gitHubFaults = java.util.Objects.requireNonNull(faults, "faults");
  }

  /** Queues a job with scripted faults; answers its id. */
  public long queue(SimJob job, JobFaults faults) {
    jobFaults.put(job.jobId(), faults);
    known.put(job.jobId(), job);
    queue(job);
    return job.jobId();
  }

  /** GitHub's view of a job, empty for a job it never knew. */
  public java.util.Optional<JobView> view(long jobId) {
    SimJob job = known.get(jobId);
    JobLookup lookup = job(null, jobId);
    if (job == null || !(lookup instanceof JobLookup.Found found)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new JobView(
            jobId, job.runAttempt(), found.status(), found.conclusion(), found.runnerName()));
  }

  /** Faults injected so far, by kind. */
  public Map<String, Integer> faultCounts() {
    return Map.of();
  }

  /** The next {@code calls} REST calls answer {@code status} (5xx or 429). */
  public void failNext(int calls, int status) {}

  @Override
  public DeliveryPage page(String cursor, int perPage) {
    return new DeliveryPage.Page(List.of(), null);
  }

  @Override
  public RedeliverResult redeliver(long deliveryId) {
    return RedeliverResult.REFUSED;
  }

  /** Runner registrations GitHub holds now: minted and not yet used, or connected. */
  public int registrationsAlive() {
    return pendingJit.size() + onBrainAndWait(registered::size, 0);
  }

  /** Jobs re-run through the API. */
  public int reruns() {
    return reruns.get();
  }

  private DeleteResult forget(long runnerId) {
    Registration runner = registered.get(runnerId);
    if (runner == null) {
      return DeleteResult.DELETED;
    }
    if (busy.containsKey(runner.name())) {
      return DeleteResult.BUSY;
    }
    if (idle.remove(runner.name()) != null) {
      registered.remove(runnerId);
      runner.onExit().run();
    }
    return DeleteResult.DELETED;
  }

  /**
   * GitHub's rule: an idle runner takes a queued job when its labels include all of the job's
   * labels.
   */
  private void assign() {
    List<Registration> free = new ArrayList<>(idle.values());
    for (Registration runner : free) {
      SimJob match = null;
      for (SimJob job : queued.values()) {
        if (runner.labels().containsAll(lower(job.labels()))) {
          match = job;
          break;
        }
      }
      if (match != null) {
        queued.remove(match.jobId());
        idle.remove(runner.name());
        start(runner, match);
      }
    }
  }

  private void start(Registration runner, SimJob job) {
    Running running = new Running(runner, job);
    busy.put(runner.name(), running);
    queueTimes.put(job.jobId(), Duration.between(job.createdAt(), clock.instant()));
    send(job, "in_progress", "in_progress", runner, null);
    brain.schedule(
        guarded(
            () -> {
              if (busy.remove(runner.name(), running)) {
                finish(running, "success");
              }
            }),
        job.duration().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void finish(Running running, String conclusion) {
    conclusions.put(running.job().jobId(), conclusion);
    completionTimes.put(
        running.job().jobId(), Duration.between(running.job().createdAt(), clock.instant()));
    finished.put(running.job().jobId(), running.job());
    send(running.job(), "completed", "completed", running.runner(), conclusion);
    registered.remove(running.runner().runnerId());
    // A JIT runner runs one job, then its process exits.
    running.runner().onExit().run();
  }

  private static Set<String> lower(List<String> labels) {
    return labels.stream().map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  private void send(
      SimJob job, String action, String status, Registration runner, String conclusion) {
    String body =
        WorkflowJobPayloads.of(
            job,
            action,
            status,
            runner == null ? null : runner.runnerId(),
            runner == null ? null : runner.name(),
            conclusion,
            clock.instant());
    inFlightSends.incrementAndGet();
    senders.execute(() -> deliver(body, action, job.jobId(), 1));
  }

  private void deliver(String body, String action, long jobId, int attempt) {
    try {
      int status = sender.send("workflow_job", body);
      if (status >= 200 && status < 300) {
        webhooksSent.incrementAndGet();
        inFlightSends.decrementAndGet();
        return;
      }
      LOG.warn("{} webhook for job {} answered {} (attempt {})", action, jobId, status, attempt);
    } catch (java.io.IOException e) {
      LOG.warn(
          "{} webhook for job {} failed (attempt {}): {}", action, jobId, attempt, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlightSends.decrementAndGet();
      return;
    }
    if (attempt >= SEND_ATTEMPTS) {
      webhookFailures.incrementAndGet();
      inFlightSends.decrementAndGet();
      return;
    }
    // An operator's redelivery, with backoff: same body, new delivery id.
    brain.schedule(
        guarded(() -> senders.execute(() -> deliver(body, action, jobId, attempt + 1))),
        100L * attempt,
        TimeUnit.MILLISECONDS);
  }

  // ---- observations ----

  public Map<Long, Duration> queueTimes() {
    return Map.copyOf(queueTimes);
  }

  /** Per job run on a runner: from queued to its conclusion. */
  public Map<Long, Duration> completionTimes() {
    return Map.copyOf(completionTimes);
  }

  public Map<Long, String> conclusions() {
    return Map.copyOf(conclusions);
  }

  public int webhooksSent() {
    return webhooksSent.get();
  }

  public int webhookFailures() {
    return webhookFailures.get();
  }

  public int jitMinted() {
    return jitMinted.get();
  }

  /** True when no webhook is waiting to be delivered. */
  public boolean quiet() {
    return inFlightSends.get() == 0;
  }

  @Override
  public void close() {
    brain.shutdownNow();
    senders.shutdownNow();
  }

  /** Runs a state change on the brain thread; a failure is logged, never lost in the executor. */
  private void onBrain(Runnable change) {
    brain.execute(guarded(change));
  }

  /** Runs a read or change on the brain thread and waits for its answer. */
  private <T> T onBrainAndWait(Callable<T> work, T whenStopped) {
    try {
      return brain.submit(work).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return whenStopped;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      LOG.warn("simulated GitHub did not answer: {}", e.toString());
      return whenStopped;
    }
  }

  private static Runnable guarded(Runnable change) {
    return () -> {
      try {
        change.run();
      } catch (RuntimeException e) {
        LOG.error("simulated GitHub state change failed", e);
      }
    };
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
