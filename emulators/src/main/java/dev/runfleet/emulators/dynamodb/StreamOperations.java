package dev.runfleet.emulators.dynamodb;

import static dev.runfleet.emulators.dynamodb.JsonCodec.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator, GetRecords. */
final class StreamOperations {

  /** How long a shard iterator stays usable. */
  static final Duration ITERATOR_LIFETIME = Duration.ofMinutes(15);

  private static final int MAX_RECORDS = 1000;

  private final DynamoDbEngine engine;

  StreamOperations(DynamoDbEngine engine) {
    this.engine = engine;
  }

  /** What a shard iterator encodes: the stream, the next sequence to read, when it was issued. */
  private record Iterator(String streamArn, long position, long issuedMillis) {

    String encode() {
      String plain = streamArn + "|" + position + "|" + issuedMillis;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Iterator decode(String text) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int b = plain.lastIndexOf('|');
        int a = plain.lastIndexOf('|', b - 1);
        return new Iterator(
            plain.substring(0, a),
            Long.parseLong(plain.substring(a + 1, b)),
            Long.parseLong(plain.substring(b + 1)));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw DynamoDbError.validation("Invalid ShardIterator");
      }
    }
  }

  ObjectNode listStreams(JsonNode request) {
    String tableName = Requests.string(request, "TableName");
    String start = Requests.string(request, "ExclusiveStartStreamArn");
    Integer limit = Requests.integer(request, "Limit", 1, 100);
    return engine.read(
        () -> {
          trimAll();
          ObjectNode response = NODES.objectNode();
          ArrayNode out = response.putArray("Streams");
          boolean started = start == null;
          for (Stream stream : engine.streams().values()) {
            if (!started) {
              started = stream.arn.equals(start);
              continue;
            }
            if (tableName != null && !tableName.equals(stream.tableName)) {
              continue;
            }
            if (limit != null && out.size() == limit) {
              response.put(
                  "LastEvaluatedStreamArn", out.get(out.size() - 1).get("StreamArn").asText());
              break;
            }
            out.addObject()
                .put("StreamArn", stream.arn)
                .put("TableName", stream.tableName)
                .put("StreamLabel", stream.label);
          }
          return response;
        });
  }

  private void trimAll() {
    Instant now = engine.now();
    for (Stream stream : engine.streams().values()) {
      stream.trim(now);
    }
  }

  private Stream stream(String arn) {
    Stream stream = engine.streams().get(arn);
    if (stream == null) {
      throw DynamoDbError.resourceNotFound(
          "Requested resource not found: Stream: " + arn + " not found");
    }
    stream.trim(engine.now());
    return stream;
  }

  ObjectNode describeStream(JsonNode request) {
    String arn = Requests.required(request, "StreamArn");
    return engine.read(
        () -> {
          Stream stream = stream(arn);
          ObjectNode response = NODES.objectNode();
          ObjectNode d = response.putObject("StreamDescription");
          d.put("StreamArn", stream.arn);
          d.put("StreamLabel", stream.label);
          d.put("StreamStatus", stream.enabled() ? "ENABLED" : "DISABLED");
          d.put("StreamViewType", stream.viewType);
          d.put("CreationRequestDateTime", JsonCodec.epochSeconds(stream.created));
          d.put("TableName", stream.tableName);
          d.set("KeySchema", TableOperations.keySchema(stream.key));
          ObjectNode shard = d.putArray("Shards").addObject();
          shard.put("ShardId", stream.shardId);
          ObjectNode range = shard.putObject("SequenceNumberRange");
          range.put("StartingSequenceNumber", Stream.sequenceText(stream.startingSequence));
          long ending = stream.endingSequence();
          if (ending >= 0) {
            range.put("EndingSequenceNumber", Stream.sequenceText(ending));
          }
          return response;
        });
  }

  ObjectNode getShardIterator(JsonNode request) {
    String arn = Requests.required(request, "StreamArn");
    String shardId = Requests.required(request, "ShardId");
    String type = Requests.required(request, "ShardIteratorType");
    String sequenceText = Requests.string(request, "SequenceNumber");
    return engine.read(
        () -> {
          Stream stream = stream(arn);
          if (!stream.shardId.equals(shardId)) {
            throw DynamoDbError.resourceNotFound(
                "Requested resource not found: Shard does not exist");
          }
          long position =
              switch (type) {
                case "TRIM_HORIZON" -> stream.trimHorizon();
                case "LATEST" -> stream.latest(engine.lastSequence() + 1);
                case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
                  Long sequence = sequenceText == null ? null : Stream.parseSequence(sequenceText);
                  if (sequence == null || !stream.holds(sequence)) {
                    throw DynamoDbError.validation(
                        "Invalid SequenceNumber for ShardIteratorType " + type);
                  }
                  if (sequence < stream.trimHorizon()) {
                    throw DynamoDbError.trimmedDataAccess(
                        "Requested sequence number is beyond the trim horizon of the shard");
                  }
                  yield type.equals("AT_SEQUENCE_NUMBER") ? sequence : sequence + 1;
                }
                default ->
                    throw Requests.constraint(
                        "ShardIteratorType",
                        type,
                        "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER,"
                            + " AT_SEQUENCE_NUMBER, LATEST, TRIM_HORIZON]");
              };
          ObjectNode response = NODES.objectNode();
          response.put(
              "ShardIterator", new Iterator(arn, position, engine.now().toEpochMilli()).encode());
          return response;
        });
  }

  ObjectNode getRecords(JsonNode request) {
    Iterator iterator = Iterator.decode(Requests.required(request, "ShardIterator"));
    Integer limit = Requests.integer(request, "Limit", 1, MAX_RECORDS);
    return engine.read(
        () -> {
          Instant now = engine.now();
          Instant issued = Instant.ofEpochMilli(iterator.issuedMillis());
          if (now.isAfter(issued.plus(ITERATOR_LIFETIME))) {
            throw DynamoDbError.expiredIterator(
                "Iterator expired. The iterator was created at time "
                    + issued
                    + " while right now it is "
                    + now
                    + " which is further in the future than the tolerated delay of "
                    + ITERATOR_LIFETIME.toMillis()
                    + " milliseconds.");
          }
          Stream stream = stream(iterator.streamArn());
          if (iterator.position() < stream.trimHorizon()) {
            throw DynamoDbError.trimmedDataAccess(
                "The operation attempted to read past the oldest stream record in a shard.");
          }
          List<Stream.Record> records =
              stream.read(iterator.position(), limit == null ? MAX_RECORDS : limit);
          ObjectNode response = NODES.objectNode();
          ArrayNode out = response.putArray("Records");
          for (Stream.Record record : records) {
            out.add(render(stream, record));
          }
          long next =
              records.isEmpty()
                  ? iterator.position()
                  : records.get(records.size() - 1).sequence() + 1;
          if (!stream.exhausted(next)) {
            response.put(
                "NextShardIterator", new Iterator(stream.arn, next, now.toEpochMilli()).encode());
          }
          return response;
        });
  }

  private ObjectNode render(Stream stream, Stream.Record record) {
    ObjectNode r = NODES.objectNode();
    r.put("eventID", record.eventId());
    r.put("eventName", record.eventName());
    r.put("eventVersion", "1.1");
    r.put("eventSource", "aws:dynamodb");
    r.put("awsRegion", engine.region());
    ObjectNode d = r.putObject("dynamodb");
    d.put("ApproximateCreationDateTime", record.created().getEpochSecond());
    d.set("Keys", JsonCodec.encode(record.keys()));
    long size = Value.itemSize(record.keys());
    String view = stream.viewType;
    if (record.newImage() != null
        && (view.equals("NEW_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))) {
      d.set("NewImage", JsonCodec.encode(record.newImage()));
      size += Value.itemSize(record.newImage());
    }
    if (record.oldImage() != null
        && (view.equals("OLD_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))) {
      d.set("OldImage", JsonCodec.encode(record.oldImage()));
      size += Value.itemSize(record.oldImage());
    }
    d.put("SequenceNumber", Stream.sequenceText(record.sequence()));
    d.put("SizeBytes", size);
    d.put("StreamViewType", view);
    if (record.expiredByTtl()) {
      // The Streams API's Identity shape (the SDK's field names): Lambda events spell these
      // type/principalId.
      r.putObject("userIdentity")
          .put("Type", "Service")
          .put("PrincipalId", "dynamodb.amazonaws.com");
    }
    return r;
  }
}
