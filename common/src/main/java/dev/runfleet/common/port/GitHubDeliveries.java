package dev.runfleet.common.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The GitHub App's webhook delivery log ({@code GET /app/hook/deliveries}) and redelivery ({@code
 * POST /app/hook/deliveries/{id}/attempts}), both authenticated as the App. GitHub never redelivers
 * a failed webhook by itself; the reconciler reads this log and asks for each lost {@code
 * workflow_job} delivery again, and the producer's dedupe absorbs any it already had.
 */
public interface GitHubDeliveries {

  /**
   * One page of deliveries, newest first.
   *
   * @param cursor the {@code cursor} of the page to read, null for the newest
   * @param perPage at most 100, as GitHub allows
   */
  DeliveryPage page(String cursor, int perPage);

  /** Asks GitHub to deliver {@code deliveryId} again (a new delivery with the same guid). */
  RedeliverResult redeliver(long deliveryId);

  /**
   * A delivery as GitHub lists it.
   *
   * @param guid the {@code X-GitHub-Delivery} value; a redelivery keeps its original's
   * @param statusCode the HTTP status our endpoint answered, 0 when none arrived (timeout, refused)
   * @param action the payload's {@code action} ({@code queued}, {@code in_progress}, ...), or null
   */
  record Delivery(
      long id,
      String guid,
      Instant deliveredAt,
      boolean redelivery,
      int statusCode,
      String event,
      String action) {
    public Delivery {
      Objects.requireNonNull(guid, "guid");
      Objects.requireNonNull(deliveredAt, "deliveredAt");
      Objects.requireNonNull(event, "event");
    }

    /** Our endpoint answered 2xx. */
    public boolean delivered() {
      return statusCode >= 200 && statusCode < 300;
    }
  }

  sealed interface DeliveryPage {
    /**
     * @param nextCursor the cursor of the next (older) page, null on the last
     */
    record Page(List<Delivery> deliveries, String nextCursor) implements DeliveryPage {
      public Page {
        deliveries = List.copyOf(deliveries);
      }
    }

    /** Throttled or GitHub unavailable. */
    record RetryLater(String reason) implements DeliveryPage {}

    /** Refused for good (credentials, permissions). */
    record Refused(String reason) implements DeliveryPage {}
  }

  enum RedeliverResult {
    /** GitHub accepted the redelivery (202). */
    ACCEPTED,
    /** Refused (unknown delivery, too old, not permitted): do not ask again. */
    REFUSED,
    /** Throttled or GitHub unavailable. */
    RETRY_LATER
  }
}
