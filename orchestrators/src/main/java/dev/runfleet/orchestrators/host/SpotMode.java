package dev.runfleet.orchestrators.host;

import java.util.Arrays;

/**
 * How a platform uses spot capacity: {@code spotOnly} never falls back (cheapest, may delay jobs),
 * {@code spotPreferred} falls back to on-demand on a spot capacity error in the same launch (the
 * default), {@code onDemandOnly} never asks for spot.
 */
public enum SpotMode {
  SPOT_ONLY("spotOnly"),
  SPOT_PREFERRED("spotPreferred"),
  ON_DEMAND_ONLY("onDemandOnly");

  private final String configName;

  SpotMode(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static SpotMode parse(String value) {
    return Arrays.stream(values())
        .filter(m -> m.configName.equalsIgnoreCase(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "spot mode must be spotOnly, spotPreferred or onDemandOnly, was " + value));
  }
}
