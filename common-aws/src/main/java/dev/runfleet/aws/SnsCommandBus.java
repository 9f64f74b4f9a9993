package dev.runfleet.aws;

import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes commands to the SNS topic with {@code platform} and {@code command} attributes, which
 * the per-platform subscriptions' filter policies match on. Shared by the publisher and the
 * reconciler, the two stages that send runner commands; a jar that uses it declares the SNS client.
 */
public final class SnsCommandBus implements CommandBus {

  /** SNS takes at most ten entries in one PublishBatch. */
  static final int MAX_BATCH = 10;

  private final SnsClient sns;
  private final String topicArn;
  private final CommandCodec codec;

  public SnsCommandBus(SnsClient sns, String topicArn, CommandCodec codec) {
    this.sns = sns;
    this.topicArn = topicArn;
    this.codec = codec;
  }

  @Override
  public void publish(RunnerCommand command) {
    try {
      sns.publish(
          PublishRequest.builder()
              .topicArn(topicArn)
              .message(codec.toJson(command))
              .messageAttributes(attributes(command))
              .build());
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "publish of " + command.commandId() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * {@code PublishBatch}, ten entries a call (SNS's limit); an entry SNS fails, or every entry of a
   * call that failed whole, comes back refused.
   */
  @Override
  public List<Refused> publishAll(List<RunnerCommand> commands) {
    List<Refused> refused = new ArrayList<>();
    for (int from = 0; from < commands.size(); from += MAX_BATCH) {
      List<RunnerCommand> chunk =
          commands.subList(from, Math.min(from + MAX_BATCH, commands.size()));
      List<PublishBatchRequestEntry> entries = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        RunnerCommand command = chunk.get(i);
        entries.add(
            PublishBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .message(codec.toJson(command))
                .messageAttributes(attributes(command))
                .build());
      }
      try {
        PublishBatchResponse response =
            sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(entries));
        for (BatchResultErrorEntry failed : response.failed()) {
          refused.add(
              new Refused(
                  chunk.get(Integer.parseInt(failed.id())),
                  failed.code() + ": " + failed.message()));
        }
      } catch (SdkException e) {
        for (RunnerCommand command : chunk) {
          refused.add(new Refused(command, "publish batch failed: " + e.getMessage()));
        }
      }
    }
    return refused;
  }

  private static Map<String, MessageAttributeValue> attributes(RunnerCommand command) {
    return Map.of(
        CommandCodec.ATTR_PLATFORM, attribute(command.platform()),
        CommandCodec.ATTR_COMMAND, attribute(command.type()));
  }

  private static MessageAttributeValue attribute(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
