package dev.runfleet.aws.lambda;

import java.util.Map;
import java.util.Objects;

/**
 * One record of an SQS event as Lambda delivers it, reduced to what our handlers may read.
 *
 * @param messageId the record's {@code messageId}: the item identifier of a batch item failure
 * @param body the message body
 * @param attributes the system attributes ({@code ApproximateReceiveCount}, ...)
 * @param messageAttributes each message attribute's {@code stringValue} (SNS puts {@code platform}
 *     and {@code command} here)
 */
public record SqsMessage(
    String messageId,
    String body,
    Map<String, String> attributes,
    Map<String, String> messageAttributes) {

  public SqsMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    attributes = Map.copyOf(attributes);
    messageAttributes = Map.copyOf(messageAttributes);
  }
}
