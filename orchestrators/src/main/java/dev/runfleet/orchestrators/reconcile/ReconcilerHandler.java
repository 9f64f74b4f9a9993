package dev.runfleet.orchestrators.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.runfleet.aws.Telemetry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lambda entry point of the reconciler, run by an EventBridge schedule every minute: one pass per
 * invocation, answering what it repaired. A pass that fails (the table unreachable) fails the
 * invocation; the next minute's pass starts afresh, so nothing is retried by Lambda.
 */
public final class ReconcilerHandler
    implements RequestHandler<ScheduledEvent, Map<String, Object>> {

  private final Reconciler reconciler;
  private final Telemetry telemetry;

  public ReconcilerHandler() {
    this(ReconcilerWiring.component(System.getenv()));
  }

  public ReconcilerHandler(ReconcilerComponent component) {
    this.reconciler = component.reconciler();
    this.telemetry = component.telemetry();
  }

  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    return telemetry.invoke(
        context,
        () -> {
          Reconciler.PassReport report = reconciler.pass();
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("repairs", report.repairs());
          answer.put("gitHubCalls", report.gitHubCalls());
          answer.put("awsCalls", report.awsCalls());
          answer.put("deferred", report.deferred());
          return answer;
        });
  }
}
