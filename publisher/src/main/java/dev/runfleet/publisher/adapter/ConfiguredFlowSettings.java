package dev.runfleet.publisher.adapter;

import dev.runfleet.common.domain.Platform;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.flow.FlowSettings;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Caps from the deployment's configuration: each platform's configured cap and the global cap,
 * never paused.
 */
@Singleton
public final class ConfiguredFlowSettings implements FlowSettings {

  private final int globalCap;

  @Inject
  public ConfiguredFlowSettings(PublisherConfig config) {
    this.globalCap = config.globalCap();
  }

  @Override
  public int platformCap(Platform platform) {
    return platform.cap();
  }

  @Override
  public int globalCap() {
    return globalCap;
  }

  @Override
  public boolean paused() {
    return false;
  }
}
