package dev.runfleet.common.port;

import java.util.Objects;

/**
 * A just-in-time runner configuration from GitHub: a single-use bearer credential. {@link
 * #toString()} masks it so it cannot reach a log line by accident.
 */
public record JitConfig(long runnerId, String encodedConfig) {

  public JitConfig {
    Objects.requireNonNull(encodedConfig, "encodedConfig");
  }

  @Override
  public String toString() {
    return "JitConfig[runnerId=" + runnerId + ", encodedConfig=****]";
  }
}
