package dev.runfleet.publisher.flow;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.Platform;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy-time ceilings over the operator's runtime knobs: whoever can write a parameter under
 * {@code /runfleet/<stage>/} still cannot raise a platform's cap or the launch rate above what
 * Terraform set ({@code flow.max_cap_per_platform}, {@code flow.max_launch_rate}). A value above a
 * ceiling is clamped to it, with one WARN per distinct value. The global cap needs no ceiling of
 * its own: a reservation holds only under the platform's cap too, so the fleet never exceeds the
 * sum of the clamped platform caps.
 */
public final class FlowCeilings implements FlowSettings {

  private static final Logger LOG = LoggerFactory.getLogger(FlowCeilings.class);

  private final FlowSettings settings;
  private final int maxCapPerPlatform;
  private final double maxLaunchRate;
  private final int maxBurst;
  private final Map<String, Object> warned = new ConcurrentHashMap<>();
  private final Consumer<String> warnings;

  /**
   * @param maxCapPerPlatform the highest cap any platform gets
   * @param maxLaunchRate the highest launch rate, per second; the burst is held to it rounded up
   */
  public FlowCeilings(FlowSettings settings, int maxCapPerPlatform, double maxLaunchRate) {
    this(settings, maxCapPerPlatform, maxLaunchRate, LOG::warn);
  }

  FlowCeilings(
      FlowSettings settings,
      int maxCapPerPlatform,
      double maxLaunchRate,
      Consumer<String> warnings) {
    if (maxCapPerPlatform < 0 || !(maxLaunchRate > 0)) {
      throw new IllegalArgumentException(
          "ceilings must be a cap >= 0 and a rate > 0: "
              + maxCapPerPlatform
              + ", "
              + maxLaunchRate);
    }
    this.settings = settings;
    this.maxCapPerPlatform = maxCapPerPlatform;
    this.maxLaunchRate = maxLaunchRate;
    this.maxBurst = (int) Math.ceil(maxLaunchRate);
    this.warnings = warnings;
  }

  @Override
  public int platformCap(Platform platform) {
    int cap = settings.platformCap(platform);
    if (cap <= maxCapPerPlatform) {
      return cap;
    }
    warnOnce("caps/" + platform.name(), cap, maxCapPerPlatform);
    return maxCapPerPlatform;
  }

  @Override
  public int globalCap() {
    return settings.globalCap();
  }

  @Override
  public boolean paused() {
    return settings.paused();
  }

  @Override
  public LaunchRate launchRate() {
    LaunchRate rate = settings.launchRate();
    if (rate.perSecond() <= maxLaunchRate && rate.burst() <= maxBurst) {
      return rate;
    }
    LaunchRate clamped =
        new LaunchRate(Math.min(rate.perSecond(), maxLaunchRate), Math.min(rate.burst(), maxBurst));
    warnOnce("launch-rate", rate, clamped);
    return clamped;
  }

  private void warnOnce(String knob, Object value, Object ceiling) {
    if (!value.equals(warned.put(knob, value))) {
      warnings.accept(
          "runtime parameter "
              + knob
              + " = "
              + value
              + " is above the deployed ceiling; using "
              + ceiling);
    }
  }
}
