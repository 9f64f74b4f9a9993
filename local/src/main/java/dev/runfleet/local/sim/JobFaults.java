package dev.runfleet.local.sim;

import java.util.Objects;
import java.util.Set;

/**
 * Faults scripted for one job.
 *
 * @param lose the {@code workflow_job} actions ({@code queued}, {@code in_progress}, {@code
 *     completed}) whose webhook fails to deliver; each shows as a failed delivery in the App's
 *     delivery log, from where it can be redelivered
 * @param host the fate of the first host launched for the job
 */
public record JobFaults(Set<String> lose, HostFate host) {

  /** The actions a job's webhooks can carry, and so the only ones {@code lose} may name. */
  public static final Set<String> ACTIONS = Set.of("queued", "in_progress", "completed");

  public JobFaults {
    lose = Set.copyOf(lose);
    Objects.requireNonNull(host, "host");
    for (String action : lose) {
      if (!ACTIONS.contains(action)) {
        throw new IllegalArgumentException(
            "unknown webhook to lose '"
                + action
                + "': expected one of queued, in_progress, completed");
      }
    }
  }

  public static JobFaults none() {
    return new JobFaults(Set.of(), HostFate.NORMAL);
  }
}
