package dev.runfleet.orchestrators.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.LambdaEventJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lambda entry point of the reconciler, run by an EventBridge schedule every minute: one pass per
 * invocation, answering what it repaired. A pass that fails (the table unreachable), or in which a
 * check of one runner or job failed (the others still ran), fails the invocation; the next minute's
 * pass starts afresh, so nothing is retried by Lambda. The schedule's event says nothing a pass
 * needs, so it is never read (nor deserialised by the runtime, whose {@code ScheduledEvent} would
 * load Joda-Time).
 */
public final class ReconcilerHandler implements RequestStreamHandler {

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
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    LambdaEventJson.writeAnswer(output, pass(context));
  }

  /** One pass: what it repaired, and the calls it made. */
  public Map<String, Object> pass(Context context) {
    return telemetry.invoke(
        context,
        () -> {
          Reconciler.PassReport report = reconciler.pass();
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("repairs", report.repairs());
          answer.put("gitHubCalls", report.gitHubCalls());
          answer.put("awsCalls", report.awsCalls());
          answer.put("deferred", report.deferred());
          if (report.failed() > 0) {
            // The other checks ran and their repairs stand; the invocation still fails so that
            // the function's Errors alarm sees a pass that could not check everything.
            throw new IllegalStateException(
                "reconciler pass: "
                    + report.failed()
                    + " check(s) failed, the others ran; repairs "
                    + report.repairs());
          }
          return answer;
        });
  }
}
