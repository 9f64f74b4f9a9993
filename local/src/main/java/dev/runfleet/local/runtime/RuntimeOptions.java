package dev.runfleet.local.runtime;

import dev.runfleet.common.domain.PlatformCatalog;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the local runtime is set up.
 *
 * @param port the HTTP port for {@code /webhook} and the read-only API; 0 picks a free one
 * @param webhookSecret the secret GitHub (or the simulated GitHub) signs webhooks with
 * @param platforms platforms with their caps, in routing order
 * @param globalCap max runners in flight across all platforms
 * @param bootMin shortest simulated host boot
 * @param bootMax longest simulated host boot
 * @param launchFailureRate share of simulated launches that answer a capacity error
 * @param sweepInterval how often every platform is re-dispatched without waiting for a change
 * @param parameterCacheSeconds how long the publisher caches the runtime parameters
 * @param hostedLabels labels GitHub serves with its own runners (jobs runfleet must ignore)
 * @param adoptPostedJobs let the simulated GitHub run jobs announced by webhooks posted by hand
 * @param launchRate the launch-rate parameter to start with ("R" or "R/B"), or null for the default
 * @param reconcile how often the reconciler runs and its deadlines
 * @param runnerIdleTimeout how long a runner without work waits before the publisher's sweep tears
 *     it down, or null for the publisher's default
 */
public record RuntimeOptions(
    int port,
    String webhookSecret,
    PlatformCatalog platforms,
    int globalCap,
    Duration bootMin,
    Duration bootMax,
    double launchFailureRate,
    Duration sweepInterval,
    int parameterCacheSeconds,
    Set<String> hostedLabels,
    boolean adoptPostedJobs,
    String launchRate,
    Reconcile reconcile,
    Duration runnerIdleTimeout) {

  /**
   * The reconciler in the local runtime.
   *
   * @param interval time between passes
   * @param bootDeadline launched runners not online at GitHub this long are torn down; null for the
   *     deployed defaults (5 min EC2, 3 min Fargate)
   * @param maxRunner the maximum lifetime of a runner
   */
  public record Reconcile(Duration interval, Duration bootDeadline, Duration maxRunner) {
    public static final Reconcile DEFAULTS =
        new Reconcile(Duration.ofSeconds(5), null, Duration.ofHours(6));

    public Reconcile {
      java.util.Objects.requireNonNull(interval, "interval");
      java.util.Objects.requireNonNull(maxRunner, "maxRunner");
    }

    /**
     * How long a job or a spin-up may look stuck before the reconciler asks GitHub: six passes, so
     * a webhook or a spin-up in flight is never taken for lost.
     */
    public Duration stuckAfter() {
      return interval.multipliedBy(6);
    }

    /**
     * How often the orphan sweep runs, and the grace of a fresh host or secret: six passes too (on
     * AWS ten minutes each), short enough to watch an orphan go while the runtime runs.
     */
    public Duration orphanSweep() {
      return stuckAfter();
    }
  }

  public static final Set<String> GITHUB_HOSTED =
      Set.of("ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "windows-latest", "macos-latest");

  public RuntimeOptions {
    Objects.requireNonNull(webhookSecret, "webhookSecret");
    Objects.requireNonNull(reconcile, "reconcile");
    if (webhookSecret.isBlank()) {
      throw new IllegalArgumentException("the webhook secret must not be blank");
    }
    hostedLabels = Set.copyOf(hostedLabels);
  }

  public static RuntimeOptions defaults(String webhookSecret) {
    return new RuntimeOptions(
        8080,
        webhookSecret,
        PlatformCatalog.defaults(),
        100,
        Duration.ofMillis(100),
        Duration.ofMillis(300),
        0.0,
        Duration.ofSeconds(2),
        2,
        GITHUB_HOSTED,
        false,
        null,
        Reconcile.DEFAULTS,
        null);
  }

  public RuntimeOptions withPort(int newPort) {
    return new RuntimeOptions(
        newPort,
        webhookSecret,
        platforms,
        globalCap,
        bootMin,
        bootMax,
        launchFailureRate,
        sweepInterval,
        parameterCacheSeconds,
        hostedLabels,
        adoptPostedJobs,
        launchRate,
        reconcile,
        runnerIdleTimeout);
  }

  public RuntimeOptions withLaunchRate(String rate) {
    return new RuntimeOptions(
        port,
        webhookSecret,
        platforms,
        globalCap,
        bootMin,
        bootMax,
        launchFailureRate,
        sweepInterval,
        parameterCacheSeconds,
        hostedLabels,
        adoptPostedJobs,
        rate,
        reconcile,
        runnerIdleTimeout);
  }

  public RuntimeOptions withAdoptPostedJobs(boolean adopt) {
    return new RuntimeOptions(
        port,
        webhookSecret,
        platforms,
        globalCap,
        bootMin,
        bootMax,
        launchFailureRate,
        sweepInterval,
        parameterCacheSeconds,
        hostedLabels,
        adopt,
        launchRate,
        reconcile,
        runnerIdleTimeout);
  }

  public RuntimeOptions withPlatforms(PlatformCatalog newPlatforms, int newGlobalCap) {
    return new RuntimeOptions(
        port,
        webhookSecret,
        newPlatforms,
        newGlobalCap,
        bootMin,
        bootMax,
        launchFailureRate,
        sweepInterval,
        parameterCacheSeconds,
        hostedLabels,
        adoptPostedJobs,
        launchRate,
        reconcile,
        runnerIdleTimeout);
  }

  public RuntimeOptions withBoot(Duration min, Duration max, double failureRate) {
    return new RuntimeOptions(
        port,
        webhookSecret,
        platforms,
        globalCap,
        min,
        max,
        failureRate,
        sweepInterval,
        parameterCacheSeconds,
        hostedLabels,
        adoptPostedJobs,
        launchRate,
        reconcile,
        runnerIdleTimeout);
  }

  public RuntimeOptions withRunnerIdleTimeout(Duration timeout) {
    return new RuntimeOptions(
        port,
        webhookSecret,
        platforms,
        globalCap,
        bootMin,
        bootMax,
        launchFailureRate,
        sweepInterval,
        parameterCacheSeconds,
        hostedLabels,
        adoptPostedJobs,
        launchRate,
        reconcile,
        timeout);
  }

  public RuntimeOptions withReconcile(Reconcile newReconcile) {
    return new RuntimeOptions(
        port,
        webhookSecret,
        platforms,
        globalCap,
        bootMin,
        bootMax,
        launchFailureRate,
        sweepInterval,
        parameterCacheSeconds,
        hostedLabels,
        adoptPostedJobs,
        launchRate,
        newReconcile,
        runnerIdleTimeout);
  }
}
