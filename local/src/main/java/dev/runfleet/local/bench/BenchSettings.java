package dev.runfleet.local.bench;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.publisher.flow.FlowSettings;

/**
 * The operator's limits as the benchmark sets them: one cap for every platform, changed between
 * passes to decide how many jobs a pass may dispatch; never paused.
 */
final class BenchSettings implements FlowSettings {

  private final int globalCap;
  private final LaunchRate launchRate;
  private volatile int platformCap;

  BenchSettings(int platformCap, int globalCap, LaunchRate launchRate) {
    this.platformCap = platformCap;
    this.globalCap = globalCap;
    this.launchRate = launchRate;
  }

  void platformCap(int cap) {
    platformCap = cap;
  }

  @Override
  public int platformCap(Platform platform) {
    return platformCap;
  }

  @Override
  public int globalCap() {
    return globalCap;
  }

  @Override
  public boolean paused() {
    return false;
  }

  @Override
  public LaunchRate launchRate() {
    return launchRate;
  }
}
