package dev.runfleet.orchestrators;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.LambdaEventJson;
import dev.runfleet.aws.lambda.SnapStartPrimed;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.aws.lambda.SqsMessage;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.MalformedCommandException;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.runner.CommandOutcome;
import dev.runfleet.orchestrators.runner.RunnerLifecycle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SQS entry point shared by the per-host-kind handlers: reads the batch ({@link
 * LambdaEventJson}: the runtime's own event deserialisation never runs), decodes each command,
 * hands it to {@link RunnerLifecycle}, and reports the messages to retry. A poison message (a
 * record or a command that cannot be read) is reported too, with a log line saying why; the queue's
 * redrive policy moves it to the dead-letter queue, and it never holds up the rest of the batch.
 */
public abstract class OrchestratorHandler implements RequestStreamHandler, SnapStartPrimed {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorHandler.class);

  private final RunnerLifecycle lifecycle;
  private final CommandCodec codec;
  private final Telemetry telemetry;
  private final SnapStartPriming priming;

  protected OrchestratorHandler(OrchestratorComponent component) {
    this.lifecycle = component.lifecycle();
    this.codec = component.codec();
    this.telemetry = component.telemetry();
    this.priming = component.priming().resource();
  }

  /** The priming a Lambda constructor registers with SnapStart's hooks. */
  @Override
  public final SnapStartPriming snapStartPriming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    LambdaEventJson.invokeBatch(
        input, output, context, telemetry, LambdaEventJson::sqs, this::handle);
  }

  private List<String> handle(LambdaEventJson.Batch<SqsMessage> batch) {
    List<String> failed = new ArrayList<>();
    for (LambdaEventJson.Unreadable record : batch.unreadable()) {
      telemetry.count("CommandsPoison");
      if (record.id() == null) {
        // Lambda always sets messageId; without one there is nothing to report or retry.
        LOG.error(
            "poison record {} of the batch has no messageId ({}); dropped",
            record.index(),
            record.reason());
      } else {
        LOG.error(
            "poison message {}: {}; it goes to the dead-letter queue",
            record.id(),
            record.reason());
        failed.add(record.id());
      }
    }
    failed.addAll(handle(batch.records()));
    return failed;
  }

  /**
   * One batch of messages already read (the local runtime's SQS pollers come in here): the ids of
   * the messages to retry or to send to the dead-letter queue.
   */
  public List<String> handle(List<SqsMessage> messages, Context context) {
    return telemetry.invoke(context, () -> handle(messages));
  }

  private List<String> handle(List<SqsMessage> messages) {
    List<String> failures = new ArrayList<>();
    for (SqsMessage message : messages) {
      MDC.put("messageId", message.messageId());
      try {
        CommandOutcome outcome = process(message);
        if (!(outcome instanceof CommandOutcome.Done)) {
          failures.add(message.messageId());
        }
      } finally {
        MDC.remove("messageId");
        MDC.remove("runner");
      }
    }
    return failures;
  }

  private CommandOutcome process(SqsMessage message) {
    RunnerCommand command;
    try {
      command = codec.fromJson(message.body());
    } catch (MalformedCommandException e) {
      LOG.error(
          "poison message {}: {}; it goes to the dead-letter queue",
          message.messageId(),
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
