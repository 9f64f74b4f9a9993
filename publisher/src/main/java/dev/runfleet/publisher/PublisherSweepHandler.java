package dev.runfleet.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.publisher.di.DaggerPublisherComponent;
import dev.runfleet.publisher.di.PublisherComponent;
import dev.runfleet.publisher.flow.FlowController;

/**
 * Lambda entry point for the periodic sweep (EventBridge schedule): dispatches for every platform,
 * so a raised cap or a resumed fleet takes effect without waiting for the next webhook.
 */
public final class PublisherSweepHandler implements RequestHandler<ScheduledEvent, Integer> {

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
  public Integer handleRequest(ScheduledEvent event, Context context) {
    return telemetry.invoke(context, flow::sweep);
  }
}
