package dev.runfleet.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.LambdaEventJson;
import dev.runfleet.aws.lambda.SnapStartPrimed;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.aws.lambda.SqsMessage;
import dev.runfleet.publisher.di.PublisherComponent;
import dev.runfleet.publisher.flow.FlowController;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Lambda entry point for the wake-up queue, where the fleet's dispatch passes run: the stream's
 * batches hand their passes over here (a message with no delay, sent by the batch that found no
 * pass running), and a pass that found the launch budget spent sends a delayed one for the refill.
 * Any batch of them asks for the one pass of the fleet ({@link FlowController#dispatchAll}), under
 * the dispatcher lease, so the event's content is never read; a pass that fails lets go of the
 * lease and fails the batch, whose messages return after the visibility timeout (a wake-up carries
 * nothing that could be poison).
 */
public final class PublisherWakeUpHandler implements RequestStreamHandler, SnapStartPrimed {

  private final FlowController flow;
  private final Telemetry telemetry;
  private final SnapStartPriming priming;

  /** Lambda's constructor: wiring from the environment, the SnapStart priming registered. */
  public PublisherWakeUpHandler() {
    this(LambdaWiring.fromEnvironment());
    priming.register();
  }

  public PublisherWakeUpHandler(PublisherComponent component) {
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
    LambdaEventJson.writeBatchItemFailures(output, handle(List.of(), context));
  }

  /** One batch (the local runtime's SQS poller comes in here): no item ever fails alone. */
  public List<String> handle(List<SqsMessage> messages, Context context) {
    return telemetry.invoke(
        context,
        () -> {
          flow.dispatchAll();
          return List.of();
        });
  }
}
