package dev.runfleet.orchestrators;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.MalformedCommandException;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.runner.CommandOutcome;
import dev.runfleet.orchestrators.runner.RunnerLifecycle;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SQS entry point shared by the per-host-kind handlers: decodes each command, hands it to
 * {@link RunnerLifecycle}, and reports the messages to retry. A poison message is reported too,
 * with a log line saying why; the queue's redrive policy moves it to the dead-letter queue, and it
 * never holds up the rest of the batch.
 */
public abstract class OrchestratorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorHandler.class);

  private final RunnerLifecycle lifecycle;
  private final CommandCodec codec;
  private final Telemetry telemetry;

  protected OrchestratorHandler(OrchestratorComponent component) {
    this.lifecycle = component.lifecycle();
    this.codec = component.codec();
    this.telemetry = component.telemetry();
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return telemetry.invoke(context, () -> handle(event));
  }

  private SQSBatchResponse handle(SQSEvent event) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      MDC.put("messageId", message.getMessageId());
      try {
        CommandOutcome outcome = process(message);
        if (!(outcome instanceof CommandOutcome.Done)) {
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
      } finally {
        MDC.remove("messageId");
        MDC.remove("runner");
      }
    }
    return new SQSBatchResponse(failures);
  }

  private CommandOutcome process(SQSEvent.SQSMessage message) {
    RunnerCommand command;
    try {
      command = codec.fromJson(message.getBody());
    } catch (MalformedCommandException e) {
      LOG.error(
          "poison message {}: {}; it goes to the dead-letter queue",
          message.getMessageId(),
          e.getMessage());
      telemetry.count("CommandsPoison");
      return new CommandOutcome.Poison(e.getMessage());
    }
    MDC.put("runner", command.runnerName());
    try {
      CommandOutcome outcome = lifecycle.handle(command);
      if (outcome instanceof CommandOutcome.Poison p) {
        LOG.error(
            "poison {} command {}: {}; it goes to the dead-letter queue",
            command.type(),
            command.commandId(),
            p.reason());
        telemetry.count("CommandsPoison");
      } else if (outcome instanceof CommandOutcome.RetryLater r) {
        LOG.warn("{} of {} will be retried: {}", command.type(), command.runnerName(), r.reason());
      }
      return outcome;
    } catch (RuntimeException e) {
      LOG.error("{} of {} failed; it will be retried", command.type(), command.runnerName(), e);
      telemetry.count("CommandsFailed");
      return new CommandOutcome.RetryLater(e.getClass().getSimpleName());
    }
  }
}
