package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.Listing;
import dev.runfleet.common.port.ReconcileStore;
import dev.runfleet.common.port.RunnerStore;
import dev.runfleet.common.port.TaggedHosts;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's orphan sweep: what runfleet created and no live runner record owns any more.
 * "Live" means a runner record exists and is not STOPPED or FAILED; records are read by name (the
 * host's {@code runfleet:runner} tag, the registration's name, the secret's runner part).
 *
 * <ul>
 *   <li><b>host</b>: a host tagged with this stage, launched more than {@code grace} ago, whose
 *       record is terminal or missing, and whose runner GitHub does not list as busy, gets an
 *       orphan tear-down naming it; the orchestrator of its platform stops it (the reconciler stops
 *       nothing itself). Hosts wait until GitHub's runners were listed in full.
 *   <li><b>registration</b>: a GitHub runner whose name is ours ({@code rf-<platform>-}), offline
 *       and not busy at this sweep <em>and</em> the one before, whose record is terminal or
 *       missing, is deleted (GitHub refuses to delete a busy runner, which keeps it). Scopes
 *       listed: those of the runner records the status index holds now, live or ended.
 *   <li><b>secret</b>: a hand-over secret stored more than {@code grace} ago whose runner's record
 *       is terminal or missing is deleted.
 * </ul>
 *
 * <p>A pass sweeps when the last complete sweep is {@code every} old. Every page listed and every
 * stop or delete is paid from the pass's call budgets; when they run out the rest is deferred and
 * the next pass sweeps again.
 */
@Singleton
public final class OrphanSweep {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

  /** The calls a pass may still make: each answer true pays for one call. */
  public interface Calls {
    boolean takeGitHub();

    boolean takeAws();
  }

  private final RunnerStore runners;
  private final ReconcileStore store;
  private final GitHubRunners gitHub;
  private final TaggedHosts hosts;
  private final JitHandOff handOff;
  private final CommandBus bus;
  private final PlatformCatalog catalog;
  private final OrphanSettings settings;
  private final Telemetry telemetry;

  private Instant nextSweep = Instant.MIN;
  private Set<Long> offlineAtLastSweep = Set.of();

  @Inject
  public OrphanSweep(
      RunnerStore runners,
      ReconcileStore store,
      GitHubRunners gitHub,
      TaggedHosts hosts,
      JitHandOff handOff,
      CommandBus bus,
      PlatformCatalog catalog,
      OrphanSettings settings,
      Telemetry telemetry) {
    this.runners = runners;
    this.store = store;
    this.gitHub = gitHub;
    this.hosts = hosts;
    this.handOff = handOff;
    this.bus = bus;
    this.catalog = catalog;
    this.settings = settings;
    this.telemetry = telemetry;
  }

  /** One sweep if one is due: orphans removed by kind ({@code orphan-host}, ...). */
  public synchronized Map<String, Integer> sweepIfDue(Instant now, Calls calls) {
    if (settings.off() || now.isBefore(nextSweep)) {
      return Map.of();
    }
    Sweep sweep = new Sweep(now, calls);
    // Registrations first: a host whose runner GitHub lists as busy is never stopped.
    boolean registrationsListed = registrations(sweep);
    boolean complete = registrationsListed & hosts(sweep, registrationsListed) & secrets(sweep);
    if (complete) {
      nextSweep = now.plus(settings.every());
    }
    return Map.copyOf(sweep.removed);
  }

  private final class Sweep {
    final Instant now;
    final Calls calls;
    final Map<String, Optional<Runner>> records = new HashMap<>();
    final Map<String, Integer> removed = new TreeMap<>();
    final Set<String> busy = new HashSet<>();

    Sweep(Instant now, Calls calls) {
      this.now = now;
      this.calls = calls;
    }

    /** The runner's record, read once per sweep. */
    Optional<Runner> record(String runnerName) {
      return records.computeIfAbsent(runnerName, runners::find);
    }

    /** Whether a live record owns the runner. */
    boolean owned(String runnerName) {
      return record(runnerName).map(r -> !r.status().isTerminal()).orElse(false);
    }

    /** "is STOPPED", "is gone": for the log line. */
    String recordState(String runnerName) {
      return record(runnerName).map(r -> "is " + r.status()).orElse("is gone");
    }

    /** Younger than the grace, or of unknown age: not an orphan yet. */
    boolean young(Instant at) {
      return at == null || at.plus(settings.grace()).isAfter(now);
    }

    void removed(String kind, String what) {
      LOG.warn("reconciler: orphan {} {}", kind, what);
      removed.merge("orphan-" + kind, 1, Integer::sum);
      telemetry.count("Orphans", "kind", kind);
    }
  }

  /**
   * Hosts are stopped only after GitHub's runners were listed in full, so that a runner GitHub says
   * is busy keeps its host even when no record owns it.
   */
  private boolean hosts(Sweep sweep, boolean gitHubListed) {
    if (!gitHubListed) {
      return false;
    }
    Listing<TaggedHosts.TaggedHost> listed = hosts.tagged(sweep.calls::takeAws);
    for (TaggedHosts.TaggedHost host : listed.items()) {
      if (sweep.young(host.launchedAt()) || sweep.owned(host.runnerName())) {
        continue;
      }
      if (sweep.busy.contains(host.runnerName())) {
        LOG.info(
            "host {} of runner {} has no live record but GitHub says the runner is busy: kept",
            host.hostId(),
            host.runnerName());
        continue;
      }
      if (catalog.find(host.platform()).isEmpty()) {
        LOG.warn(
            "host {} of runner {} names platform {}, which this stage does not serve: left alone",
            host.hostId(),
            host.runnerName(),
            host.platform());
        continue;
      }
      if (!sweep.calls.takeAws()) {
        return false;
      }
      String reason = "orphan host: runner record " + sweep.recordState(host.runnerName());
      bus.publish(
          RunnerCommand.TearDown.orphanHost(
              host.runnerName(), host.platform(), host.hostId(), reason, sweep.now));
      sweep.removed(
          "host",
          host.hostId() + " of runner " + host.runnerName() + ": " + reason + ", stop sent");
    }
    return listed.complete();
  }

  private boolean registrations(Sweep sweep) {
    boolean complete = true;
    Set<Long> offline = new HashSet<>();
    for (GitHubScope scope : scopes()) {
      Listing<RunnerLookup.Found> listed = gitHub.listRunners(scope, sweep.calls::takeGitHub);
      complete &= listed.complete();
      for (RunnerLookup.Found runner : listed.items()) {
        if (runner.busy()) {
          sweep.busy.add(runner.name());
        }
        if (runner.online() || runner.busy() || !ours(runner.name())) {
          continue;
        }
        offline.add(runner.runnerId());
        if (!offlineAtLastSweep.contains(runner.runnerId()) || sweep.owned(runner.name())) {
          continue;
        }
        if (!sweep.calls.takeGitHub()) {
          complete = false;
          break;
        }
        GitHubRunners.DeleteResult deleted = gitHub.deleteRunner(scope, runner.runnerId());
        if (deleted == GitHubRunners.DeleteResult.DELETED) {
          sweep.removed(
              "registration",
              runner.name()
                  + " (id "
                  + runner.runnerId()
                  + ", "
                  + scope.repository()
                  + "): offline at two sweeps, runner record "
                  + sweep.recordState(runner.name())
                  + ", deleted");
        } else {
          LOG.info(
              "orphan registration {} (id {}) not deleted: GitHub answered {}",
              runner.name(),
              runner.runnerId(),
              deleted);
        }
      }
    }
    offlineAtLastSweep = Set.copyOf(offline);
    return complete;
  }

  /** Every scope a runner record of this stage names (org runners once per organisation). */
  private Set<GitHubScope> scopes() {
    Map<String, GitHubScope> byPath = new TreeMap<>();
    for (RunnerStatus status : RunnerStatus.values()) {
      for (ReconcileStore.Listed listed : store.runners(status, 100)) {
        GitHubScope scope = listed.runner().scope();
        byPath.putIfAbsent(
            scope.isOrganization() ? "org:" + scope.organization() : "repo:" + scope.repository(),
            scope);
      }
    }
    return new LinkedHashSet<>(byPath.values());
  }

  /** A name runfleet gives its runners: {@code rf-<platform>-...} for a platform served here. */
  private boolean ours(String name) {
    return catalog.names().stream().anyMatch(p -> name.startsWith("rf-" + p + "-"));
  }

  private boolean secrets(Sweep sweep) {
    Listing<JitHandOff.HandOffSecret> listed = handOff.list(sweep.calls::takeAws);
    for (JitHandOff.HandOffSecret secret : listed.items()) {
      if (sweep.young(secret.createdAt()) || sweep.owned(secret.runnerName())) {
        continue;
      }
      if (!sweep.calls.takeAws()) {
        return false;
      }
      if (handOff.remove(secret.reference()) == JitHandOff.RemoveResult.REMOVED) {
        sweep.removed(
            "secret",
            secret.reference()
                + " of runner "
                + secret.runnerName()
                + ": runner record "
                + sweep.recordState(secret.runnerName())
                + ", deleted");
      }
    }
    return listed.complete();
  }
}
