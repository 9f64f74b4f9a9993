package dev.runfleet.aws.lambda;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One record of a DynamoDB stream event as Lambda delivers it, its images already in the SDK's
 * attribute values (the form the table's item mapping reads).
 *
 * @param eventId the record's {@code eventID}
 * @param eventName {@code INSERT}, {@code MODIFY} or {@code REMOVE}
 * @param eventSourceArn the stream's ARN
 * @param sequenceNumber {@code dynamodb.SequenceNumber}: the item identifier of a batch item
 *     failure
 * @param oldImage {@code dynamodb.OldImage}; null when the record has none
 * @param newImage {@code dynamodb.NewImage}; null when the record has none (a removal)
 */
public record StreamRecord(
    String eventId,
    String eventName,
    String eventSourceArn,
    String sequenceNumber,
    Map<String, AttributeValue> oldImage,
    Map<String, AttributeValue> newImage) {

  public StreamRecord {
    Objects.requireNonNull(sequenceNumber, "sequenceNumber");
  }
}
