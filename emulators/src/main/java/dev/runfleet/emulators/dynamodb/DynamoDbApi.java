package dev.runfleet.emulators.dynamodb;

import static dev.runfleet.emulators.dynamodb.JsonCodec.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.emulators.edge.EdgeReply;
import dev.runfleet.emulators.edge.EdgeRequest;
import dev.runfleet.emulators.edge.EdgeService;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * DynamoDB and DynamoDB Streams over the AWS JSON 1.0 protocol, independent of any HTTP server:
 * give it the {@code X-Amz-Target} header and the body, send back the {@link Reply}.
 */
public final class DynamoDbApi implements EdgeService {

  public static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  public static final String DYNAMODB_PREFIX = "DynamoDB_20120810.";
  public static final String STREAMS_PREFIX = "DynamoDBStreams_20120810.";

  /** One HTTP answer; {@code crc32} is what the {@code x-amz-crc32} header carries. */
  public record Reply(int status, String contentType, byte[] body) {
    public long crc32() {
      CRC32 crc = new CRC32();
      crc.update(body);
      return crc.getValue();
    }
  }

  private final DynamoDbEngine engine;
  private final Map<String, Function<JsonNode, ObjectNode>> operations = new HashMap<>();

  public DynamoDbApi(DynamoDbEngine engine) {
    this.engine = engine;
    TableOperations tables = new TableOperations(engine);
    ItemOperations items = new ItemOperations(engine);
    ReadOperations reads = new ReadOperations(engine);
    StreamOperations streams = new StreamOperations(engine);
    dynamodb("CreateTable", tables::createTable);
    dynamodb("DescribeTable", tables::describeTable);
    dynamodb("DeleteTable", tables::deleteTable);
    dynamodb("ListTables", tables::listTables);
    dynamodb("UpdateTable", tables::updateTable);
    dynamodb("UpdateTimeToLive", tables::updateTimeToLive);
    dynamodb("DescribeTimeToLive", tables::describeTimeToLive);
    dynamodb("PutItem", items::putItem);
    dynamodb("GetItem", items::getItem);
    dynamodb("UpdateItem", items::updateItem);
    dynamodb("DeleteItem", items::deleteItem);
    dynamodb("BatchGetItem", items::batchGetItem);
    dynamodb("BatchWriteItem", items::batchWriteItem);
    dynamodb("TransactWriteItems", items::transactWriteItems);
    dynamodb("TransactGetItems", items::transactGetItems);
    dynamodb("Query", reads::query);
    dynamodb("Scan", reads::scan);
    operations.put(STREAMS_PREFIX + "ListStreams", streams::listStreams);
    operations.put(STREAMS_PREFIX + "DescribeStream", streams::describeStream);
    operations.put(STREAMS_PREFIX + "GetShardIterator", streams::getShardIterator);
    operations.put(STREAMS_PREFIX + "GetRecords", streams::getRecords);
  }

  private void dynamodb(String name, Function<JsonNode, ObjectNode> operation) {
    operations.put(DYNAMODB_PREFIX + name, operation);
  }

  public DynamoDbEngine engine() {
    return engine;
  }

  @Override
  public boolean accepts(EdgeRequest request) {
    String target = request.target();
    return "POST".equals(request.method())
        && target != null
        && (target.startsWith(DYNAMODB_PREFIX) || target.startsWith(STREAMS_PREFIX));
  }

  @Override
  public EdgeReply handle(EdgeRequest request) {
    Reply reply = handle(request.target(), request.body());
    return new EdgeReply(
        reply.status(),
        reply.contentType(),
        Map.of(
            "x-amz-crc32",
            Long.toString(reply.crc32()),
            "x-amzn-RequestId",
            UUID.randomUUID().toString()),
        reply.body());
  }

  /** Runs the operation {@code target} names on {@code body}; errors become error replies. */
  public Reply handle(String target, byte[] body) {
    try {
      Function<JsonNode, ObjectNode> operation = target == null ? null : operations.get(target);
      if (operation == null) {
        throw DynamoDbError.unknownOperation(target == null ? "(no X-Amz-Target)" : target);
      }
      return new Reply(200, CONTENT_TYPE, JsonCodec.write(operation.apply(JsonCodec.parse(body))));
    } catch (DynamoDbError e) {
      return error(e);
    } catch (RuntimeException e) {
      return error(DynamoDbError.internal("The server encountered an internal error: " + e));
    }
  }

  static Reply error(DynamoDbError e) {
    ObjectNode node = NODES.objectNode();
    node.put("__type", e.type());
    node.put("message", e.getMessage());
    if (e.shortType().equals("TransactionCanceledException")) {
      ArrayNode reasons = node.putArray("CancellationReasons");
      for (DynamoDbError.CancellationReason r : e.reasons()) {
        ObjectNode reason = reasons.addObject().put("Code", r.code());
        if (r.message() != null) {
          reason.put("Message", r.message());
        }
        if (r.item() != null) {
          reason.set("Item", JsonCodec.encode(r.item()));
        }
      }
    } else if (!e.reasons().isEmpty() && e.reasons().get(0).item() != null) {
      // ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure=ALL_OLD.
      node.set("Item", JsonCodec.encode(e.reasons().get(0).item()));
    }
    return new Reply(e.status(), CONTENT_TYPE, JsonCodec.write(node));
  }
}
