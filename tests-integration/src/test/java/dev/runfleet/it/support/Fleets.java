package dev.runfleet.it.support;

import static org.awaitility.Awaitility.await;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import dev.runfleet.local.sim.SimulatedHosts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;

/** Starting the local runtime for a scenario, and reading its state. */
public final class Fleets {

  /** Bound on any one wait for the pipeline; a healthy pipeline needs well under a second. */
  public static final Duration PIPELINE = Duration.ofSeconds(20);

  private Fleets() {}

  /** A fresh secret per runtime: no scenario can pass on a secret another one configured. */
  public static String newSecret() {
    return "it-" + UUID.randomUUID();
  }

  /**
   * A runtime on a free port with the default platforms capped as given, hosts that boot in 50-150
   * ms, and the demo's launch rate (the production default of 3 a second would make every burst a
   * test of patience).
   */
  public static LocalRuntime start(String secret, Map<String, Integer> caps, int globalCap) {
    return LocalRuntime.start(
        RuntimeOptions.defaults(secret)
            .withPort(0)
            .withPlatforms(PlatformCatalog.defaults().withCaps(caps), globalCap)
            .withBoot(Duration.ofMillis(50), Duration.ofMillis(150), 0.0)
            .withLaunchRate(Demo.Options.defaults().launchRate()));
  }

  /** Awaitility, polling every 25 ms, giving up after {@code atMost}. */
  public static ConditionFactory within(Duration atMost) {
    return await()
        .atMost(atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(25))
        .ignoreExceptions();
  }

  public static Optional<Job> job(LocalRuntime runtime, JobKey key) {
    return runtime.jobs().stream().filter(j -> j.key().equals(key)).findFirst();
  }

  /** Every runner that was requested for {@code key} or serves it, whatever became of it. */
  public static List<Runner> runnersInvolving(LocalRuntime runtime, JobKey key) {
    return runtime.runners().stream().filter(r -> Jobs.involves(r, key)).toList();
  }

  /** Every runner requested on {@code key}'s account, whatever became of it. */
  public static List<Runner> runnersRequestedFor(LocalRuntime runtime, JobKey key) {
    return runtime.runners().stream().filter(r -> Jobs.requestedFor(r, key)).toList();
  }

  /**
   * True when no runner holds a slot any more: every runner record ended and gave its slot back,
   * every counter is back to zero, no host is alive, and no webhook is still on its way.
   */
  public static boolean drained(LocalRuntime runtime) {
    if (!runtime.gitHub().quiet()) {
      return false;
    }
    boolean runnersDone =
        runtime.runners().stream().allMatch(r -> r.status().isTerminal() && r.slotReleased());
    if (!runnersDone || runtime.inFlight(SimulatedHosts.GLOBAL) != 0) {
      return false;
    }
    for (Platform p : runtime.options().platforms().all()) {
      if (runtime.inFlight(p.name()) != 0) {
        return false;
      }
    }
    return runtime.hosts().alive().values().stream().allMatch(n -> n == 0);
  }
}
