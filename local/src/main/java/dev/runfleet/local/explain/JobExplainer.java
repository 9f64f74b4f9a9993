package dev.runfleet.local.explain;

import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.local.explain.FleetSnapshot.PlatformState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why a job is where it is, in one sentence, from its ledger and the fleet's live state. The rules
 * mirror the publisher's dispatch pass in its order: a queued job waits for the pause switch, then
 * its platform's cap, then the global cap, then the older jobs of its platform (FIFO), then the
 * launch budget.
 */
public final class JobExplainer {

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLOCK_SECONDS =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Holders named before "and N more". */
  private static final int NAMED_HOLDERS = 3;

  private JobExplainer() {}

  /**
   * @param runners the runners requested on the job's account (and the one it ran on), any order
   * @param events the job's ledger
   * @param ahead queued jobs of its platform older than it (only read for a queued job)
   */
  public static String why(
      Job job,
      List<Runner> runners,
      List<JobDetail.LedgerEvent> events,
      FleetSnapshot fleet,
      int ahead) {
    List<Runner> mine = runners.stream().sorted(Comparator.comparing(Runner::createdAt)).toList();
    return switch (job.status()) {
      case IGNORED -> ignored(job, fleet);
      case WAITING -> "waiting for environment approval";
      case QUEUED -> queued(job, mine, fleet, ahead);
      case DISPATCHED -> dispatched(job, mine);
      case IN_PROGRESS -> running(job, events);
      case COMPLETED -> completed(job, events);
    };
  }

  private static String ignored(Job job, FleetSnapshot fleet) {
    if (job.ignoredReason() == IgnoredReason.NOT_ALLOWED) {
      return "not allowed: "
          + job.repository()
          + " is not on the allow-list"
          + fleet.allowList().map(list -> " [" + list + "]").orElse("")
          + " (runfleet allow get)";
    }
    return "ignored: no platform has labels "
        + job.labels()
        + "; platforms: "
        + fleet.catalog().all().stream()
            .map(JobExplainer::describe)
            .collect(Collectors.joining(", "));
  }

  private static String describe(Platform platform) {
    return platform.name() + " " + platform.runnerLabels().stream().sorted().toList();
  }

  private static String queued(Job job, List<Runner> mine, FleetSnapshot fleet, int ahead) {
    String retry = failures(mine).map(f -> "; " + f + ", queued again").orElse("");
    if (fleet.paused()) {
      return fleet
              .pausedSince()
              .map(t -> "paused since " + CLOCK.format(t) + " UTC")
              .orElse("paused")
          + " (runfleet resume)"
          + retry;
    }
    Optional<PlatformState> platform = fleet.platform(job.platform());
    if (platform.isEmpty()) {
      return "waiting: platform "
          + job.platform()
          + " is not one the publisher serves now; platforms: "
          + String.join(", ", fleet.catalog().names())
          + retry;
    }
    PlatformState p = platform.get();
    if (p.inFlight() >= p.cap()) {
      return "waiting: "
          + p.name()
          + " cap "
          + p.inFlight()
          + "/"
          + p.cap()
          + heldBy(p.holders())
          + retry;
    }
    FleetSnapshot.GlobalState global = fleet.global();
    if (global.inFlight() >= global.cap()) {
      return "waiting: global cap "
          + global.inFlight()
          + "/"
          + global.cap()
          + heldBy(global.holders())
          + retry;
    }
    if (ahead > 0) {
      return "waiting: "
          + ahead
          + " older "
          + p.name()
          + (ahead == 1 ? " job goes" : " jobs go")
          + " first"
          + retry;
    }
    double next = fleet.launchRate().nextSlotSeconds();
    if (next > 0) {
      return String.format(Locale.ROOT, "next launch slot in %.1f s", next) + retry;
    }
    return "queued: next in line for a free " + p.name() + " slot" + retry;
  }

  private static String heldBy(List<Runner> holders) {
    if (holders.isEmpty()) {
      return "";
    }
    String named =
        holders.stream().limit(NAMED_HOLDERS).map(Runner::name).collect(Collectors.joining(", "));
    int more = holders.size() - NAMED_HOLDERS;
    return " held by " + named + (more > 0 ? " and " + more + " more" : "");
  }

  /** "launch failed N times: reason" when runners on the job's account failed. */
  private static Optional<String> failures(List<Runner> mine) {
    List<Runner> failed = mine.stream().filter(r -> r.status() == RunnerStatus.FAILED).toList();
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    String reason = failed.get(failed.size() - 1).detail();
    return Optional.of(
        "launch failed "
            + (failed.size() == 1 ? "once" : failed.size() + " times")
            + (reason == null ? "" : ": " + reason));
  }

  private static String dispatched(Job job, List<Runner> mine) {
    Optional<Runner> current =
        mine.stream().filter(r -> r.name().equals(job.dispatchedRunner())).findFirst();
    if (current.isEmpty()) {
      return "dispatched: runner " + job.dispatchedRunner() + " requested";
    }
    Runner runner = current.get();
    return switch (runner.status()) {
      case FAILED ->
          failures(mine).orElseThrow()
              + "; no attempts left, the reconciler takes the job from here";
      case REQUESTED ->
          "dispatched: runner "
              + runner.name()
              + " requested at "
              + CLOCK_SECONDS.format(runner.createdAt())
              + " UTC, its host is starting";
      case LAUNCHED ->
          "dispatched: runner "
              + runner.name()
              + " is up since "
              + CLOCK_SECONDS.format(runner.updatedAt())
              + " UTC, waiting for GitHub to give it the job";
      case BUSY ->
          "dispatched: runner "
              + runner.name()
              + " is busy since "
              + CLOCK_SECONDS.format(runner.updatedAt())
              + " UTC (GitHub gives a runner any job its labels fit: if another took it, this"
              + " job waits for the next)";
      case STOPPED ->
          "dispatched: runner "
              + runner.name()
              + " stopped before the job started"
              + (runner.detail() == null ? "" : " (" + runner.detail() + ")")
              + "; the job is queued again";
    };
  }

  private static String running(Job job, List<JobDetail.LedgerEvent> events) {
    String on = job.ranOn() == null ? "" : " on " + job.ranOn();
    String since =
        at(events, "in_progress").map(t -> " since " + CLOCK_SECONDS.format(t) + " UTC").orElse("");
    String stolen =
        job.dispatchedRunner() != null
                && job.ranOn() != null
                && !job.ranOn().equals(job.dispatchedRunner())
            ? " (GitHub gave it this runner, not " + job.dispatchedRunner() + ")"
            : "";
    return "running" + on + since + stolen;
  }

  private static String completed(Job job, List<JobDetail.LedgerEvent> events) {
    Optional<JobDetail.LedgerEvent> done =
        events.stream().filter(e -> "completed".equals(e.kind())).findFirst();
    String conclusion =
        done.flatMap(JobDetail.LedgerEvent::conclusion).map(c -> " (" + c + ")").orElse("");
    String on = job.ranOn() == null ? "" : " on " + job.ranOn();
    String when = done.map(e -> " at " + CLOCK_SECONDS.format(e.time()) + " UTC").orElse("");
    return "completed" + conclusion + on + when;
  }

  private static Optional<Instant> at(List<JobDetail.LedgerEvent> events, String kind) {
    return events.stream()
        .filter(e -> kind.equals(e.kind()))
        .map(JobDetail.LedgerEvent::time)
        .findFirst();
  }
}
