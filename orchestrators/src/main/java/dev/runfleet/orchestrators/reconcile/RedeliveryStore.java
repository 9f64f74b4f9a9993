package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.common.port.GitHubDeliveries.RedeliverResult;
import java.time.Instant;

/**
 * What {@link LostWebhooks} remembers between passes: its place in the App's delivery log, and
 * which guids it already asked GitHub to redeliver.
 */
public interface RedeliveryStore {

  /**
   * The reconciler's place in the delivery log (newest first).
   *
   * @param watermark every delivery before this was examined; null before the first complete scan
   * @param scanTop the newest delivery of the scan in progress, which becomes the watermark when
   *     the scan reaches the old one; null between scans
   * @param cursor the page the scan in progress continues from; null between scans
   * @param version for the conditional write (0: never written)
   */
  record Progress(Instant watermark, Instant scanTop, String cursor, long version) {
    static final Progress NONE = new Progress(null, null, null, 0);
  }

  Progress progress();

  /**
   * Saves {@code next} if no other pass moved the progress since {@code read}; false if one did.
   */
  boolean saveProgress(Progress read, Progress next);

  /** True when the reconciler asked for {@code guid} before (and GitHub did not ask it to wait). */
  boolean asked(String guid);

  void rememberAsked(String guid, RedeliverResult outcome, Instant now);
}
