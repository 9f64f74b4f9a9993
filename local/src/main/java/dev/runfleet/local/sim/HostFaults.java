package dev.runfleet.local.sim;

/**
 * Random faults of the simulated hosts, each a probability in [0, 1], drawn from one seeded
 * generator so a run is reproducible. A launch that succeeds draws at most one fate: the rates of
 * the four fates add up to at most 1.
 *
 * @param launchFailureRate a launch answers RetryLater (no capacity)
 * @param seed the generator's seed
 */
public record HostFaults(
    double launchFailureRate,
    double diesBeforeRegisterRate,
    double neverRegistersRate,
    double diesAfterRegisterRate,
    double spotInterruptedRate,
    long seed) {

  public HostFaults {
    Rates.check("launchFailureRate", launchFailureRate);
    Rates.check("diesBeforeRegisterRate", diesBeforeRegisterRate);
    Rates.check("neverRegistersRate", neverRegistersRate);
    Rates.check("diesAfterRegisterRate", diesAfterRegisterRate);
    Rates.check("spotInterruptedRate", spotInterruptedRate);
    double fates =
        diesBeforeRegisterRate + neverRegistersRate + diesAfterRegisterRate + spotInterruptedRate;
    if (fates > 1.0) {
      throw new IllegalArgumentException("host fate rates add up to " + fates + ", more than 1");
    }
  }

  public static HostFaults none() {
    return new HostFaults(0, 0, 0, 0, 0, 0);
  }
}
