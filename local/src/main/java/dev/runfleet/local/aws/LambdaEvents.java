package dev.runfleet.local.aws;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Turns SDK v2 objects read from the emulators into the {@code aws-lambda-java-events} objects
 * Lambda hands to a handler, field for field, the way Lambda's event source mappings build them.
 */
public final class LambdaEvents {

  public static final String DYNAMODB_EVENT_SOURCE = "aws:dynamodb";
  public static final String SQS_EVENT_SOURCE = "aws:sqs";

  private LambdaEvents() {}

  /** One stream record as Lambda delivers it from the stream {@code streamArn}. */
  public static DynamodbEvent.DynamodbStreamRecord dynamodbRecord(
      Record record, String streamArn, String region) {
    DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
    out.setEventID(record.eventID());
    out.setEventName(record.eventNameAsString());
    out.setEventVersion(record.eventVersion());
    out.setEventSource(DYNAMODB_EVENT_SOURCE);
    out.setAwsRegion(region);
    out.setEventSourceARN(streamArn);
    if (record.userIdentity() != null) {
      out.setUserIdentity(
          new Identity()
              .withPrincipalId(record.userIdentity().principalId())
              .withType(record.userIdentity().type()));
    }
    StreamRecord in = record.dynamodb();
    if (in != null) {
      var stream = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
      if (in.approximateCreationDateTime() != null) {
        stream.setApproximateCreationDateTime(Date.from(in.approximateCreationDateTime()));
      }
      if (in.hasKeys()) {
        stream.setKeys(attributeMap(in.keys()));
      }
      if (in.hasNewImage()) {
        stream.setNewImage(attributeMap(in.newImage()));
      }
      if (in.hasOldImage()) {
        stream.setOldImage(attributeMap(in.oldImage()));
      }
      stream.setSequenceNumber(in.sequenceNumber());
      stream.setSizeBytes(in.sizeBytes());
      if (in.streamViewTypeAsString() != null) {
        stream.setStreamViewType(StreamViewType.fromValue(in.streamViewTypeAsString()));
      }
      out.setDynamodb(stream);
    }
    return out;
  }

  public static Map<
          String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
      attributeMap(Map<String, AttributeValue> in) {
    Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out =
        new LinkedHashMap<>();
    in.forEach((name, value) -> out.put(name, attributeValue(value)));
    return out;
  }

  /** One attribute value, recursively through maps and lists. */
  public static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue
      attributeValue(AttributeValue in) {
    var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    switch (in.type()) {
      case S -> out.setS(in.s());
      case N -> out.setN(in.n());
      case B -> out.setB(buffer(in.b()));
      case SS -> out.setSS(in.ss());
      case NS -> out.setNS(in.ns());
      case BS -> out.setBS(in.bs().stream().map(LambdaEvents::buffer).toList());
      case M -> out.setM(attributeMap(in.m()));
      case L -> out.setL(in.l().stream().map(LambdaEvents::attributeValue).toList());
      case NUL -> out.setNULL(in.nul());
      case BOOL -> out.setBOOL(in.bool());
      default -> throw new IllegalArgumentException("attribute value of unknown type: " + in);
    }
    return out;
  }

  /** One received message as Lambda delivers it from the queue {@code queueArn}. */
  public static SQSEvent.SQSMessage sqsMessage(Message message, String queueArn, String region) {
    SQSEvent.SQSMessage out = new SQSEvent.SQSMessage();
    out.setMessageId(message.messageId());
    out.setReceiptHandle(message.receiptHandle());
    out.setBody(message.body());
    out.setMd5OfBody(message.md5OfBody());
    out.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
    out.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
    Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
    message.messageAttributes().forEach((name, value) -> attributes.put(name, sqsAttribute(value)));
    out.setMessageAttributes(attributes);
    out.setEventSource(SQS_EVENT_SOURCE);
    out.setEventSourceArn(queueArn);
    out.setAwsRegion(region);
    return out;
  }

  private static SQSEvent.MessageAttribute sqsAttribute(MessageAttributeValue in) {
    SQSEvent.MessageAttribute out = new SQSEvent.MessageAttribute();
    out.setDataType(in.dataType());
    out.setStringValue(in.stringValue());
    if (in.binaryValue() != null) {
      out.setBinaryValue(buffer(in.binaryValue()));
    }
    // Lambda sends both lists, empty when unused.
    out.setStringListValues(new ArrayList<>(in.stringListValues()));
    List<ByteBuffer> binaries = new ArrayList<>();
    in.binaryListValues().forEach(b -> binaries.add(buffer(b)));
    out.setBinaryListValues(binaries);
    return out;
  }

  private static ByteBuffer buffer(SdkBytes bytes) {
    return ByteBuffer.wrap(bytes.asByteArray());
  }
}
