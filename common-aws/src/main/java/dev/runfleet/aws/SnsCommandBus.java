package dev.runfleet.aws;

import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.StoreUnavailableException;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes commands to the SNS topic with {@code platform} and {@code command} attributes, which
 * the per-platform subscriptions' filter policies match on. Shared by the publisher and the
 * reconciler, the two stages that send runner commands; a jar that uses it declares the SNS client.
 */
public final class SnsCommandBus implements CommandBus {

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
              .messageAttributes(
                  Map.of(
                      CommandCodec.ATTR_PLATFORM, attribute(command.platform()),
                      CommandCodec.ATTR_COMMAND, attribute(command.type())))
              .build());
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "publish of " + command.commandId() + " failed: " + e.getMessage(), e);
    }
  }

  private static MessageAttributeValue attribute(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
