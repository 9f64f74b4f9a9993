package dev.runfleet.orchestrators.hostevents;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.RunnerStore;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a host's end at once, so nothing waits for a webhook that will never come. The runner is
 * deregistered at GitHub (an interrupted host has up to two minutes in which GitHub could still
 * hand it a job), its hand-over secrets deleted, and its record marked STOPPED with the reason. The
 * record's change reaches the publisher through the stream like any runner's end: its slot comes
 * back exactly once ({@code slotReleased}) and a job that had not started goes back to QUEUED and
 * is dispatched again, which after a spot interruption asks for on-demand capacity under {@code
 * spotPreferred} (the next spin-up reads {@link HostEnd#SPOT_INTERRUPTED}). A job that was running
 * is lost at GitHub: after a spot interruption it is re-run through the API when its platform sets
 * {@code rerunOnInterruption}.
 *
 * <p>Hosts without this stage's tag, runners we have no record of, an end of an earlier host of the
 * runner, and repeated events are ignored: only the call that moves the record to STOPPED acts on
 * the job.
 */
public final class HostEnds {

  private static final Logger LOG = LoggerFactory.getLogger(HostEnds.class);

  private final HostOwners owners;
  private final RunnerStore runners;
  private final GitHubRunners gitHub;
  private final JitHandOff handOff;
  private final PlatformCatalog platforms;
  private final Telemetry telemetry;
  private final Clock clock;

  public HostEnds(
      HostOwners owners,
      RunnerStore runners,
      GitHubRunners gitHub,
      JitHandOff handOff,
      PlatformCatalog platforms,
      Telemetry telemetry,
      Clock clock) {
    this.owners = owners;
    this.runners = runners;
    this.gitHub = gitHub;
    this.handOff = handOff;
    this.platforms = platforms;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /** What became of one end. */
  public sealed interface Outcome {
    record Recorded(String runnerName) implements Outcome {}

    record Ignored(String why) implements Outcome {}

    /** The host API or the table could not answer: the event is delivered again. */
    record RetryLater(String reason) implements Outcome {}
  }

  public Outcome record(HostEnd end) {
    HostOwners.Owner owner = owners.owner(end);
    if (owner instanceof HostOwners.Owner.RetryLater r) {
      return new Outcome.RetryLater(r.reason());
    }
    if (owner instanceof HostOwners.Owner.NotOurs n) {
      LOG.debug("host {} is not ours ({}); its end is ignored", end.hostId(), n.why());
      telemetry.count("HostEndsIgnored");
      return new Outcome.Ignored("not ours: " + n.why());
    }
    String name = ((HostOwners.Owner.Ours) owner).runnerName();
    Optional<Runner> found = runners.find(name);
    if (found.isEmpty()) {
      LOG.debug("host {} names runner {}, which has no record; ignored", end.hostId(), name);
      telemetry.count("HostEndsIgnored");
      return new Outcome.Ignored("no runner record " + name);
    }
    Runner runner = found.get();
    if (runner.hostId() != null && !runner.hostId().equals(end.hostId())) {
      LOG.debug("runner {} runs on {}, not {}; ignored", name, runner.hostId(), end.hostId());
      telemetry.count("HostEndsIgnored");
      return new Outcome.Ignored("runner " + name + " runs on another host");
    }
    if (runner.status().isTerminal()) {
      telemetry.count("HostEndsDuplicate");
      return new Outcome.Ignored("runner " + name + " already " + runner.status());
    }
    boolean busy = runner.status() == RunnerStatus.BUSY;
    if (runner.githubRunnerId() != null) {
      GitHubRunners.DeleteResult deleted =
          gitHub.deleteRunner(runner.scope(), runner.githubRunnerId());
      if (deleted == GitHubRunners.DeleteResult.RETRY_LATER && !busy) {
        // An interrupted host may live two more minutes: it must not take a job meanwhile.
        return new Outcome.RetryLater("deregistration of runner id " + runner.githubRunnerId());
      }
    }
    if (handOff.removeAll(runner.platform(), name) == JitHandOff.RemoveResult.RETRY_LATER) {
      return new Outcome.RetryLater("deletion of runner " + name + "'s hand-over secrets");
    }
    if (!runners.markStopped(name, end.stopReason(), clock.instant())) {
      telemetry.count("HostEndsDuplicate");
      return new Outcome.Ignored("runner " + name + " ended meanwhile");
    }
    LOG.info("runner {} ended with its host {}: {}", name, end.hostId(), end.reason());
    telemetry.count("HostEndsRecorded");
    if (end.cause() == HostEnd.Cause.SPOT_INTERRUPTION) {
      telemetry.count("SpotInterruptions");
      if (busy) {
        rerun(runner);
      }
    }
    return new Outcome.Recorded(name);
  }

  private void rerun(Runner runner) {
    boolean wanted =
        platforms.find(runner.platform()).map(Platform::rerunOnInterruption).orElse(false);
    if (!wanted || runner.jobKey() == null) {
      LOG.warn(
          "job {} was running on interrupted runner {}; GitHub fails it (rerunOnInterruption is"
              + " off for {})",
          runner.jobKey(),
          runner.name(),
          runner.platform());
      telemetry.count("JobsLostToInterruption");
      return;
    }
    GitHubRunners.RerunResult result = gitHub.rerunJob(runner.scope(), runner.jobKey().jobId());
    if (result == GitHubRunners.RerunResult.RERUN) {
      LOG.info(
          "job {} re-run at GitHub after its runner {} was interrupted",
          runner.jobKey(),
          runner.name());
      telemetry.count("JobsRerun");
    } else {
      LOG.error(
          "job {} was running on interrupted runner {} and could not be re-run ({}); re-run it by"
              + " hand",
          runner.jobKey(),
          runner.name(),
          result);
      telemetry.count("RerunsFailed");
    }
  }
}
