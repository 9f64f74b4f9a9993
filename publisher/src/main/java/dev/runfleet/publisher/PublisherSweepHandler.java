package dev.runfleet.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.LambdaEventJson;
import dev.runfleet.aws.lambda.SnapStartPrimed;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.publisher.di.PublisherComponent;
import dev.runfleet.publisher.flow.FlowController;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry point for the periodic sweep (EventBridge schedule): dispatches for every platform,
 * so a raised cap or a resumed fleet takes effect without waiting for the next webhook. The
 * schedule's event says nothing the sweep needs, so it is never read (nor deserialised by the
 * runtime, whose {@code ScheduledEvent} would load Joda-Time); the answer is the number of jobs
 * dispatched.
 */
public final class PublisherSweepHandler implements RequestStreamHandler, SnapStartPrimed {

  private final FlowController flow;
  private final Telemetry telemetry;
  private final SnapStartPriming priming;

  /** Lambda's constructor: wiring from the environment, the SnapStart priming registered. */
  public PublisherSweepHandler() {
    this(LambdaWiring.fromEnvironment());
    priming.register();
  }

  public PublisherSweepHandler(PublisherComponent component) {
    this.flow = component.flowController();
    this.telemetry = component.telemetry();
    this.priming = component.priming().resource();
  }

  @Override
  public SnapStartPriming snapStartPriming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    LambdaEventJson.writeAnswer(output, sweep(context));
  }

  /** One sweep: the number of jobs it dispatched. */
  public int sweep(Context context) {
    return telemetry.invoke(context, flow::sweep);
  }
}
