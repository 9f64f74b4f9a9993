package dev.runfleet.publisher.adapter;

import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.publisher.di.TopicArn;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes commands to the SNS topic with {@code platform} and {@code command} attributes, which
 * the per-platform subscriptions' filter policies match on.
 */
@Singleton
public final class SnsCommandBus implements CommandBus {

  private final SnsClient sns;
  private final String topicArn;
  private final CommandCodec codec;

  @Inject
  public SnsCommandBus(SnsClient sns, @TopicArn String topicArn, CommandCodec codec) {
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
