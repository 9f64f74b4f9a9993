package dev.runfleet.local.sim;

/**
 * Random faults of the simulated GitHub, each a probability in [0, 1], drawn from one seeded
 * generator so a run is reproducible.
 *
 * @param duplicateRate a delivery is sent twice (same guid, as GitHub's retries are)
 * @param reorderRate a delivery is held back 0.2–2 s, so later ones overtake it
 * @param lostRate a delivery fails (in the delivery log as failed, status 0 or 502)
 * @param errorRate a REST call the fleet makes answers 5xx or 429 (a RetryLater result) instead
 * @param seed the generator's seed
 */
public record GitHubFaults(
    double duplicateRate, double reorderRate, double lostRate, double errorRate, long seed) {

  public GitHubFaults {
    Rates.check("duplicateRate", duplicateRate);
    Rates.check("reorderRate", reorderRate);
    Rates.check("lostRate", lostRate);
    Rates.check("errorRate", errorRate);
  }

  public static GitHubFaults none() {
    return new GitHubFaults(0, 0, 0, 0, 0);
  }
}
