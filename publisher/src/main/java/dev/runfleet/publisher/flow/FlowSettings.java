package dev.runfleet.publisher.flow;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Platform;

/** The operator's limits, read at the moment of each decision. */
public interface FlowSettings {

  /** Max runners in flight for this platform. */
  int platformCap(Platform platform);

  /** Max runners in flight across all platforms. */
  int globalCap();

  /** True stops new dispatches; runners in flight continue. */
  boolean paused();

  /** Spin-ups per second across the fleet, with a burst. */
  RuntimeParameters.LaunchRate launchRate();
}
