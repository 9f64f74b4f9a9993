package dev.runfleet.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.LambdaEventJson;
import dev.runfleet.publisher.di.DaggerPublisherComponent;
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
public final class PublisherSweepHandler implements RequestStreamHandler {

  private final FlowController flow;
  private final Telemetry telemetry;

  public PublisherSweepHandler() {
    this(DaggerPublisherComponent.builder().config(PublisherConfig.from(System.getenv())).build());
  }

  public PublisherSweepHandler(PublisherComponent component) {
    this.flow = component.flowController();
    this.telemetry = component.telemetry();
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
