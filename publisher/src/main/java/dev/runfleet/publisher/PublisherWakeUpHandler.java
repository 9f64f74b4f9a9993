package dev.runfleet.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.publisher.di.DaggerPublisherComponent;
import dev.runfleet.publisher.di.PublisherComponent;
import dev.runfleet.publisher.flow.FlowController;
import java.util.List;

/**
 * Lambda entry point for the wake-up queue: the publisher's own delayed messages, sent when a
 * dispatch pass found the launch budget spent. Any batch of them asks for one dispatch pass over
 * every platform; a pass that fails fails the batch, whose messages return after the visibility
 * timeout (a wake-up carries nothing that could be poison).
 */
public final class PublisherWakeUpHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private final FlowController flow;
  private final Telemetry telemetry;

  public PublisherWakeUpHandler() {
    this(DaggerPublisherComponent.builder().config(PublisherConfig.from(System.getenv())).build());
  }

  public PublisherWakeUpHandler(PublisherComponent component) {
    this.flow = component.flowController();
    this.telemetry = component.telemetry();
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return telemetry.invoke(
        context,
        () -> {
          flow.dispatchAll();
          return new SQSBatchResponse(List.of());
        });
  }
}
