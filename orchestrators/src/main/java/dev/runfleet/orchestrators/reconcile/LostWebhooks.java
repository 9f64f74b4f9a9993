package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubDeliveries.Delivery;
import dev.runfleet.common.port.GitHubDeliveries.DeliveryPage;
import dev.runfleet.common.port.GitHubDeliveries.RedeliverResult;
import dev.runfleet.orchestrators.reconcile.RedeliveryStore.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's step for lost webhooks: GitHub never redelivers a failed webhook, so each pass
 * reads the App's delivery log, newest first, back to where the last complete scan began, and asks
 * GitHub once to redeliver every {@code workflow_job} delivery whose guid has no 2xx delivery; the
 * producer's dedupe absorbs a redelivery of something it had after all.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>A scan runs from the newest delivery down to the watermark (the newest delivery of the last
 *       complete scan, less {@link #OVERLAP}); the first scan ever goes back {@code firstLookback}.
 *       A scan cut short (budget spent, {@code maxPerPass} reached, GitHub unavailable) keeps the
 *       cursor of the page it stopped on, and the next pass continues there; the watermark moves
 *       only when a scan is complete, so no failed delivery is passed over.
 *   <li>A guid is asked for once: each request is noted (with GitHub's answer) before the next, and
 *       a noted guid is not asked again — also when GitHub refused it. A request GitHub asked to
 *       wait for is not noted, and is made again by a later pass.
 *   <li>Each page read and each redelivery is one call of the pass's GitHub budget; at most {@code
 *       maxPerPass} redeliveries per pass; {@code maxPerPass} 0 turns the step off.
 *   <li>A delivery older than GitHub's redelivery window ({@link #REDELIVERY_WINDOW}) ends the scan
 *       with a log line: GitHub would refuse it, and everything after it is older still.
 * </ul>
 */
@Singleton
public final class LostWebhooks {

  private static final Logger LOG = LoggerFactory.getLogger(LostWebhooks.class);

  /** GitHub redelivers deliveries of the past 3 days only. */
  public static final Duration REDELIVERY_WINDOW = Duration.ofDays(3);

  /**
   * How far below the last scan's newest delivery the next scan reads: a delivery GitHub lists a
   * moment late, with an earlier time, is still examined.
   */
  static final Duration OVERLAP = Duration.ofMinutes(1);

  static final int PAGE_SIZE = 100;

  /** The repair kind of one redelivery GitHub accepted. */
  static final String REDELIVERED = "redelivered";

  /**
   * @param firstLookback how far back the first scan ever reads
   * @param maxPerPass redeliveries asked per pass at most; 0 turns the step off
   */
  public record Settings(Duration firstLookback, int maxPerPass) {
    public Settings {
      Objects.requireNonNull(firstLookback, "firstLookback");
      if (firstLookback.isNegative()
          || firstLookback.isZero()
          || firstLookback.compareTo(REDELIVERY_WINDOW) > 0) {
        throw new IllegalArgumentException("firstLookback must be within GitHub's 3 days");
      }
      if (maxPerPass < 0) {
        throw new IllegalArgumentException("maxPerPass must not be negative");
      }
    }

    public static Settings defaults() {
      return new Settings(Duration.ofHours(1), 10);
    }
  }

  private final GitHubDeliveries deliveries;
  private final RedeliveryStore store;
  private final Settings settings;
  private final Telemetry telemetry;

  @Inject
  public LostWebhooks(
      GitHubDeliveries deliveries, RedeliveryStore store, Settings settings, Telemetry telemetry) {
    this.deliveries = deliveries;
    this.store = store;
    this.settings = settings;
    this.telemetry = telemetry;
  }

  /**
   * One pass's share.
   *
   * @param gitHubCall takes one call from the pass's GitHub budget; false when it is spent
   * @param repaired told {@link #REDELIVERED} for each redelivery GitHub accepted
   */
  public void redeliver(Instant now, BooleanSupplier gitHubCall, Consumer<String> repaired) {
    if (settings.maxPerPass() == 0) {
      return;
    }
    Scan scan = new Scan(store.progress(), now);
    while (scan.open && gitHubCall.getAsBoolean()) {
      DeliveryPage page = deliveries.page(scan.cursor, PAGE_SIZE);
      if (page instanceof DeliveryPage.Page p) {
        read(p, scan, gitHubCall, repaired, now);
      } else if (page instanceof DeliveryPage.Refused r) {
        refused(r, scan);
      } else {
        scan.open = false; // RetryLater: GitHub's own reason is logged by the client
      }
    }
    if (!scan.next().equals(scan.read)) {
      if (!store.saveProgress(scan.read, scan.next())) {
        LOG.info("another reconciler pass moved the delivery log progress; it stands");
      }
    }
  }

  /** Where this pass stands in the delivery log. */
  private final class Scan {
    final Progress read;
    final Instant floor;
    final Instant windowStart;
    String cursor;
    Instant top;
    Instant watermark;
    boolean open = true;
    final Set<String> delivered = new HashSet<>();
    final Set<String> seenLost = new HashSet<>();
    int asked;

    Scan(Progress read, Instant now) {
      this.read = read;
      this.cursor = read.cursor();
      this.top = read.scanTop();
      this.watermark = read.watermark();
      this.floor =
          read.watermark() != null ? read.watermark() : now.minus(settings.firstLookback());
      this.windowStart = now.minus(REDELIVERY_WINDOW);
    }

    /** The scan reached its floor or the end of the log: the next scan starts from the top. */
    void complete() {
      if (top != null) {
        Instant next = top.minus(OVERLAP);
        watermark = watermark == null || next.isAfter(watermark) ? next : watermark;
      } else if (watermark == null) {
        watermark = floor;
      }
      top = null;
      cursor = null;
      open = false;
    }

    Progress next() {
      return new Progress(watermark, top, cursor, read.version());
    }
  }

  private void read(
      DeliveryPage.Page page,
      Scan scan,
      BooleanSupplier gitHubCall,
      Consumer<String> repaired,
      Instant now) {
    for (Delivery delivery : page.deliveries()) {
      if (scan.top == null || delivery.deliveredAt().isAfter(scan.top)) {
        scan.top = delivery.deliveredAt();
      }
      if (delivery.deliveredAt().isBefore(scan.floor)) {
        scan.complete();
        return;
      }
      if (delivery.deliveredAt().isBefore(scan.windowStart)) {
        LOG.warn(
            "webhook delivery {} (guid {}, {}) and all older ones are past GitHub's {}-day"
                + " redelivery window: not examined; failed ones among them cannot be redelivered",
            delivery.id(),
            delivery.guid(),
            delivery.deliveredAt(),
            REDELIVERY_WINDOW.toDays());
        scan.complete();
        return;
      }
      if (delivery.delivered()) {
        scan.delivered.add(delivery.guid());
      } else if (lost(delivery, scan) && !ask(delivery, scan, gitHubCall, repaired, now)) {
        // Stopped on this page: the next pass reads it again; what was asked is noted.
        scan.open = false;
        return;
      }
    }
    if (page.nextCursor() == null) {
      scan.complete();
    } else {
      scan.cursor = page.nextCursor();
    }
  }

  /** A failed workflow_job delivery whose guid has no 2xx delivery and was never asked for. */
  private boolean lost(Delivery delivery, Scan scan) {
    if (!"workflow_job".equals(delivery.event())
        || scan.delivered.contains(delivery.guid())
        || !scan.seenLost.add(delivery.guid())
        || store.asked(delivery.guid())) {
      return false;
    }
    return true;
  }

  /** Asks GitHub to redeliver; false when the pass must stop here (no budget, GitHub waits). */
  private boolean ask(
      Delivery delivery,
      Scan scan,
      BooleanSupplier gitHubCall,
      Consumer<String> repaired,
      Instant now) {
    if (scan.asked >= settings.maxPerPass() || !gitHubCall.getAsBoolean()) {
      LOG.info(
          "lost webhook delivery {} (guid {}) waits for the next pass: {} redeliveries asked, the"
              + " pass's limit or its GitHub budget is spent",
          delivery.id(),
          delivery.guid(),
          scan.asked);
      return false;
    }
    RedeliverResult result = deliveries.redeliver(delivery.id());
    if (result == RedeliverResult.RETRY_LATER) {
      return false;
    }
    telemetry.count("LostWebhooks");
    store.rememberAsked(delivery.guid(), result, now);
    scan.asked++;
    String what =
        "webhook delivery "
            + delivery.id()
            + " (guid "
            + delivery.guid()
            + ", workflow_job "
            + delivery.action()
            + ", "
            + delivery.deliveredAt()
            + ") failed with "
            + (delivery.statusCode() == 0 ? "no answer" : "HTTP " + delivery.statusCode());
    if (result == RedeliverResult.ACCEPTED) {
      LOG.warn("reconciler: {}: redelivery requested", what);
      telemetry.count("Redeliveries");
      repaired.accept(REDELIVERED);
    } else {
      LOG.warn("reconciler: {}: GitHub refused to redeliver it; not asked again", what);
    }
    return true;
  }

  private void refused(DeliveryPage.Refused refused, Scan scan) {
    if (scan.cursor != null) {
      // A cursor GitHub no longer takes (expired): the next pass scans again from the top.
      LOG.warn(
          "webhook delivery log refused its resume cursor ({}); the next scan starts from the"
              + " newest delivery down to the watermark",
          refused.reason());
      scan.cursor = null;
      scan.top = null;
    } else {
      LOG.warn("webhook delivery log refused: {}", refused.reason());
    }
    scan.open = false;
  }
}
