package dev.runfleet.common.config;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The names and the value rules of the fleet's runtime parameters, shared by the functions that
 * read them, the CLI that writes them and the Terraform module that creates them. In AWS they live
 * in SSM Parameter Store; locally in the local runtime's parameter store, under the same names.
 *
 * <pre>
 * /runfleet/{stage}/caps/{platform}   max runners in flight for a platform         (default: the platform's cap)
 * /runfleet/{stage}/caps/global       max runners in flight across all platforms   (default: RUNFLEET_GLOBAL_CAP)
 * /runfleet/{stage}/launch-rate       spin-ups per second across the fleet, "R" or "R/B" with burst B
 * /runfleet/{stage}/paused            "true" stops new dispatches; in-flight runners continue (default false)
 * /runfleet/{stage}/allow             who may use the fleet, see {@link dev.runfleet.common.domain.AllowList}
 *                                     (read by the producer and the orchestrators; default everyone)
 * /runfleet/{stage}/reconcile/github-calls  GitHub API calls one reconciler pass may make (default 30)
 * /runfleet/{stage}/reconcile/aws-calls     AWS API calls one reconciler pass may make (default 60)
 * </pre>
 */
public final class RuntimeParameters {

  public static final String GLOBAL = "global";
  private static final int MAX_CAP = 100_000;

  private RuntimeParameters() {}

  /** The common prefix, ending in a slash: {@code /runfleet/{stage}/}. */
  public static String prefix(String stage) {
    return "/runfleet/" + stage + "/";
  }

  public static String cap(String stage, String platformOrGlobal) {
    return prefix(stage) + "caps/" + platformOrGlobal;
  }

  public static String launchRate(String stage) {
    return prefix(stage) + "launch-rate";
  }

  public static String paused(String stage) {
    return prefix(stage) + "paused";
  }

  /** The allow-list; its value rules are {@link dev.runfleet.common.domain.AllowList}'s. */
  public static String allow(String stage) {
    return prefix(stage) + "allow";
  }

  /** GitHub API calls one reconciler pass may make: never the JIT budget's. */
  public static String reconcileGitHubCalls(String stage) {
    return prefix(stage) + "reconcile/github-calls";
  }

  /** AWS API calls (host lookups, table writes aside) one reconciler pass may make. */
  public static String reconcileAwsCalls(String stage) {
    return prefix(stage) + "reconcile/aws-calls";
  }

  /** A per-pass call budget: a whole number from 0 (the pass only reads the table) to 10,000. */
  public static OptionalInt parseCallBudget(String text) {
    OptionalInt value = parseCap(text);
    return value.isPresent() && value.getAsInt() <= 10_000 ? value : OptionalInt.empty();
  }

  /**
   * The stage from {@code key} (default {@code dev}), as every function reads it: it names the
   * parameters' prefix, so it is 1 to 64 letters, digits, '_', '.' or '-'; otherwise a problem is
   * recorded in {@code env}.
   */
  public static String stage(Env env, String key) {
    String stage = env.optional(key, "dev");
    if (!stage.matches("[A-Za-z0-9_.-]{1,64}")) {
      env.problem(key + " must be 1-64 letters, digits, '_', '.', '-'");
    }
    return stage;
  }

  /** How long a function reuses a parameter read, from {@code key}: 0 to 300 s, default 5. */
  public static int cacheSeconds(Env env, String key) {
    return env.integer(key, 5, 0, 300);
  }

  /** A cap: a whole number from 0 to 100,000; empty when the text is not one. */
  public static OptionalInt parseCap(String text) {
    if (text == null) {
      return OptionalInt.empty();
    }
    try {
      int value = Integer.parseInt(text.trim());
      return value < 0 || value > MAX_CAP ? OptionalInt.empty() : OptionalInt.of(value);
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** {@code true} or {@code false}, any case; empty otherwise. */
  public static Optional<Boolean> parsePaused(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /**
   * A launch rate: {@code R} or {@code R/B}, R in (0, 1000] per second, burst B in [1, 10000]
   * (default ⌈R⌉).
   */
  public static Optional<LaunchRate> parseLaunchRate(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String[] parts = text.trim().split("/", -1);
    if (parts.length > 2) {
      return Optional.empty();
    }
    try {
      double rate = Double.parseDouble(parts[0].trim());
      if (!(rate > 0) || rate > 1000 || Double.isNaN(rate)) {
        return Optional.empty();
      }
      int burst = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : (int) Math.ceil(rate);
      if (burst < 1 || burst > 10_000) {
        return Optional.empty();
      }
      return Optional.of(new LaunchRate(rate, burst));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Spin-ups per second across the fleet and how many may go at once after a quiet spell. The
   * default respects GitHub's JIT budget of about 3 per second per App.
   */
  public record LaunchRate(double perSecond, int burst) {
    public static final LaunchRate DEFAULT = new LaunchRate(3, 10);

    /** Microseconds between two spin-ups at this rate, at least 1. */
    public long intervalMicros() {
      return Math.max(1, Math.round(1_000_000 / perSecond));
    }

    /**
     * How long the next spin-up waits, in microseconds (0 or less: it may go now), given the launch
     * budget's theoretical arrival time {@code tat} (GCRA; negative when none was taken yet): a
     * spin-up may go when {@code tat - now <= (burst - 1) * interval}.
     */
    public long waitMicros(long tat, long nowMicros) {
      long tolerance = (burst - 1L) * intervalMicros();
      return Math.max(tat, nowMicros) - tolerance - nowMicros;
    }

    @Override
    public String toString() {
      return (perSecond == Math.rint(perSecond)
              ? Long.toString((long) perSecond)
              : Double.toString(perSecond))
          + "/"
          + burst;
    }
  }
}
