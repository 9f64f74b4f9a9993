package dev.runfleet.emulators.dynamodb;

import static dev.runfleet.emulators.dynamodb.JsonCodec.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.emulators.dynamodb.DynamoDbError.CancellationReason;
import dev.runfleet.emulators.dynamodb.expression.Condition;
import dev.runfleet.emulators.dynamodb.expression.ExpressionContext;
import dev.runfleet.emulators.dynamodb.expression.Expressions;
import dev.runfleet.emulators.dynamodb.expression.Projection;
import dev.runfleet.emulators.dynamodb.expression.Update;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Single-item reads and writes, batches and transactions. */
final class ItemOperations {

  private static final Set<String> PUT_RETURN_VALUES = Set.of("NONE", "ALL_OLD");
  private static final Set<String> UPDATE_RETURN_VALUES =
      Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
  private static final int MAX_TRANSACTION_ITEMS = 100;
  private static final int MAX_BATCH_WRITE = 25;
  private static final int MAX_BATCH_GET = 100;

  private final DynamoDbEngine engine;

  ItemOperations(DynamoDbEngine engine) {
    this.engine = engine;
  }

  // ---- single items ----

  ObjectNode putItem(JsonNode request) {
    return single(WriteAction.Kind.PUT, request, "Item", PUT_RETURN_VALUES);
  }

  ObjectNode deleteItem(JsonNode request) {
    return single(WriteAction.Kind.DELETE, request, "Key", PUT_RETURN_VALUES);
  }

  ObjectNode updateItem(JsonNode request) {
    return single(WriteAction.Kind.UPDATE, request, "Key", UPDATE_RETURN_VALUES);
  }

  /** PutItem, DeleteItem and UpdateItem: one action, run under the write lock. */
  private ObjectNode single(
      WriteAction.Kind kind, JsonNode request, String itemParameter, Set<String> allowed) {
    Requests.refuseLegacy(request, Requests.LEGACY);
    String returnValues =
        returnValues(
            request,
            allowed,
            kind == WriteAction.Kind.UPDATE
                ? "ReturnValues can only be NONE, ALL_OLD, UPDATED_OLD, ALL_NEW or UPDATED_NEW"
                : "ReturnValues can only be ALL_OLD or NONE");
    WriteAction action = action(kind, request, itemParameter);
    return engine.write(
        () -> {
          action.run(engine);
          return writeResponse(request, action, returnValues);
        });
  }

  private static String returnValues(JsonNode request, Set<String> allowed, String message) {
    String value = Requests.string(request, "ReturnValues");
    if (value == null) {
      return "NONE";
    }
    if (!allowed.contains(value)) {
      throw DynamoDbError.validation(message);
    }
    return value;
  }

  /**
   * Parses one write (of a single-item call or a transaction): its key or item and its expressions,
   * which share one context.
   */
  static WriteAction action(WriteAction.Kind kind, JsonNode request, String itemParameter) {
    String table = Requests.required(request, "TableName");
    Map<String, Value> keyOrItem = JsonCodec.item(request.get(itemParameter));
    String conditionText = Requests.string(request, "ConditionExpression");
    String updateText =
        kind == WriteAction.Kind.UPDATE ? Requests.string(request, "UpdateExpression") : null;
    if (kind == WriteAction.Kind.CHECK && conditionText == null) {
      throw Requests.constraint("ConditionExpression", null, "Member must not be null");
    }
    ExpressionContext ctx = Requests.context(request, conditionText != null || updateText != null);
    Condition condition =
        conditionText == null
            ? null
            : Expressions.condition(conditionText, ctx, "ConditionExpression");
    Update update = updateText == null ? null : Expressions.update(updateText, ctx);
    ctx.requireAllUsed();
    String onFailure = Requests.string(request, "ReturnValuesOnConditionCheckFailure");
    if (onFailure != null && !onFailure.equals("ALL_OLD") && !onFailure.equals("NONE")) {
      throw Requests.constraint(
          "ReturnValuesOnConditionCheckFailure",
          onFailure,
          "Member must satisfy enum value set: [ALL_OLD, NONE]");
    }
    return new WriteAction(kind, table, keyOrItem, update, condition, "ALL_OLD".equals(onFailure));
  }

  private static ObjectNode writeResponse(
      JsonNode request, WriteAction action, String returnValues) {
    ObjectNode response = NODES.objectNode();
    Map<String, Value> attributes =
        switch (returnValues) {
          case "ALL_OLD" -> action.old;
          case "ALL_NEW" -> action.next;
          case "UPDATED_OLD" -> only(action.old, action.update(), true);
          case "UPDATED_NEW" -> only(action.next, action.update(), false);
          default -> null;
        };
    if (attributes != null && !attributes.isEmpty()) {
      response.set("Attributes", JsonCodec.encode(attributes));
    }
    new Capacity()
        .write(action.tableName, action.old, action.next, false)
        .reportOne(request, response);
    return response;
  }

  /**
   * The fragments an update changed, as they are in {@code item}: {@code SET a.b = :v} returns
   * {@code {a: {b: ...}}}, not all of {@code a}, as DynamoDB does.
   */
  private static Map<String, Value> only(
      Map<String, Value> item, Update update, boolean includingRemoved) {
    if (item == null || update == null) {
      return null;
    }
    return update.changedPaths(includingRemoved).apply(item);
  }

  static boolean consistent(JsonNode request) {
    return request.path("ConsistentRead").asBoolean(false);
  }

  ObjectNode getItem(JsonNode request) {
    Requests.refuseLegacy(request, Requests.LEGACY);
    String tableName = Requests.required(request, "TableName");
    Map<String, Value> key = JsonCodec.item(request.get("Key"));
    Projection projection = projection(request);
    return engine.read(
        () -> {
          Table table = engine.table(tableName);
          Map<String, Value> item = table.get(Keys.checkKey(table, key));
          ObjectNode response = NODES.objectNode();
          if (item != null) {
            response.set(
                "Item", JsonCodec.encode(projection == null ? item : projection.apply(item)));
          }
          new Capacity()
              .read(tableName, item == null ? 0 : Value.itemSize(item), consistent(request), false)
              .reportOne(request, response);
          return response;
        });
  }

  /** A request's ProjectionExpression, or null; checks its names are all used. */
  private static Projection projection(JsonNode request) {
    String text = Requests.string(request, "ProjectionExpression");
    ExpressionContext ctx = Requests.context(request, text != null);
    Projection projection = text == null ? null : Expressions.projection(text, ctx);
    ctx.requireAllUsed();
    return projection;
  }

  // ---- batches ----

  ObjectNode batchGetItem(JsonNode request) {
    JsonNode requestItems = Requests.requiredNode(request, "RequestItems");
    record TableRead(
        String table, List<Map<String, Value>> keys, Projection projection, boolean consistent) {}
    List<TableRead> reads = new ArrayList<>();
    int total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Requests.refuseLegacy(e.getValue(), Requests.LEGACY);
      List<Map<String, Value>> keys = new ArrayList<>();
      for (JsonNode k : e.getValue().path("Keys")) {
        keys.add(JsonCodec.item(k));
      }
      total += keys.size();
      reads.add(
          new TableRead(e.getKey(), keys, projection(e.getValue()), consistent(e.getValue())));
    }
    if (total > MAX_BATCH_GET) {
      throw DynamoDbError.validation("Too many items requested for the BatchGetItem call");
    }
    return engine.read(
        () -> {
          ObjectNode response = NODES.objectNode();
          ObjectNode responses = response.putObject("Responses");
          Capacity capacity = new Capacity();
          for (TableRead read : reads) {
            Table table = engine.table(read.table());
            ArrayNode items = responses.putArray(read.table());
            Set<Map<String, Value>> seen = new HashSet<>();
            for (Map<String, Value> key : read.keys()) {
              Keys.checkKey(table, key);
              if (!seen.add(table.key.keyOf(key))) {
                throw DynamoDbError.validation("Provided list of item keys contains duplicates");
              }
              Map<String, Value> item = table.get(key);
              // Each item is rounded up on its own; BatchGetItem reads eventually consistently
              // unless asked otherwise per table.
              capacity.read(
                  read.table(), item == null ? 0 : Value.itemSize(item), read.consistent(), false);
              if (item != null) {
                items.add(
                    JsonCodec.encode(
                        read.projection() == null ? item : read.projection().apply(item)));
              }
            }
          }
          response.putObject("UnprocessedKeys");
          capacity.reportAll(request, response);
          return response;
        });
  }

  ObjectNode batchWriteItem(JsonNode request) {
    JsonNode requestItems = Requests.requiredNode(request, "RequestItems");
    List<WriteAction> actions = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      for (JsonNode w : e.getValue()) {
        JsonNode put = w.get("PutRequest");
        JsonNode delete = w.get("DeleteRequest");
        if ((put == null) == (delete == null)) {
          throw DynamoDbError.validation(
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one of"
                  + " the supported datatypes");
        }
        actions.add(
            put != null
                ? new WriteAction(
                    WriteAction.Kind.PUT,
                    e.getKey(),
                    JsonCodec.item(put.get("Item")),
                    null,
                    null,
                    false)
                : new WriteAction(
                    WriteAction.Kind.DELETE,
                    e.getKey(),
                    JsonCodec.item(delete.get("Key")),
                    null,
                    null,
                    false));
      }
    }
    if (actions.isEmpty() || actions.size() > MAX_BATCH_WRITE) {
      throw Requests.constraint(
          "RequestItems",
          "{...}",
          "Map value must satisfy constraint: [Member must have length less than or equal to 25,"
              + " Member must have length greater than or equal to 1]");
    }
    return engine.write(
        () -> {
          resolveAll(actions, "Provided list of item keys contains duplicates");
          Capacity capacity = new Capacity();
          for (WriteAction action : actions) {
            action.check();
            action.compute();
            action.commit(engine);
            capacity.write(action.tableName, action.old, action.next, false);
          }
          ObjectNode response = NODES.objectNode();
          response.putObject("UnprocessedItems");
          capacity.reportAll(request, response);
          return response;
        });
  }

  /** Resolves every action before any runs, refusing two actions on one item. */
  private void resolveAll(List<WriteAction> actions, String duplicateMessage) {
    Set<WriteAction.ItemIdentity> items = new HashSet<>();
    for (WriteAction action : actions) {
      action.resolve(engine);
      if (!items.add(action.itemIdentity())) {
        throw DynamoDbError.validation(duplicateMessage);
      }
    }
  }

  // ---- transactions ----

  ObjectNode transactWriteItems(JsonNode request) {
    JsonNode items = Requests.requiredNode(request, "TransactItems");
    checkTransactionSize(items);
    List<WriteAction> actions = new ArrayList<>();
    for (JsonNode item : items) {
      actions.add(transactAction(item));
    }
    return engine.write(
        () -> {
          resolveAll(actions, "Transaction request cannot include multiple operations on one item");
          List<CancellationReason> reasons = new ArrayList<>();
          boolean failed = false;
          for (WriteAction action : actions) {
            try {
              action.check();
              action.compute();
              reasons.add(CancellationReason.NONE);
            } catch (DynamoDbError e) {
              failed = true;
              reasons.add(reason(e));
            }
          }
          if (failed) {
            throw DynamoDbError.transactionCanceled(reasons);
          }
          // Every action passed: commit them all under the same lock, so the records and the
          // items appear at once to every reader.
          Capacity capacity = new Capacity();
          for (WriteAction action : actions) {
            action.commit(engine);
            capacity.write(action.tableName, action.old, action.next, true);
          }
          ObjectNode response = NODES.objectNode();
          capacity.reportAll(request, response);
          return response;
        });
  }

  private static CancellationReason reason(DynamoDbError e) {
    if (e.shortType().equals("ConditionalCheckFailedException")) {
      Map<String, Value> item = e.reasons().isEmpty() ? null : e.reasons().get(0).item();
      return new CancellationReason(
          "ConditionalCheckFailed", "The conditional request failed", item);
    }
    if (e.shortType().equals("ValidationException")) {
      return new CancellationReason("ValidationError", e.getMessage(), null);
    }
    return e.asReason();
  }

  private static void checkTransactionSize(JsonNode items) {
    if (!items.isArray() || items.size() < 1 || items.size() > MAX_TRANSACTION_ITEMS) {
      throw Requests.constraint(
          "TransactItems",
          "[...]",
          items.size() < 1
              ? "Member must have length greater than or equal to 1"
              : "Member must have length less than or equal to 100");
    }
  }

  private static WriteAction transactAction(JsonNode item) {
    if (item.size() != 1) {
      throw DynamoDbError.validation(
          "TransactItems can only contain one of Check, Put, Update or Delete");
    }
    Map.Entry<String, JsonNode> e = item.fields().next();
    JsonNode body = e.getValue();
    Requests.refuseLegacy(body, Requests.LEGACY);
    return switch (e.getKey()) {
      case "Put" -> action(WriteAction.Kind.PUT, body, "Item");
      case "Update" -> action(WriteAction.Kind.UPDATE, body, "Key");
      case "Delete" -> action(WriteAction.Kind.DELETE, body, "Key");
      case "ConditionCheck" -> action(WriteAction.Kind.CHECK, body, "Key");
      default ->
          throw DynamoDbError.validation(
              "TransactItems can only contain one of Check, Put, Update or Delete");
    };
  }

  ObjectNode transactGetItems(JsonNode request) {
    JsonNode items = Requests.requiredNode(request, "TransactItems");
    checkTransactionSize(items);
    record Get(String table, Map<String, Value> key, Projection projection) {}
    List<Get> gets = new ArrayList<>();
    for (JsonNode item : items) {
      JsonNode get = Requests.requiredNode(item, "Get");
      gets.add(
          new Get(
              Requests.required(get, "TableName"),
              JsonCodec.item(get.get("Key")),
              projection(get)));
    }
    return engine.read(
        () -> {
          ObjectNode response = NODES.objectNode();
          ArrayNode responses = response.putArray("Responses");
          Capacity capacity = new Capacity();
          Set<String> seen = new HashSet<>();
          for (Get get : gets) {
            Table table = engine.table(get.table());
            Keys.checkKey(table, get.key());
            if (!seen.add(get.table() + "\u0000" + table.key.keyOf(get.key()))) {
              throw DynamoDbError.validation(
                  "Transaction request cannot include multiple operations on one item");
            }
            Map<String, Value> found = table.get(get.key());
            capacity.read(get.table(), found == null ? 0 : Value.itemSize(found), true, true);
            ObjectNode entry = responses.addObject();
            if (found != null) {
              entry.set(
                  "Item",
                  JsonCodec.encode(
                      get.projection() == null ? found : get.projection().apply(found)));
            }
          }
          capacity.reportAll(request, response);
          return response;
        });
  }
}
