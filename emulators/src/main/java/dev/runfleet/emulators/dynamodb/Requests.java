package dev.runfleet.emulators.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runfleet.emulators.dynamodb.expression.ExpressionContext;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Reading request parameters with the validation messages DynamoDB answers with. */
final class Requests {

  private Requests() {}

  static String string(JsonNode request, String name) {
    JsonNode node = request.get(name);
    return node == null || node.isNull() ? null : node.asText();
  }

  static String required(JsonNode request, String name) {
    String value = string(request, name);
    if (value == null) {
      throw DynamoDbError.validation(
          "1 validation error detected: Value null at '"
              + lowerCamel(name)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  static JsonNode requiredNode(JsonNode request, String name) {
    JsonNode node = request.get(name);
    if (node == null || node.isNull()) {
      throw DynamoDbError.validation(
          "1 validation error detected: Value null at '"
              + lowerCamel(name)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return node;
  }

  static boolean bool(JsonNode request, String name, boolean otherwise) {
    JsonNode node = request.get(name);
    return node == null || node.isNull() ? otherwise : node.asBoolean();
  }

  /** An optional integer parameter with DynamoDB's lower bound message. */
  static Integer integer(JsonNode request, String name, int min, int max) {
    JsonNode node = request.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    long value = node.asLong();
    if (value < min) {
      throw constraint(name, value, "Member must have value greater than or equal to " + min);
    }
    if (value > max) {
      throw constraint(name, value, "Member must have value less than or equal to " + max);
    }
    return (int) value;
  }

  static DynamoDbError constraint(String name, Object value, String rule) {
    return DynamoDbError.validation(
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + lowerCamel(name)
            + "' failed to satisfy constraint: "
            + rule);
  }

  static String lowerCamel(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  /** Refuses the pre-expression parameters, which runfleet does not use. */
  static void refuseLegacy(JsonNode request, String... names) {
    for (String name : names) {
      JsonNode node = request.get(name);
      if (node != null && !node.isNull()) {
        throw DynamoDbError.validation(
            name + " is not supported by the runfleet emulator; use expressions");
      }
    }
  }

  static final String[] LEGACY =
      new String[] {
        "Expected",
        "AttributeUpdates",
        "KeyConditions",
        "QueryFilter",
        "ScanFilter",
        "AttributesToGet",
        "ConditionalOperator"
      };

  /**
   * The request's ExpressionAttributeNames/Values as one context. {@code usesExpressions} tells
   * whether the request carries any expression: DynamoDB refuses names or values without one.
   */
  static ExpressionContext context(JsonNode request, boolean usesExpressions) {
    JsonNode names = request.get("ExpressionAttributeNames");
    JsonNode values = request.get("ExpressionAttributeValues");
    boolean hasNames = names != null && !names.isNull();
    boolean hasValues = values != null && !values.isNull();
    if (!usesExpressions && hasNames) {
      throw DynamoDbError.validation(
          "ExpressionAttributeNames can only be specified when using expressions");
    }
    if (!usesExpressions && hasValues) {
      throw DynamoDbError.validation(
          "ExpressionAttributeValues can only be specified when using expressions");
    }
    if (hasNames && names.size() == 0) {
      throw DynamoDbError.validation("ExpressionAttributeNames must not be empty");
    }
    if (hasValues && values.size() == 0) {
      throw DynamoDbError.validation("ExpressionAttributeValues must not be empty");
    }
    Map<String, String> nameMap = new HashMap<>();
    if (hasNames) {
      for (Iterator<Map.Entry<String, JsonNode>> it = names.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        nameMap.put(e.getKey(), e.getValue().asText());
      }
    }
    Map<String, Value> valueMap = hasValues ? JsonCodec.item(values) : Map.of();
    return new ExpressionContext(nameMap, valueMap);
  }

  static boolean present(JsonNode request, String name) {
    JsonNode node = request.get(name);
    return node != null && !node.isNull();
  }
}
