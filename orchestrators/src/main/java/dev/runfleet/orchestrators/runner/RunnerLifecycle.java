package dev.runfleet.orchestrators.runner;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.AllowListSource;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.GitHubRunners.JitResult;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.common.port.RunnerLauncher.LaunchOutcome;
import dev.runfleet.common.port.RunnerStore;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.hostevents.HostEnd;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out runner commands for one platform: a spin-up claims the runner record, mints a JIT
 * config, hands it over as a short-lived secret and starts compute that knows only the secret's
 * name; a tear-down stops compute, deregisters the runner at GitHub and records it stopped. Every
 * step is guarded by the runner record, so duplicates and reorderings of commands are harmless.
 *
 * <p>A spin-up starts nothing for a repository the allow-list refuses: the check runs again here,
 * after the producer's, because the list may have changed while the job waited for a slot. The
 * runner fails with reason {@code not-allowed} (its slot is given back) and GitHub is never called.
 *
 * <p>A tear-down never kills a busy runner. A runner our records show serving a job is stopped
 * because that job completed. A runner with no job of ours (an orphan, or one whose job was
 * cancelled) is deregistered at GitHub first: GitHub refuses while the runner runs a job it took
 * meanwhile, and once deregistered it can take none, so its host can go. The one exception is a
 * forced tear-down, which the reconciler sends only past a runner's maximum lifetime and grace: its
 * host is stopped even while GitHub says it runs a job that is not ours.
 */
@Singleton
public final class RunnerLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerLifecycle.class);

  private final RunnerStore runners;
  private final GitHubRunners gitHub;
  private final RunnerLauncher launcher;
  private final JitHandOff handOff;
  private final AllowListSource allowList;
  private final OrchestratorConfig config;
  private final Telemetry telemetry;
  private final Clock clock;

  @Inject
  public RunnerLifecycle(
      RunnerStore runners,
      GitHubRunners gitHub,
      RunnerLauncher launcher,
      JitHandOff handOff,
      AllowListSource allowList,
      OrchestratorConfig config,
      Telemetry telemetry,
      Clock clock) {
    this.runners = runners;
    this.gitHub = gitHub;
    this.launcher = launcher;
    this.handOff = handOff;
    this.allowList = allowList;
    this.config = config;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  public CommandOutcome handle(RunnerCommand command) {
    if (!config.platform().name().equals(command.platform())) {
      return new CommandOutcome.Poison(
          "command for platform "
              + command.platform()
              + " reached the "
              + config.platform().name()
              + " queue");
    }
    if (command instanceof RunnerCommand.SpinUp spinUp) {
      return spinUp(spinUp);
    }
    RunnerCommand.TearDown tearDown = (RunnerCommand.TearDown) command;
    Optional<Runner> runner = runners.find(command.runnerName());
    if (tearDown.hostId() != null) {
      return runner.isEmpty() || runner.get().status().isTerminal()
          ? stopOrphanHost(tearDown)
          : new CommandOutcome.Done("orphan tear-down ignored: runner is " + runner.get().status());
    }
    if (runner.isEmpty()) {
      return new CommandOutcome.Done("tear-down of unknown runner " + command.runnerName());
    }
    return tearDown(tearDown, runner.get());
  }

  /**
   * The claim is the first store call, made blind on the guess that the runner waits for its
   * launch: its answer carries the record either way, so a duplicate (runner past REQUESTED), a
   * launch held by another invocation and an unknown runner are told apart without a read before
   * it.
   */
  private CommandOutcome spinUp(RunnerCommand.SpinUp command) {
    Instant now = clock.instant();
    String claim = UUID.randomUUID().toString();
    RunnerStore.LaunchClaim claimed = claim(command.runnerName(), claim, now);
    if (!claimed.claimed()) {
      if (claimed.runner().isEmpty()) {
        return new CommandOutcome.Poison("spin-up for unknown runner " + command.runnerName());
      }
      RunnerStatus status = claimed.runner().get().status();
      return status == RunnerStatus.REQUESTED
          ? new CommandOutcome.RetryLater(
              "launch of " + command.runnerName() + " claimed by another invocation")
          : new CommandOutcome.Done("runner already " + status);
    }
    // The record under the claim: with any JIT config an earlier holder recorded.
    Runner runner = claimed.runner().get();
    CommandOutcome outcome = null;
    try {
      outcome = launchClaimed(command, runner, claim);
      return outcome;
    } finally {
      if (!(outcome instanceof CommandOutcome.Done)) {
        // A retry (or an exception on its way to one) must not wait out the lease.
        runners.releaseClaim(runner.name(), claim);
      }
    }
  }

  /**
   * Claims the launch for this invocation. A claim whose write failed may still have taken effect
   * (the answer lost, the call timed out after DynamoDB applied it): it is given back before the
   * failure goes on, else every retry would find it held and wait out the whole lease.
   */
  private RunnerStore.LaunchClaim claim(String runnerName, String claim, Instant now) {
    try {
      return runners.claimLaunch(runnerName, claim, now.plus(config.launchLease()), now);
    } catch (StoreUnavailableException e) {
      try {
        runners.releaseClaim(runnerName, claim);
      } catch (StoreUnavailableException release) {
        e.addSuppressed(release);
      }
      throw e;
    }
  }

  private CommandOutcome launchClaimed(RunnerCommand.SpinUp command, Runner runner, String claim) {
    AllowList list;
    try {
      list = allowList.current();
    } catch (StoreUnavailableException e) {
      return new CommandOutcome.RetryLater(e.getMessage());
    }
    GitHubScope scope = runner.scope();
    if (!list.permits(scope.organization(), scope.repository())) {
      LOG.warn(
          "runner {} not started: repository {} (organization {}) matches no pattern of the"
              + " allow-list {}",
          runner.name(),
          scope.repository(),
          scope.isOrganization() ? scope.organization() : "none",
          list.describe());
      telemetry.count("SpinUpsNotAllowed");
      return fail(runner, IgnoredReason.NOT_ALLOWED.wireName());
    }
    if (runner.jitSecret() != null && runner.githubRunnerId() != null) {
      Optional<CommandOutcome> resumed = resume(command, runner, claim);
      if (resumed.isPresent()) {
        return resumed.get();
      }
    }
    JitResult jit =
        gitHub.createJitConfig(
            new GitHubRunners.JitRequest(runner.name(), command.runnerLabels(), runner.scope()));
    if (jit instanceof JitResult.RetryLater r) {
      telemetry.count("JitRetries");
      return new CommandOutcome.RetryLater("JIT config: " + r.reason());
    }
    if (jit instanceof JitResult.Rejected r) {
      return fail(runner, "GitHub refused the JIT config: " + r.reason());
    }
    JitConfig jitConfig = ((JitResult.Minted) jit).config();
    long runnerId = jitConfig.runnerId();
    JitHandOff.StoreResult stored = handOff.store(runner.platform(), runner.name(), jitConfig);
    if (!(stored instanceof JitHandOff.StoreResult.Stored storedSecret)) {
      deregister(runner.scope(), runnerId);
      if (stored instanceof JitHandOff.StoreResult.RetryLater r) {
        return new CommandOutcome.RetryLater(r.reason());
      }
      return fail(runner, ((JitHandOff.StoreResult.Rejected) stored).reason());
    }
    String secret = storedSecret.reference();
    // Recorded before any host may use it: from here on a retry (after a crash anywhere below)
    // reuses this config and finds the host started with it, instead of minting a second one.
    if (!runners.recordJitConfig(runner.name(), claim, runnerId, secret, clock.instant())) {
      abandon(runner, runnerId, secret);
      return tornDown(runner)
          ? new CommandOutcome.Done("torn down before launch")
          : new CommandOutcome.RetryLater("launch of " + runner.name() + " lost its claim");
    }
    return launch(command, runner, claim, runnerId, secret);
  }

  /**
   * A retry of a launch whose JIT config is already recorded. A host started with it (the earlier
   * attempt crashed before recording it) is recorded now, with the recorded runner id, which is the
   * one that host runs; a config still unused is launched again; a config gone without a host
   * (taken by a host since stopped, or cleaned up) is deregistered, and empty means: mint anew.
   */
  private Optional<CommandOutcome> resume(
      RunnerCommand.SpinUp command, Runner runner, String claim) {
    long runnerId = runner.githubRunnerId();
    String secret = runner.jitSecret();
    RunnerLauncher.HostLookup host = launcher.find(runner.name());
    if (host instanceof RunnerLauncher.HostLookup.RetryLater r) {
      return Optional.of(new CommandOutcome.RetryLater("host lookup: " + r.reason()));
    }
    JitHandOff.Presence presence = handOff.presence(secret);
    if (presence == JitHandOff.Presence.RETRY_LATER) {
      return Optional.of(new CommandOutcome.RetryLater("hand-over secret lookup"));
    }
    if (host instanceof RunnerLauncher.HostLookup.Found found) {
      LOG.info(
          "runner {}: an earlier attempt started host {} with runner id {}; recording it",
          runner.name(),
          found.hostId(),
          runnerId);
      telemetry.count("LaunchesResumed");
      // A secret already gone was read by that host, which only a bound host can do.
      return Optional.of(
          launched(
              runner,
              claim,
              new LaunchOutcome.Launched(found.hostId()),
              runnerId,
              secret,
              presence == JitHandOff.Presence.HELD));
    }
    if (presence == JitHandOff.Presence.HELD) {
      LOG.info("runner {}: reusing its unused JIT config (runner id {})", runner.name(), runnerId);
      telemetry.count("JitConfigsReused");
      return Optional.of(launch(command, runner, claim, runnerId, secret));
    }
    LOG.info(
        "runner {}: JIT config of runner id {} is spent and no host runs it; minting anew",
        runner.name(),
        runnerId);
    if (gitHub.deleteRunner(runner.scope(), runnerId) == GitHubRunners.DeleteResult.RETRY_LATER) {
      return Optional.of(
          new CommandOutcome.RetryLater("deregistration of spent runner id " + runnerId));
    }
    return Optional.empty();
  }

  private CommandOutcome launch(
      RunnerCommand.SpinUp command, Runner runner, String claim, long runnerId, String secret) {
    // An exception (a crash on the way back from the host API) leaves the recorded config in
    // place: the retry finds the host it may have started, or reuses the config.
    boolean avoidSpot = previousLostItsSpotHost(command, runner);
    if (avoidSpot) {
      LOG.info(
          "runner {}: the job's previous runner lost its spot host; asking for on-demand",
          runner.name());
    }
    LaunchOutcome outcome =
        launcher.launch(
            new RunnerLauncher.LaunchRequest(
                runner.name(),
                runner.platform(),
                command.runnerLabels(),
                secret,
                claim,
                avoidSpot));
    if (outcome instanceof LaunchOutcome.Launched launched) {
      return launched(runner, claim, launched, runnerId, secret, true);
    }
    if (outcome instanceof LaunchOutcome.RetryLater r) {
      // The config stays recorded and unused: the retry launches with it, minting nothing.
      telemetry.count("LaunchRetries");
      return new CommandOutcome.RetryLater("launch: " + r.reason());
    }
    abandon(runner, runnerId, secret);
    return fail(runner, "launch refused: " + ((LaunchOutcome.Rejected) outcome).reason());
  }

  /**
   * Whether this job's runner of the previous dispatch ({@code
   * rf-<platform>-<job>-<attempt>-<n-1>}) ended with its spot host interrupted: one read, only for
   * a re-dispatch.
   */
  private boolean previousLostItsSpotHost(RunnerCommand.SpinUp command, Runner runner) {
    if (command.job() == null) {
      return false;
    }
    String name = runner.name();
    int dispatch;
    try {
      dispatch = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (dispatch <= 1) {
      return false;
    }
    return runners
        .find(Runner.nameFor(runner.platform(), command.job(), dispatch - 1))
        .map(Runner::detail)
        .filter(detail -> detail.startsWith(HostEnd.SPOT_INTERRUPTED))
        .isPresent();
  }

  private CommandOutcome launched(
      Runner runner,
      String claim,
      LaunchOutcome.Launched launched,
      long runnerId,
      String secret,
      boolean bind) {
    if (bind) {
      // Until it is bound, no host may read the secret (IAM compares the binding with the
      // caller's aws:userid); the runner's read retries cover the seconds this takes. Bound before
      // the launch is recorded, so a launch reported done always has a readable secret.
      JitHandOff.BindResult bound = handOff.bindToHost(secret, launched.hostId());
      if (bound != JitHandOff.BindResult.BOUND) {
        // A host whose secret is not bound can never read it: stop it and undo the attempt.
        LOG.warn(
            "runner {}: hand-over secret not bound to host {} ({}); stopping the host",
            runner.name(),
            launched.hostId(),
            bound);
        undoLaunch(runner, launched, runnerId, secret);
        if (tornDown(runner)) {
          // A tear-down during the launch already deleted the secret: nothing failed.
          return new CommandOutcome.Done("launched after tear-down; undone");
        }
        if (bound == JitHandOff.BindResult.RETRY_LATER) {
          return new CommandOutcome.RetryLater("binding the hand-over secret to its host");
        }
        return fail(runner, "the hand-over secret could not be bound to host " + launched.hostId());
      }
    }
    if (runners.markLaunched(runner.name(), claim, launched.hostId(), runnerId, clock.instant())) {
      LOG.info("runner {} launched on {}", runner.name(), launched.hostId());
      telemetry.count("RunnersLaunched");
      return new CommandOutcome.Done("launched");
    }
    if (!tornDown(runner)) {
      // Our lease ran out and another invocation owns the launch; the launcher is idempotent by
      // runner name, so the host is the same one: leave it to that invocation.
      return new CommandOutcome.Done("launch superseded by another invocation");
    }
    LOG.info(
        "runner {} was torn down during its launch; stopping host {}",
        runner.name(),
        launched.hostId());
    undoLaunch(runner, launched, runnerId, secret);
    return new CommandOutcome.Done("launched after tear-down; undone");
  }

  private CommandOutcome fail(Runner runner, String reason) {
    LOG.error("runner {} failed: {}", runner.name(), reason);
    telemetry.count("LaunchFailures");
    runners.markFailed(runner.name(), reason, clock.instant());
    return new CommandOutcome.Done("failed: " + reason);
  }

  /** Whether the runner's record has ended (or is gone) while its launch was under way. */
  private boolean tornDown(Runner runner) {
    return runners.find(runner.name()).map(r -> r.status().isTerminal()).orElse(true);
  }

  /** A host this attempt started that no runner record will own: stop it, then abandon. */
  private void undoLaunch(
      Runner runner, LaunchOutcome.Launched launched, long runnerId, String secret) {
    launcher.stop(runner.name(), launched.hostId());
    abandon(runner, runnerId, secret);
  }

  /** A minted config no host will use: delete its secret and the registration it made. */
  private void abandon(Runner runner, long runnerId, String secret) {
    handOff.remove(secret);
    deregister(runner.scope(), runnerId);
  }

  private void deregister(GitHubScope scope, long runnerId) {
    if (gitHub.deleteRunner(scope, runnerId) == GitHubRunners.DeleteResult.RETRY_LATER) {
      LOG.warn(
          "runner id {} could not be deregistered now; GitHub removes unused JIT runners itself",
          runnerId);
    }
  }

  /**
   * The reconciler's sweep found a host of ours that no live runner record owns (the record ended
   * or expired while the host kept running): stop it and delete what hand-over secret is left. The
   * record is read again first: a live one keeps its host.
   */
  private CommandOutcome stopOrphanHost(RunnerCommand.TearDown command) {
    if (launcher.stop(command.runnerName(), command.hostId())
        == RunnerLauncher.StopOutcome.RETRY_LATER) {
      return new CommandOutcome.RetryLater("stop of orphan host " + command.hostId());
    }
    if (handOff.removeAll(command.platform(), command.runnerName())
        == JitHandOff.RemoveResult.RETRY_LATER) {
      return new CommandOutcome.RetryLater("deletion of the orphan's hand-over secret");
    }
    LOG.info(
        "orphan host {} of runner {} stopped: {}",
        command.hostId(),
        command.runnerName(),
        command.reason());
    telemetry.count("OrphanHostsStopped");
    return new CommandOutcome.Done("orphan host stopped");
  }

  private CommandOutcome tearDown(RunnerCommand.TearDown command, Runner runner) {
    if (runner.status().isTerminal()) {
      return new CommandOutcome.Done("runner already " + runner.status());
    }
    // A runner serving our job, or forced past its maximum lifetime, stops whatever GitHub says:
    // its host first, then its registration.
    boolean stopFirst = runner.status() == RunnerStatus.BUSY || command.force();
    if (!stopFirst && runner.githubRunnerId() != null) {
      // No job of ours ran on it, but GitHub may have handed it one this very moment: deregister
      // first. GitHub refuses while the runner is busy, and a deregistered runner takes no job.
      switch (gitHub.deleteRunner(runner.scope(), runner.githubRunnerId())) {
        case BUSY -> {
          LOG.info(
              "runner {} is running a job GitHub gave it; kept ({} not carried out)",
              runner.name(),
              command.reason());
          telemetry.count("TearDownsRefusedBusy");
          return new CommandOutcome.Done("kept: runner is busy");
        }
        case RETRY_LATER -> {
          return new CommandOutcome.RetryLater(
              "deregistration of runner id " + runner.githubRunnerId());
        }
        case REFUSED ->
            LOG.warn(
                "GitHub refused to deregister runner id {}; stopping its host anyway, GitHub removes"
                    + " the offline runner itself",
                runner.githubRunnerId());
        case DELETED -> {}
      }
    }
    String hostId = runner.hostId();
    if (hostId == null && runner.jitSecret() != null) {
      // A launch may have started a host and crashed before recording it: find it by name.
      RunnerLauncher.HostLookup host = launcher.find(runner.name());
      if (host instanceof RunnerLauncher.HostLookup.RetryLater r) {
        return new CommandOutcome.RetryLater("host lookup: " + r.reason());
      }
      if (host instanceof RunnerLauncher.HostLookup.Found found) {
        hostId = found.hostId();
      }
    }
    if (hostId != null
        && launcher.stop(runner.name(), hostId) == RunnerLauncher.StopOutcome.RETRY_LATER) {
      return new CommandOutcome.RetryLater("stop of host " + hostId);
    }
    if (stopFirst && runner.githubRunnerId() != null) {
      GitHubRunners.DeleteResult deleted =
          gitHub.deleteRunner(runner.scope(), runner.githubRunnerId());
      if (deleted == GitHubRunners.DeleteResult.RETRY_LATER) {
        return new CommandOutcome.RetryLater(
            "deregistration of runner id " + runner.githubRunnerId());
      }
    }
    if (handOff.removeAll(runner.platform(), runner.name())
        == JitHandOff.RemoveResult.RETRY_LATER) {
      return new CommandOutcome.RetryLater("deletion of the runner's hand-over secret");
    }
    runners.markStopped(runner.name(), command.reason(), clock.instant());
    LOG.info("runner {} stopped: {}", runner.name(), command.reason());
    telemetry.count("RunnersStopped");
    if (command.force() && runner.status() != RunnerStatus.BUSY) {
      telemetry.count("TearDownsForced");
    }
    return new CommandOutcome.Done("stopped");
  }
}
