package dev.runfleet.orchestrators;

import dev.runfleet.aws.lambda.LambdaEventJson;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.aws.lambda.SqsMessage;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.common.port.RunnerStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;

/**
 * An orchestrator's SnapStart priming ({@link SnapStartPriming}): an SQS event shipped in the jar
 * (a spin-up command as the queue delivers it) read and its command decoded, the runner's record
 * read from the table (a runner that does not exist: DynamoDB), and the host kind's lookup of a
 * runner's host (ECS ListTasks or EC2 DescribeInstances, for a name nothing carries). Nothing is
 * written, launched or stopped; GitHub and Secrets Manager are not called (the App's private key
 * stays out of the snapshot).
 */
public final class OrchestratorPriming {

  static final String EVENT = "/priming-sqs-event.json";

  private final CommandCodec codec;
  private final RunnerStore runners;
  private final RunnerLauncher launcher;

  @Inject
  OrchestratorPriming(CommandCodec codec, RunnerStore runners, RunnerLauncher launcher) {
    this.codec = codec;
    this.runners = runners;
    this.launcher = launcher;
  }

  /** The priming to register with SnapStart's hooks. */
  public SnapStartPriming resource() {
    return new SnapStartPriming("the orchestrator's command path", this::prime);
  }

  /** The reads once; the commands decoded, for tests. */
  List<RunnerCommand> prime() throws IOException {
    List<SqsMessage> messages =
        LambdaEventJson.sqs(
                new ByteArrayInputStream(
                    SnapStartPriming.shipped(OrchestratorPriming.class, EVENT)))
            .records();
    List<RunnerCommand> commands = new ArrayList<>();
    for (SqsMessage message : messages) {
      RunnerCommand command = codec.fromJson(message.body());
      runners.find(command.runnerName());
      launcher.find(command.runnerName());
      commands.add(command);
    }
    return commands;
  }
}
