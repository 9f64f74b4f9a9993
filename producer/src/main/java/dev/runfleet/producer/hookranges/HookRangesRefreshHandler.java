package dev.runfleet.producer.hookranges;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.producer.di.HookRangesRefreshComponent;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point on an EventBridge schedule (and once at deploy): refreshes the parameter of
 * GitHub's hook ranges. A run that could not refresh fails the invocation, so the function's errors
 * alarm sees it; the parameter then keeps its last value.
 *
 * <p>The schedule's event is taken as a plain map and not read: as {@code ScheduledEvent} it would
 * bring Joda-Time (0.4 MB, 735 entries) into the producer's jar for a field nobody reads.
 */
public final class HookRangesRefreshHandler implements RequestHandler<Map<String, Object>, String> {

  private static final Logger LOG = LoggerFactory.getLogger(HookRangesRefreshHandler.class);

  private final HookRangesRefresh refresh;
  private final Telemetry telemetry;

  /** Lambda's constructor: configuration from the environment, wiring once per process. */
  public HookRangesRefreshHandler() {
    this(HookRangesRefreshConfig.from(System.getenv()));
  }

  /** A handler wired from {@code config}. */
  public HookRangesRefreshHandler(HookRangesRefreshConfig config) {
    this(component(config));
  }

  private HookRangesRefreshHandler(HookRangesRefreshComponent component) {
    this(component.refresh(), component.telemetry());
  }

  HookRangesRefreshHandler(HookRangesRefresh refresh, Telemetry telemetry) {
    this.refresh = refresh;
    this.telemetry = telemetry;
  }

  private static HookRangesRefreshComponent component(HookRangesRefreshConfig config) {
    LOG.info("hook-ranges refresher starting with {}", config);
    return HookRangesRefreshComponent.create(config);
  }

  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    HookRangesRefresh.Outcome outcome = telemetry.invoke(context, refresh::run);
    if (outcome instanceof HookRangesRefresh.Outcome.Failed failed) {
      throw new HookRangesNotRefreshedException(failed.reason());
    }
    return outcome instanceof HookRangesRefresh.Outcome.Written ? "written" : "unchanged";
  }

  /** Fails the invocation: the run left the parameter as it was (the reason is logged already). */
  public static final class HookRangesNotRefreshedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HookRangesNotRefreshedException(String reason) {
      super("hook ranges not refreshed: " + reason);
    }
  }
}
