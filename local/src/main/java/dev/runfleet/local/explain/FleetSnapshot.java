package dev.runfleet.local.explain;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The fleet at one moment, as the publisher sees it: effective limits (parameters over defaults,
 * under the deployed ceilings), the table's slot counters and queue, and the launch budget.
 *
 * @param paused the pause switch in force
 * @param pausedSince when the pause parameter was last written, if paused
 * @param platforms per platform, in routing order
 * @param global the cap across platforms
 * @param launchRate the launch budget
 * @param catalog the platforms the publisher routes to, for "no platform has labels"
 * @param allowList the allow-list parameter's value, empty when everyone may use the fleet
 * @param at when this was read
 */
public record FleetSnapshot(
    boolean paused,
    Optional<Instant> pausedSince,
    List<PlatformState> platforms,
    GlobalState global,
    LaunchBudgetState launchRate,
    PlatformCatalog catalog,
    Optional<String> allowList,
    Instant at) {

  /** Where a cap's value comes from: a valid runtime parameter, or the deployed default. */
  public enum CapSource {
    DEFAULT,
    PARAMETER;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One platform.
   *
   * @param holders runners holding a slot of it, oldest first
   * @param hostsAlive slot holders whose compute runs (launched or busy)
   * @param oldestQueuedAt the head of its queue, if any job waits
   */
  public record PlatformState(
      String name,
      int cap,
      CapSource capSource,
      int inFlight,
      int hostsAlive,
      int queued,
      Optional<Instant> oldestQueuedAt,
      List<Runner> holders) {

    /** Seconds the head of the queue has waited at {@code now}, 0 when none waits. */
    public long oldestQueuedSeconds(Instant now) {
      return oldestQueuedAt
          .map(t -> Math.max(0, now.getEpochSecond() - t.getEpochSecond()))
          .orElse(0L);
    }
  }

  /** The cap across platforms and the runners holding one of its slots. */
  public record GlobalState(int cap, CapSource capSource, int inFlight, List<Runner> holders) {}

  /**
   * The launch budget (GCRA over the table's budget item).
   *
   * @param nextSlotSeconds how long the next spin-up would wait now, 0 when it may go
   */
  public record LaunchBudgetState(LaunchRate rate, double nextSlotSeconds) {}

  public Optional<PlatformState> platform(String name) {
    return platforms.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
