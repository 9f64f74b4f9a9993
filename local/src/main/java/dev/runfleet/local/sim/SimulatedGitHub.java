package dev.runfleet.local.sim;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.Listing;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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
 *
 * <p>Every webhook sent is a delivery in the App's delivery log ({@link GitHubDeliveries}), which
 * can be read and redelivered as on github.com. Faults make it fail as GitHub does: a job's
 * scripted {@link JobFaults} lose its named webhooks (failed deliveries in the log; GitHub never
 * retries them) and give its first host a fate; random {@link GitHubFaults} duplicate, hold back or
 * lose deliveries and make REST calls answer 5xx or 429 ({@link #failNext} scripts the next ones).
 * With no faults set nothing is drawn and every webhook goes out as before.
 */
public final class SimulatedGitHub implements GitHubRunners, GitHubDeliveries, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedGitHub.class);
  private static final int SEND_ATTEMPTS = 5;

  /** Deliveries the log keeps; older ones are gone, as GitHub keeps them for days, not for ever. */
  private static final int LOG_LIMIT = 100_000;

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
  private final AtomicReference<Instant> lastConclusion = new AtomicReference<>();
  private final Map<Long, SimJob> finished = new ConcurrentHashMap<>();
  private final AtomicLong rerunJobIds = new AtomicLong(8_000_000_000L);
  private final AtomicInteger reruns = new AtomicInteger();
  private final AtomicLong runnerIds = new AtomicLong(1000);
  private final AtomicInteger hostedRunners = new AtomicInteger();
  private final AtomicInteger webhooksSent = new AtomicInteger();
  private final AtomicInteger webhookFailures = new AtomicInteger();
  private final AtomicInteger jitMinted = new AtomicInteger();
  private final AtomicInteger inFlightSends = new AtomicInteger();

  // faults and the delivery log
  private final FaultDraws draws = new FaultDraws();
  private volatile GitHubFaults gitHubFaults = GitHubFaults.none();
  private final Map<Long, JobFaults> jobFaults = new ConcurrentHashMap<>();
  private final Map<Long, SimJob> known = new ConcurrentHashMap<>();
  private final Map<Long, String> ranOn = new ConcurrentHashMap<>();
  private final AtomicInteger failNextCalls = new AtomicInteger();
  private volatile int failNextStatus = 502;
  private volatile BiConsumer<String, HostFate> hostFates = (jobKey, fate) -> {};
  // guarded by deliveryLog: the log, oldest first, and its index by delivery id
  private final java.util.ArrayDeque<Logged> deliveryLog = new java.util.ArrayDeque<>();
  private final Map<Long, Logged> deliveriesById = new HashMap<>();
  private long lastDeliveryId = 70_000_000_000L; // guarded by deliveryLog

  private record Registration(
      long runnerId,
      String name,
      Set<String> labels,
      Consumer<Duration> onStart,
      Runnable onExit) {}

  /** A delivery in the App's log; the body stays with it for a redelivery. */
  private record Logged(Delivery delivery, long jobId, String body) {}

  /** One webhook on its way: a redelivery keeps the guid of the delivery it repeats. */
  private record Outgoing(
      long jobId, String action, String guid, String body, boolean redelivery) {}

  private record Running(Registration runner, SimJob job) {}

  public SimulatedGitHub(WebhookSender sender, Clock clock, Set<String> hostedLabels) {
    this.sender = sender;
    this.clock = clock;
    this.hostedLabels =
        hostedLabels.stream().map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /** Queues a job: sends {@code queued}; a runner (ours or GitHub's) takes it when one is free. */
  public void queue(SimJob job) {
    known.put(job.jobId(), job);
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
            this.known.putIfAbsent(job.jobId(), job);
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
            started -> {},
            () -> {});
    start(hosted, job);
  }

  @Override
  public JitResult createJitConfig(JitRequest request) {
    int fault = restFault();
    if (fault != 0) {
      return new JitResult.RetryLater(answered(fault));
    }
    return new JitResult.Minted(mint(request));
  }

  /** Mints a JIT config, never failing (the REST API's own faults are drawn by its caller). */
  public JitConfig mint(JitRequest request) {
    long id = runnerIds.incrementAndGet();
    byte[] token = new byte[24];
    random.nextBytes(token);
    String encoded = Base64.getEncoder().encodeToString(token);
    Set<String> labels =
        request.labels().stream()
            .map(l -> l.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    pendingJit.put(
        encoded, new Registration(id, request.runnerName(), labels, started -> {}, () -> {}));
    jitMinted.incrementAndGet();
    return new JitConfig(id, encoded);
  }

  /**
   * As on github.com: a runner running a job cannot be deleted; an idle one is removed (its process
   * exits), and an unknown one counts as deleted.
   */
  @Override
  public DeleteResult deleteRunner(GitHubScope scope, long runnerId) {
    return restFault() != 0 ? DeleteResult.RETRY_LATER : delete(runnerId);
  }

  /** {@link #deleteRunner} without faults: BUSY while the runner runs a job. */
  public DeleteResult delete(long runnerId) {
    pendingJit.values().removeIf(r -> r.runnerId() == runnerId);
    return onBrainAndWait(() -> forget(runnerId), DeleteResult.RETRY_LATER);
  }

  @Override
  public JobLookup job(GitHubScope scope, long jobId) {
    int fault = restFault();
    return fault != 0 ? new JobLookup.RetryLater(answered(fault)) : lookup(jobId);
  }

  /** GitHub's answer for a job, never a fault. */
  public JobLookup lookup(long jobId) {
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
   * Every registration in one page, as {@link #runner} reports each: connected ones online (busy
   * while running a job), minted but unconnected ones offline. The simulation keeps no scopes, so
   * every scope lists them all; GitHub's own hosted runners are not self-hosted and not listed.
   */
  @Override
  public Listing<RunnerLookup.Found> listRunners(GitHubScope scope, Listing.Pages pages) {
    if (!pages.getAsBoolean()) {
      return new Listing<>(List.of(), false);
    }
    List<RunnerLookup.Found> offline =
        pendingJit.values().stream()
            .map(r -> new RunnerLookup.Found(r.runnerId(), r.name(), false, false))
            .toList();
    return onBrainAndWait(
        () -> {
          List<RunnerLookup.Found> all = new ArrayList<>(offline);
          registered.values().stream()
              .map(
                  r ->
                      new RunnerLookup.Found(
                          r.runnerId(), r.name(), true, busy.containsKey(r.name())))
              .forEach(all::add);
          return new Listing<>(all, true);
        },
        new Listing<>(List.of(), false));
  }

  /**
   * As on github.com: a minted JIT config registers its runner at once, offline until a process
   * connects with it; a connected runner is online, and busy while it runs a job; a runner that ran
   * its job or was deleted is unknown.
   */
  @Override
  public RunnerLookup runner(GitHubScope scope, long runnerId) {
    int fault = restFault();
    return fault != 0 ? new RunnerLookup.RetryLater(answered(fault)) : runnerLookup(runnerId);
  }

  /** GitHub's answer for a runner, never a fault. */
  public RunnerLookup runnerLookup(long runnerId) {
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

  /** Every runner GitHub holds: connected ones, then minted ones not yet connected. */
  public List<RunnerLookup.Found> runners() {
    List<RunnerLookup.Found> out = new ArrayList<>();
    for (Registration r :
        onBrainAndWait(() -> List.copyOf(registered.values()), List.<Registration>of())) {
      if (runnerLookup(r.runnerId()) instanceof RunnerLookup.Found found) {
        out.add(found);
      }
    }
    pendingJit
        .values()
        .forEach(r -> out.add(new RunnerLookup.Found(r.runnerId(), r.name(), false, false)));
    return out;
  }

  /** A job GitHub announced or adopted: its run, labels and installation. */
  public Optional<SimJob> known(long jobId) {
    return Optional.ofNullable(known.get(jobId));
  }

  /** The installation that holds {@code repository} ("owner/name"), from the jobs GitHub knows. */
  public Optional<Long> installationOf(String repository) {
    return known.values().stream()
        .filter(j -> repository.equalsIgnoreCase(j.repository()))
        .map(SimJob::installationId)
        .findFirst();
  }

  /**
   * A runner process starts with {@code ./run.sh --jitconfig <encoded>}: the config is single-use.
   * {@code onExit} runs when the runner process ends (after its one job, or when deregistered).
   *
   * @return false when the config is unknown or was used before
   */
  public boolean connect(String encodedJitConfig, Runnable onExit) {
    return connect(encodedJitConfig, started -> {}, onExit);
  }

  /**
   * As {@link #connect(String, Runnable)}; {@code onStart} is told, on GitHub's own thread, how
   * long the job the runner just took will run (a spot interruption's hook).
   */
  public boolean connect(String encodedJitConfig, Consumer<Duration> onStart, Runnable onExit) {
    Registration pending = pendingJit.remove(encodedJitConfig);
    if (pending == null) {
      return false;
    }
    Registration runner =
        new Registration(pending.runnerId(), pending.name(), pending.labels(), onStart, onExit);
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
    return restFault() != 0 ? RerunResult.RETRY_LATER : rerun(jobId);
  }

  /** {@link #rerunJob} without faults. */
  public RerunResult rerun(long jobId) {
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

  // ---- faults ----

  /**
   * Random faults from now on, drawn from {@code faults.seed()}; {@link GitHubFaults#none()} ends
   * them.
   */
  public void faults(GitHubFaults faults) {
    draws.reseed(faults.seed());
    this.gitHubFaults = Objects.requireNonNull(faults, "faults");
  }

  /**
   * Queues a job with scripted faults: its webhooks named in {@code faults.lose()} fail to deliver,
   * and the first host launched for it meets {@code faults.host()}.
   *
   * @return the job's id
   */
  public long queue(SimJob job, JobFaults faults) {
    jobFaults.put(job.jobId(), faults);
    if (faults.host() != HostFate.NORMAL) {
      hostFates.accept(jobKey(job.jobId(), job.runAttempt()), faults.host());
    }
    queue(job);
    return job.jobId();
  }

  /** The key a host fate is scripted under for a job attempt: {@code <jobId>-<runAttempt>}. */
  public static String jobKey(long jobId, int runAttempt) {
    return jobId + "-" + runAttempt;
  }

  /** Who is told of a job's scripted host fate (the simulated hosts). */
  void hostFates(BiConsumer<String, HostFate> listener) {
    this.hostFates = Objects.requireNonNull(listener, "listener");
  }

  /** GitHub's view of a job (never a fault), empty for a job it never knew. */
  public Optional<JobView> view(long jobId) {
    SimJob job = known.get(jobId);
    if (job == null || !(lookup(jobId) instanceof JobLookup.Found found)) {
      return Optional.empty();
    }
    // As GitHub's job API, a completed job still names the runner that ran it.
    return Optional.of(
        new JobView(
            jobId,
            job.runAttempt(),
            found.status(),
            found.conclusion(),
            found.runnerName() != null ? found.runnerName() : ranOn.get(jobId)));
  }

  /**
   * Faults met so far, by kind: {@code lost}, {@code duplicate}, {@code reorder} (deliveries) and
   * {@code error} (REST calls answered 5xx or 429).
   */
  public Map<String, Integer> faultCounts() {
    return draws.counts();
  }

  /**
   * The next {@code calls} REST calls the fleet makes answer {@code status} instead.
   *
   * @param status 429, 403 (a secondary rate limit) or 5xx
   */
  public void failNext(int calls, int status) {
    if (calls < 0) {
      throw new IllegalArgumentException("calls must be 0 or more, was " + calls);
    }
    if (!isFaultStatus(status)) {
      throw new IllegalArgumentException("status must be 429, 403 or 5xx, was " + status);
    }
    failNextStatus = status;
    failNextCalls.set(calls);
  }

  /** The statuses a scripted REST fault may answer: 429, 403 (secondary rate limit), 5xx. */
  public static boolean isFaultStatus(int status) {
    return status == 429 || status == 403 || (status >= 500 && status <= 599);
  }

  /**
   * Draws the fault schedule for one REST call: the status it answers instead of its result, or 0
   * when it answers as usual.
   */
  public int restFault() {
    for (int left = failNextCalls.get(); left > 0; left = failNextCalls.get()) {
      if (failNextCalls.compareAndSet(left, left - 1)) {
        draws.count("error");
        return failNextStatus;
      }
    }
    return draws.roll("error", gitHubFaults.errorRate()) ? draws.oneOf(500, 502, 503, 429) : 0;
  }

  private static String answered(int status) {
    return "GitHub answered " + status + " (simulated)";
  }

  @Override
  public DeliveryPage page(String cursor, int perPage) {
    int fault = restFault();
    return fault != 0 ? new DeliveryPage.RetryLater(answered(fault)) : deliveries(cursor, perPage);
  }

  /**
   * The App's delivery log as {@code GET /app/hook/deliveries} pages it, never failing: newest
   * first, {@code perPage} (1 to 100) at a time; a page's cursor names the oldest delivery on it,
   * and the next page holds older ones.
   */
  public DeliveryPage deliveries(String cursor, int perPage) {
    long before;
    try {
      before = cursor == null || cursor.isBlank() ? Long.MAX_VALUE : Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      return new DeliveryPage.Refused("not a cursor of this log: " + cursor);
    }
    int size = Math.max(1, Math.min(100, perPage));
    List<Delivery> page = new ArrayList<>(size);
    boolean more = false;
    synchronized (deliveryLog) {
      for (var newestFirst = deliveryLog.descendingIterator(); newestFirst.hasNext(); ) {
        Delivery d = newestFirst.next().delivery();
        if (d.id() >= before) {
          continue;
        }
        if (page.size() == size) {
          more = true;
          break;
        }
        page.add(d);
      }
    }
    String next = more ? Long.toString(page.get(page.size() - 1).id()) : null;
    return new DeliveryPage.Page(page, next);
  }

  /**
   * Sends a logged delivery's body again with its guid, flagged as a redelivery, once (no automatic
   * retries, no random faults); the answer is a new delivery in the log.
   */
  @Override
  public RedeliverResult redeliver(long deliveryId) {
    return redeliver(deliveryId, true);
  }

  /**
   * As {@link #redeliver(long)}; {@code faulty} false asks past the REST faults (a tester's hand on
   * the log, not a call of the fleet's).
   */
  public RedeliverResult redeliver(long deliveryId, boolean faulty) {
    if (faulty && restFault() != 0) {
      return RedeliverResult.RETRY_LATER;
    }
    Logged original;
    synchronized (deliveryLog) {
      original = deliveriesById.get(deliveryId);
    }
    if (original == null) {
      return RedeliverResult.REFUSED;
    }
    Outgoing again =
        new Outgoing(
            original.jobId(),
            original.delivery().action(),
            original.delivery().guid(),
            original.body(),
            true);
    inFlightSends.incrementAndGet();
    try {
      senders.execute(() -> deliver(again, 1));
    } catch (RejectedExecutionException e) {
      inFlightSends.decrementAndGet();
      return RedeliverResult.RETRY_LATER;
    }
    return RedeliverResult.ACCEPTED;
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
    ranOn.put(job.jobId(), runner.name());
    queueTimes.put(job.jobId(), Duration.between(job.createdAt(), clock.instant()));
    send(job, "in_progress", "in_progress", runner, null);
    runner.onStart().accept(job.duration());
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
    Instant now = clock.instant();
    conclusions.put(running.job().jobId(), conclusion);
    completionTimes.put(running.job().jobId(), Duration.between(running.job().createdAt(), now));
    lastConclusion.accumulateAndGet(now, (a, b) -> a == null || b.isAfter(a) ? b : a);
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
    Outgoing out = new Outgoing(job.jobId(), action, UUID.randomUUID().toString(), body, false);
    if (jobFaults.getOrDefault(job.jobId(), JobFaults.none()).lose().contains(action)) {
      draws.count("lost");
      lose(out, 0);
      return;
    }
    GitHubFaults faults = gitHubFaults;
    if (draws.roll("lost", faults.lostRate())) {
      lose(out, draws.oneOf(0, 502));
      return;
    }
    int copies = draws.roll("duplicate", faults.duplicateRate()) ? 2 : 1;
    for (int copy = 0; copy < copies; copy++) {
      long holdMillis = draws.roll("reorder", faults.reorderRate()) ? draws.between(200, 2000) : 0;
      inFlightSends.incrementAndGet();
      if (holdMillis == 0) {
        senders.execute(() -> deliver(out, 1));
      } else {
        brain.schedule(
            guarded(() -> senders.execute(() -> deliver(out, 1))),
            holdMillis,
            TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A delivery that never reached the runtime: failed in the log, and not retried, as GitHub. */
  private void lose(Outgoing out, int status) {
    LOG.info(
        "{} webhook for job {} lost (simulated fault; delivery log shows status {})",
        out.action(),
        out.jobId(),
        status);
    webhookFailures.incrementAndGet();
    log(out, status);
  }

  private void deliver(Outgoing out, int attempt) {
    int status = 0;
    try {
      byte[] bytes = out.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      status = sender.send("workflow_job", out.guid(), bytes, sender.sign(bytes));
      if (status >= 200 && status < 300) {
        log(out, status);
        webhooksSent.incrementAndGet();
        inFlightSends.decrementAndGet();
        return;
      }
      LOG.warn(
          "{} webhook for job {} answered {} (attempt {})",
          out.action(),
          out.jobId(),
          status,
          attempt);
    } catch (java.io.IOException e) {
      LOG.warn(
          "{} webhook for job {} failed (attempt {}): {}",
          out.action(),
          out.jobId(),
          attempt,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlightSends.decrementAndGet();
      return;
    }
    log(out, status);
    // A redelivery is one attempt: GitHub does not retry it either.
    if (attempt >= SEND_ATTEMPTS || out.redelivery()) {
      webhookFailures.incrementAndGet();
      inFlightSends.decrementAndGet();
      return;
    }
    // An operator's redelivery, with backoff: same body, new delivery id.
    Outgoing again =
        new Outgoing(out.jobId(), out.action(), UUID.randomUUID().toString(), out.body(), false);
    brain.schedule(
        guarded(() -> senders.execute(() -> deliver(again, attempt + 1))),
        100L * attempt,
        TimeUnit.MILLISECONDS);
  }

  private void log(Outgoing out, int status) {
    synchronized (deliveryLog) {
      Delivery delivery =
          new Delivery(
              ++lastDeliveryId,
              out.guid(),
              clock.instant(),
              out.redelivery(),
              status,
              "workflow_job",
              out.action());
      Logged logged = new Logged(delivery, out.jobId(), out.body());
      deliveryLog.addLast(logged);
      deliveriesById.put(delivery.id(), logged);
      if (deliveryLog.size() > LOG_LIMIT) {
        deliveriesById.remove(deliveryLog.removeFirst().delivery().id());
      }
    }
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

  /** When the latest job concluded (its {@code completed} webhook went out); empty before any. */
  public Optional<Instant> lastConclusion() {
    return Optional.ofNullable(lastConclusion.get());
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
