package dev.runfleet.producer.adapter;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.producer.intake.IntakeMetrics;
import dev.runfleet.producer.intake.Rejection;
import jakarta.inject.Inject;

/** The intake's counts as CloudWatch metrics through Powertools. */
public final class TelemetryIntakeMetrics implements IntakeMetrics {

  public static final String WEBHOOKS_RECEIVED = "WebhooksReceived";
  public static final String EVENTS_ACCEPTED = "EventsAccepted";
  public static final String EVENTS_DUPLICATE = "EventsDuplicate";
  public static final String EVENTS_IGNORED = "EventsIgnored";
  public static final String EVENTS_REJECTED = "EventsRejected";
  public static final String STORE_UNAVAILABLE = "StoreUnavailable";
  public static final String HOOK_RANGES_UNAVAILABLE = "HookRangesUnavailable";
  public static final String REASON = "reason";

  private final Telemetry telemetry;

  @Inject
  public TelemetryIntakeMetrics(Telemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public void received() {
    // Also guarantees every invocation flushes at least one metric (Powertools warns on an empty
    // flush).
    telemetry.count(WEBHOOKS_RECEIVED);
  }

  @Override
  public void accepted() {
    telemetry.count(EVENTS_ACCEPTED);
  }

  @Override
  public void duplicate() {
    telemetry.count(EVENTS_DUPLICATE);
  }

  @Override
  public void ignored() {
    telemetry.count(EVENTS_IGNORED);
  }

  @Override
  public void rejected(Rejection reason) {
    telemetry.count(EVENTS_REJECTED, REASON, reason.dimension());
  }

  @Override
  public void storeUnavailable() {
    telemetry.count(STORE_UNAVAILABLE);
  }

  @Override
  public void hookRangesUnavailable() {
    telemetry.count(HOOK_RANGES_UNAVAILABLE);
  }
}
