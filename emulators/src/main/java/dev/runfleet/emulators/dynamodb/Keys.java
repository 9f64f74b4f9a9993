package dev.runfleet.emulators.dynamodb;

import java.util.Map;

/** Checks of items and keys against a table's schema, with DynamoDB's messages. */
final class Keys {

  static final long MAX_ITEM_BYTES = 409_600;
  static final int MAX_HASH_BYTES = 2048;
  static final int MAX_RANGE_BYTES = 1024;

  private static final String INVALID = "One or more parameter values were invalid: ";

  private Keys() {}

  /** A full item to be stored: keys present and well typed, index keys typed, size in bounds. */
  static void checkItem(Table table, Map<String, Value> item, boolean afterUpdate) {
    checkKeyAttribute(table.key.hash(), table.key.hashType(), item, true);
    if (table.key.hasRange()) {
      checkKeyAttribute(table.key.range(), table.key.rangeType(), item, false);
    }
    for (Index index : table.indexes) {
      checkIndexAttribute(table, index, index.key.hash(), item);
      if (index.key.hasRange()) {
        checkIndexAttribute(table, index, index.key.range(), item);
      }
    }
    if (Value.itemSize(item) > MAX_ITEM_BYTES) {
      throw DynamoDbError.validation(
          afterUpdate
              ? "Item size to update has exceeded the maximum allowed size"
              : "Item size has exceeded the maximum allowed size");
    }
  }

  private static void checkKeyAttribute(
      String name, String type, Map<String, Value> item, boolean hash) {
    Value v = item.get(name);
    if (v == null) {
      throw DynamoDbError.validation(INVALID + "Missing the key " + name + " in the item");
    }
    if (!v.type().equals(type)) {
      throw DynamoDbError.validation(
          INVALID
              + "Type mismatch for key "
              + name
              + " expected: "
              + type
              + " actual: "
              + v.type());
    }
    checkKeyValue(name, v, hash);
  }

  /** Emptiness and size of a well-typed key value. */
  static void checkKeyValue(String name, Value v, boolean hash) {
    long size = v.size();
    if (size == 0 && !(v instanceof Value.N)) {
      throw DynamoDbError.validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute"
              + " cannot contain an empty "
              + (v instanceof Value.S ? "string" : "binary")
              + " value. Key: "
              + name);
    }
    if (hash && size > MAX_HASH_BYTES) {
      throw DynamoDbError.validation(
          INVALID
              + "Size of hashkey has exceeded the maximum size limit of "
              + MAX_HASH_BYTES
              + " bytes");
    }
    if (!hash && size > MAX_RANGE_BYTES) {
      throw DynamoDbError.validation(
          INVALID
              + "Aggregated size of all range keys has exceeded the size limit of "
              + MAX_RANGE_BYTES
              + " bytes");
    }
  }

  private static void checkIndexAttribute(
      Table table, Index index, String name, Map<String, Value> item) {
    Value v = item.get(name);
    if (v == null || table.key.isKeyAttribute(name)) {
      return;
    }
    String expected = table.attributeTypes.get(name);
    if (!v.type().equals(expected)) {
      throw DynamoDbError.validation(
          INVALID
              + "Type mismatch for Index Key "
              + name
              + " Expected: "
              + expected
              + " Actual: "
              + v.type()
              + " IndexName: "
              + index.name);
    }
    if (v.size() == 0 && !(v instanceof Value.N)) {
      throw DynamoDbError.validation(
          "One or more parameter values are not valid. A value specified for a secondary index key"
              + " is not supported. The AttributeValue for a key attribute cannot contain an empty"
              + " string value. IndexName: "
              + index.name
              + ", IndexKey: "
              + name);
    }
  }

  /** A {@code Key} parameter: exactly the table's key attributes, well typed. */
  static Map<String, Value> checkKey(Table table, Map<String, Value> key) {
    if (key == null) {
      throw DynamoDbError.validation(
          "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member"
              + " must not be null");
    }
    KeySchema schema = table.key;
    int expected = schema.hasRange() ? 2 : 1;
    if (key.size() != expected
        || !matches(key.get(schema.hash()), schema.hashType())
        || (schema.hasRange() && !matches(key.get(schema.range()), schema.rangeType()))) {
      throw DynamoDbError.validation("The provided key element does not match the schema");
    }
    checkKeyValue(schema.hash(), key.get(schema.hash()), true);
    if (schema.hasRange()) {
      checkKeyValue(schema.range(), key.get(schema.range()), false);
    }
    return key;
  }

  private static boolean matches(Value v, String type) {
    return v != null && v.type().equals(type);
  }
}
