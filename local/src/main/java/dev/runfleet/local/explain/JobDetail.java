package dev.runfleet.local.explain;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.Runner;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One job with everything that explains it: the runners requested on its account (and the one it
 * ran on), its event ledger in arrival order, and the sentence saying why it is where it is.
 */
public record JobDetail(Job job, List<Runner> runners, List<LedgerEvent> events, String why) {

  /**
   * One event of the ledger: one per (job, attempt, kind), as the producer appended it.
   *
   * @param kind runfleet's event kind (waiting, queued, in_progress, completed)
   * @param action GitHub's action the kind stands for ({@code queued} announces a waiting job too)
   * @param runner the runner GitHub named, if any
   * @param conclusion the conclusion of a completed job, if any
   */
  public record LedgerEvent(
      String kind,
      Instant time,
      String deliveryId,
      String action,
      Optional<String> runner,
      Optional<String> conclusion) {}

  /** The runner the job ran on, else the last one requested for it, if any. */
  public Optional<String> runner() {
    if (job.ranOn() != null) {
      return Optional.of(job.ranOn());
    }
    return Optional.ofNullable(job.dispatchedRunner());
  }
}
