package dev.runfleet.emulators.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.emulators.Markup;
import dev.runfleet.emulators.edge.EdgeReply;
import dev.runfleet.emulators.edge.EdgeRequest;
import dev.runfleet.emulators.edge.EdgeService;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * Plays SNS for the local runtime: an HTTP endpoint speaking the SNS query protocol ({@code
 * Publish}, {@code PublishBatch}, {@code CreateTopic}) that the real {@code SnsClient} talks to,
 * routing each message through subscription filter policies (AWS's own matcher, event-ruler, on the
 * message attributes) to SQS queues with raw message delivery. Delivery is synchronous: a
 * successful publish has reached every matching queue.
 */
public final class SnsEmulator implements EdgeService {

  private static final Logger log = LoggerFactory.getLogger(SnsEmulator.class);

  /** The account in emulated ARNs, as LocalStack and the AWS docs use it. */
  public static final String ACCOUNT_ID = "000000000000";

  static final String XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";
  private static final int MAX_MESSAGE_BYTES = 256 * 1024;
  private static final int MAX_BATCH_ENTRIES = 10;
  private static final int MAX_ATTRIBUTES = 10;
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");
  private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final Pattern ATTRIBUTE_ENTRY =
      Pattern.compile("MessageAttributes\\.entry\\.(\\d+)\\.Name");
  private static final Pattern BATCH_MEMBER =
      Pattern.compile("PublishBatchRequestEntries\\.member\\.(\\d+)\\.Id");

  private final SqsClient sqs;
  private final String region;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, List<Subscription>> topics = new ConcurrentHashMap<>();
  private final LongAdder published = new LongAdder();
  private final LongAdder unmatched = new LongAdder();
  private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();

  /** Delivers to queues through {@code sqs}; {@code region} goes into the topic ARNs. */
  public SnsEmulator(SqsClient sqs, String region) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.region = Objects.requireNonNull(region, "region");
  }

  /** The ARN SNS gives the topic {@code name} in this region and the local account. */
  public String topicArn(String name) {
    return "arn:aws:sns:" + region + ":" + ACCOUNT_ID + ":" + name;
  }

  /** Creates the topic (idempotent) and returns its ARN. */
  public String createTopic(String name) {
    if (name == null || !TOPIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid topic name: " + name);
    }
    String arn = topicArn(name);
    topics.computeIfAbsent(arn, a -> new CopyOnWriteArrayList<>());
    return arn;
  }

  /**
   * Subscribes {@code sqsQueueUrl} to the topic with raw message delivery: the queue receives the
   * message itself as its body and the SNS message attributes as SQS message attributes. {@code
   * filterPolicyJson} is applied to the message attributes ({@code
   * FilterPolicyScope=MessageAttributes}); {@code null} delivers everything.
   *
   * @return the subscription ARN
   * @throws IllegalArgumentException when the topic does not exist or the filter policy is invalid
   */
  public String subscribe(String topicArn, String filterPolicyJson, String sqsQueueUrl) {
    Objects.requireNonNull(sqsQueueUrl, "sqsQueueUrl");
    List<Subscription> subscriptions = topics.get(topicArn);
    if (subscriptions == null) {
      throw new IllegalArgumentException("no such topic: " + topicArn + " (create it first)");
    }
    Machine machine = null;
    if (filterPolicyJson != null) {
      String problem = JsonRuleCompiler.check(filterPolicyJson);
      if (problem != null) {
        throw new IllegalArgumentException(
            "invalid filter policy for "
                + sqsQueueUrl
                + " on "
                + topicArn
                + ": "
                + problem
                + "; policy: "
                + filterPolicyJson);
      }
      machine = Machine.builder().build();
      try {
        machine.addRule("policy", filterPolicyJson);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "filter policy for " + sqsQueueUrl + " does not compile: " + filterPolicyJson, e);
      }
    }
    String arn = topicArn + ":" + UUID.randomUUID();
    subscriptions.add(new Subscription(arn, sqsQueueUrl, machine));
    delivered.computeIfAbsent(sqsQueueUrl, q -> new LongAdder());
    log.info(
        "subscribed {} to {} with filter policy {}",
        sqsQueueUrl,
        topicArn,
        filterPolicyJson == null ? "(none)" : filterPolicyJson.replaceAll("\\s+", ""));
    return arn;
  }

  /** Counters since start, for the local API. */
  public Stats stats() {
    Map<String, Long> perQueue = new TreeMap<>();
    delivered.forEach((queue, count) -> perQueue.put(queue, count.sum()));
    return new Stats(published.sum(), unmatched.sum(), Map.copyOf(perQueue));
  }

  /**
   * Counters since start.
   *
   * @param published messages accepted by Publish and PublishBatch
   * @param unmatched accepted messages that no subscription's filter policy matched (dropped, as
   *     SNS does)
   * @param deliveredByQueueUrl messages sent to each subscribed queue
   */
  public record Stats(long published, long unmatched, Map<String, Long> deliveredByQueueUrl) {

    public long delivered(String queueUrl) {
      return deliveredByQueueUrl.getOrDefault(queueUrl, 0L);
    }
  }

  // ---- HTTP ----

  @Override
  public boolean accepts(EdgeRequest request) {
    return request.isQueryProtocol();
  }

  @Override
  public EdgeReply handle(EdgeRequest request) {
    String requestId = UUID.randomUUID().toString();
    Reply reply;
    String action = "?";
    try {
      Map<String, String> params = parseForm(new String(request.body(), StandardCharsets.UTF_8));
      action = params.getOrDefault("Action", "");
      log.trace("SNS request {}", params);
      reply =
          switch (action) {
            case "Publish" -> publish(params, requestId);
            case "PublishBatch" -> publishBatch(params, requestId);
            case "CreateTopic" -> createTopicAction(params, requestId);
            case "GetTopicAttributes" -> topicAttributes(params, requestId);
            default ->
                throw new SnsFault(
                    400,
                    "Sender",
                    "InvalidAction",
                    "The action " + action + " is not valid for the runfleet SNS emulator");
          };
    } catch (SnsFault fault) {
      if (fault.status >= 500) {
        log.warn("SNS {} failed: {}", action, fault.getMessage(), fault.getCause());
      } else {
        log.debug("SNS {} refused: {} {}", action, fault.code, fault.getMessage());
      }
      reply = fault.reply(requestId);
    } catch (RuntimeException e) {
      log.warn("SNS {} failed", action, e);
      reply =
          new SnsFault(500, "Receiver", "InternalError", String.valueOf(e.getMessage()))
              .reply(requestId);
    }
    return new EdgeReply(
        reply.status(),
        "text/xml",
        Map.of("x-amzn-RequestId", reply.requestId()),
        reply.xml().getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> parseForm(String body) {
    Map<String, String> params = new HashMap<>();
    if (body.isEmpty()) {
      return params;
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  // ---- actions ----

  private Reply createTopicAction(Map<String, String> params, String requestId) {
    String name = params.get("Name");
    if (name == null || !TOPIC_NAME.matcher(name).matches()) {
      throw new SnsFault(400, "Sender", "InvalidParameter", "Invalid parameter: Topic Name");
    }
    String arn = createTopic(name);
    return new Reply(
        200,
        requestId,
        "<CreateTopicResponse xmlns=\""
            + XMLNS
            + "\"><CreateTopicResult><TopicArn>"
            + Markup.escape(arn)
            + "</TopicArn></CreateTopicResult>"
            + metadata(requestId)
            + "</CreateTopicResponse>");
  }

  /**
   * The attributes this emulator knows of a topic: its ARN and its subscriptions (all confirmed, as
   * SQS subscriptions within an account are). The publisher's SnapStart priming reads them.
   */
  private Reply topicAttributes(Map<String, String> params, String requestId) {
    List<Subscription> subscriptions = topic(params);
    return new Reply(
        200,
        requestId,
        "<GetTopicAttributesResponse xmlns=\""
            + XMLNS
            + "\"><GetTopicAttributesResult><Attributes>"
            + attribute("TopicArn", params.get("TopicArn"))
            + attribute("SubscriptionsConfirmed", Integer.toString(subscriptions.size()))
            + attribute("SubscriptionsPending", "0")
            + attribute("SubscriptionsDeleted", "0")
            + "</Attributes></GetTopicAttributesResult>"
            + metadata(requestId)
            + "</GetTopicAttributesResponse>");
  }

  private static String attribute(String key, String value) {
    return "<entry><key>" + key + "</key><value>" + Markup.escape(value) + "</value></entry>";
  }

  private Reply publish(Map<String, String> params, String requestId) {
    List<Subscription> subscriptions = topic(params);
    Message message = message(params, "");
    if (message.body == null || message.body.isEmpty()) {
      throw new SnsFault(400, "Sender", "InvalidParameter", "Invalid parameter: Empty message");
    }
    if (message.size() > MAX_MESSAGE_BYTES) {
      throw new SnsFault(400, "Sender", "InvalidParameter", "Invalid parameter: Message too long");
    }
    List<Subscription> matched = matching(subscriptions, message);
    for (Subscription subscription : matched) {
      try {
        sqs.sendMessage(
            SendMessageRequest.builder()
                .queueUrl(subscription.queueUrl)
                .messageBody(message.body)
                .messageAttributes(message.sqsAttributes())
                .messageGroupId(message.groupId)
                .messageDeduplicationId(message.deduplicationId)
                .build());
      } catch (SdkException e) {
        throw new SnsFault(
            500,
            "Receiver",
            "InternalError",
            "delivery to " + subscription.queueUrl + " failed",
            e);
      }
      delivered.get(subscription.queueUrl).increment();
    }
    published.increment();
    String messageId = UUID.randomUUID().toString();
    return new Reply(
        200,
        requestId,
        "<PublishResponse xmlns=\""
            + XMLNS
            + "\"><PublishResult><MessageId>"
            + messageId
            + "</MessageId></PublishResult>"
            + metadata(requestId)
            + "</PublishResponse>");
  }

  private Reply publishBatch(Map<String, String> params, String requestId) {
    List<Subscription> subscriptions = topic(params);
    TreeSet<Integer> members = new TreeSet<>();
    for (String key : params.keySet()) {
      Matcher m = BATCH_MEMBER.matcher(key);
      if (m.matches()) {
        members.add(Integer.parseInt(m.group(1)));
      }
    }
    if (members.isEmpty()) {
      throw new SnsFault(
          400, "Sender", "EmptyBatchRequest", "The batch request doesn't contain any entries");
    }
    if (members.size() > MAX_BATCH_ENTRIES) {
      throw new SnsFault(
          400,
          "Sender",
          "TooManyEntriesInBatchRequest",
          "The batch request contains more entries than permissible");
    }
    List<String> ids = new ArrayList<>();
    Map<String, Message> entries = new LinkedHashMap<>();
    Map<String, Failure> failed = new LinkedHashMap<>();
    int totalSize = 0;
    for (int n : members) {
      String prefix = "PublishBatchRequestEntries.member." + n + ".";
      String id = params.get(prefix + "Id");
      if (!BATCH_ENTRY_ID.matcher(id).matches()) {
        throw new SnsFault(
            400, "Sender", "InvalidBatchEntryId", "The Id of a batch entry is invalid: " + id);
      }
      if (entries.containsKey(id) || failed.containsKey(id)) {
        throw new SnsFault(
            400,
            "Sender",
            "BatchEntryIdsNotDistinct",
            "Two or more batch entries in the request have the same Id: " + id);
      }
      ids.add(id);
      try {
        Message entry = message(params, prefix);
        if (entry.body == null || entry.body.isEmpty()) {
          throw new SnsFault(400, "Sender", "InvalidParameter", "Invalid parameter: Empty message");
        }
        totalSize += entry.size();
        entries.put(id, entry);
      } catch (SnsFault fault) {
        failed.put(id, new Failure(fault.code, fault.getMessage(), true));
      }
    }
    if (totalSize > MAX_MESSAGE_BYTES) {
      throw new SnsFault(
          400,
          "Sender",
          "BatchRequestTooLong",
          "The length of all the messages put together is more than the limit");
    }

    Map<Subscription, List<Message>> bySubscription = new LinkedHashMap<>();
    for (Message entry : entries.values()) {
      try {
        for (Subscription subscription : matching(subscriptions, entry)) {
          bySubscription.computeIfAbsent(subscription, s -> new ArrayList<>()).add(entry);
        }
      } catch (SnsFault fault) {
        failed.put(entry.id, new Failure(fault.code, fault.getMessage(), true));
      }
    }
    bySubscription.forEach((subscription, batch) -> sendBatch(subscription, batch, failed));

    StringBuilder ok = new StringBuilder();
    StringBuilder bad = new StringBuilder();
    for (String id : ids) {
      Failure failure = failed.get(id);
      if (failure == null) {
        published.increment();
        ok.append("<member><Id>")
            .append(Markup.escape(id))
            .append("</Id><MessageId>")
            .append(UUID.randomUUID())
            .append("</MessageId></member>");
      } else {
        bad.append("<member><Id>")
            .append(Markup.escape(id))
            .append("</Id><Code>")
            .append(Markup.escape(failure.code))
            .append("</Code><Message>")
            .append(Markup.escape(failure.message))
            .append("</Message><SenderFault>")
            .append(failure.senderFault)
            .append("</SenderFault></member>");
      }
    }
    return new Reply(
        200,
        requestId,
        "<PublishBatchResponse xmlns=\""
            + XMLNS
            + "\"><PublishBatchResult><Successful>"
            + ok
            + "</Successful><Failed>"
            + bad
            + "</Failed></PublishBatchResult>"
            + metadata(requestId)
            + "</PublishBatchResponse>");
  }

  private void sendBatch(
      Subscription subscription, List<Message> batch, Map<String, Failure> failed) {
    List<SendMessageBatchRequestEntry> sqsEntries = new ArrayList<>();
    for (Message entry : batch) {
      sqsEntries.add(
          SendMessageBatchRequestEntry.builder()
              .id(entry.id)
              .messageBody(entry.body)
              .messageAttributes(entry.sqsAttributes())
              .messageGroupId(entry.groupId)
              .messageDeduplicationId(entry.deduplicationId)
              .build());
    }
    try {
      SendMessageBatchResponse response =
          sqs.sendMessageBatch(b -> b.queueUrl(subscription.queueUrl).entries(sqsEntries));
      for (BatchResultErrorEntry error : response.failed()) {
        log.warn(
            "local SNS could not deliver batch entry {} to {}: {} {}",
            error.id(),
            subscription.queueUrl,
            error.code(),
            error.message());
        failed.put(error.id(), deliveryFailure(subscription));
      }
      delivered.get(subscription.queueUrl).add(response.successful().size());
    } catch (SdkException e) {
      log.warn("local SNS could not deliver a batch to {}", subscription.queueUrl, e);
      for (Message entry : batch) {
        failed.put(entry.id, deliveryFailure(subscription));
      }
    }
  }

  private static Failure deliveryFailure(Subscription subscription) {
    return new Failure("InternalError", "delivery to " + subscription.queueUrl + " failed", false);
  }

  private List<Subscription> topic(Map<String, String> params) {
    String topicArn = params.get("TopicArn");
    if (topicArn == null) {
      String target = params.containsKey("TargetArn") ? "TargetArn" : "PhoneNumber";
      throw new SnsFault(
          400,
          "Sender",
          "InvalidParameter",
          "Invalid parameter: local SNS publishes to topics only, not by " + target);
    }
    List<Subscription> subscriptions = topics.get(topicArn);
    if (subscriptions == null) {
      throw new SnsFault(404, "Sender", "NotFound", "Topic does not exist: " + topicArn);
    }
    return subscriptions;
  }

  private List<Subscription> matching(List<Subscription> subscriptions, Message message) {
    List<Subscription> matched = new ArrayList<>();
    JsonNode event = null;
    for (Subscription subscription : subscriptions) {
      if (subscription.policy == null) {
        matched.add(subscription);
        continue;
      }
      if (event == null) {
        event = message.filterEvent(json);
      }
      if (!subscription.policy.rulesForJSONEvent(event).isEmpty()) {
        matched.add(subscription);
      }
    }
    if (matched.isEmpty()) {
      unmatched.increment();
      log.debug(
          "no subscription matches message attributes {}: dropped", message.attributes.keySet());
    }
    return matched;
  }

  private Message message(Map<String, String> params, String prefix) {
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    TreeSet<Integer> indexes = new TreeSet<>();
    for (String key : params.keySet()) {
      if (key.startsWith(prefix)) {
        Matcher m = ATTRIBUTE_ENTRY.matcher(key.substring(prefix.length()));
        if (m.matches()) {
          indexes.add(Integer.parseInt(m.group(1)));
        }
      }
    }
    if (indexes.size() > MAX_ATTRIBUTES) {
      throw new SnsFault(
          400,
          "Sender",
          "InvalidParameterValue",
          "Number of message attributes [" + indexes.size() + "] exceeds the allowed maximum");
    }
    for (int n : indexes) {
      String entry = prefix + "MessageAttributes.entry." + n + ".";
      String name = params.get(entry + "Name");
      String dataType = params.get(entry + "Value.DataType");
      String stringValue = params.get(entry + "Value.StringValue");
      String binaryValue = params.get(entry + "Value.BinaryValue");
      attributes.put(name, Attribute.of(name, dataType, stringValue, binaryValue));
    }
    return new Message(
        params.getOrDefault(prefix + "Id", ""),
        params.get(prefix + "Message"),
        attributes,
        params.get(prefix + "MessageGroupId"),
        params.get(prefix + "MessageDeduplicationId"));
  }

  // ---- XML ----

  private static String metadata(String requestId) {
    return "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata>";
  }

  // ---- model ----

  private record Subscription(String arn, String queueUrl, Machine policy) {}

  private record Reply(int status, String requestId, String xml) {}

  private record Failure(String code, String message, boolean senderFault) {}

  private record Attribute(String dataType, String stringValue, byte[] binaryValue) {

    static Attribute of(String name, String dataType, String stringValue, String binaryValue) {
      if (name == null || name.isEmpty() || dataType == null) {
        throw new SnsFault(
            400,
            "Sender",
            "ParameterValueInvalid",
            "The message attribute '" + name + "' must contain non-empty name and data type");
      }
      if (dataType.startsWith("Binary")) {
        if (binaryValue == null) {
          throw missingValue(name);
        }
        try {
          return new Attribute(dataType, null, Base64.getDecoder().decode(binaryValue));
        } catch (IllegalArgumentException e) {
          throw new SnsFault(
              400,
              "Sender",
              "ParameterValueInvalid",
              "The message attribute '" + name + "' has an invalid binary value");
        }
      }
      if (!dataType.startsWith("String") && !dataType.startsWith("Number")) {
        throw new SnsFault(
            400,
            "Sender",
            "ParameterValueInvalid",
            "The message attribute '" + name + "' has an invalid message attribute type");
      }
      if (stringValue == null) {
        throw missingValue(name);
      }
      return new Attribute(dataType, stringValue, null);
    }

    private static SnsFault missingValue(String name) {
      return new SnsFault(
          400,
          "Sender",
          "ParameterValueInvalid",
          "The message attribute '" + name + "' must contain a non-empty value");
    }

    int size() {
      return dataType.length()
          + (stringValue != null ? stringValue.getBytes(StandardCharsets.UTF_8).length : 0)
          + (binaryValue != null ? binaryValue.length : 0);
    }

    MessageAttributeValue toSqs() {
      MessageAttributeValue.Builder b = MessageAttributeValue.builder().dataType(dataType);
      return binaryValue != null
          ? b.binaryValue(SdkBytes.fromByteArray(binaryValue)).build()
          : b.stringValue(stringValue).build();
    }
  }

  private record Message(
      String id,
      String body,
      Map<String, Attribute> attributes,
      String groupId,
      String deduplicationId) {

    int size() {
      int size = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
      for (Map.Entry<String, Attribute> e : attributes.entrySet()) {
        size += e.getKey().length() + e.getValue().size();
      }
      return size;
    }

    Map<String, MessageAttributeValue> sqsAttributes() {
      Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
      attributes.forEach((name, value) -> out.put(name, value.toSqs()));
      return out;
    }

    /**
     * The attributes as SNS's filter sees them: strings as strings, numbers as numbers,
     * String.Array as a JSON array; binary attributes take no part in filtering.
     */
    JsonNode filterEvent(ObjectMapper json) {
      ObjectNode event = json.createObjectNode();
      attributes.forEach(
          (name, value) -> {
            if (value.dataType.startsWith("String.Array")) {
              try {
                JsonNode array = json.readTree(value.stringValue);
                if (!array.isArray()) {
                  throw new IOException("not an array");
                }
                event.set(name, array);
              } catch (IOException e) {
                throw new SnsFault(
                    400,
                    "Sender",
                    "ParameterValueInvalid",
                    "The message attribute '"
                        + name
                        + "' of type String.Array is not a JSON array");
              }
            } else if (value.dataType.startsWith("Number")) {
              try {
                event.put(name, new BigDecimal(value.stringValue.trim()));
              } catch (NumberFormatException e) {
                throw new SnsFault(
                    400,
                    "Sender",
                    "ParameterValueInvalid",
                    "The message attribute '" + name + "' has an invalid number value");
              }
            } else if (value.dataType.startsWith("String")) {
              event.put(name, value.stringValue);
            }
          });
      return event;
    }
  }

  /** An SNS error answer: HTTP status, fault type, error code. */
  private static final class SnsFault extends RuntimeException {

    final int status;
    final String type;
    final String code;

    SnsFault(int status, String type, String code, String message) {
      this(status, type, code, message, null);
    }

    SnsFault(int status, String type, String code, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
      this.type = type;
      this.code = code;
    }

    Reply reply(String requestId) {
      return new Reply(
          status,
          requestId,
          "<ErrorResponse xmlns=\""
              + XMLNS
              + "\"><Error><Type>"
              + type
              + "</Type><Code>"
              + Markup.escape(code)
              + "</Code><Message>"
              + Markup.escape(String.valueOf(getMessage()))
              + "</Message></Error><RequestId>"
              + requestId
              + "</RequestId></ErrorResponse>");
    }
  }
}
