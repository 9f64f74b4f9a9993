package dev.runfleet.emulators.dynamodb;

import dev.runfleet.emulators.dynamodb.expression.Condition;
import dev.runfleet.emulators.dynamodb.expression.Update;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One write of a PutItem, UpdateItem, DeleteItem, batch or transaction: parsed outside the lock,
 * then resolved, checked, computed and committed under the engine's write lock. The phases are
 * separate so a transaction can check every action before committing any.
 */
final class WriteAction {

  enum Kind {
    PUT,
    UPDATE,
    DELETE,
    CHECK
  }

  final Kind kind;
  final String tableName;
  private final Map<String, Value> keyOrItem;
  private final Update update;
  private final Condition condition;
  private final boolean oldOnFailure;

  Table table;
  Map<String, Value> key;
  Map<String, Value> old;
  Map<String, Value> next;

  WriteAction(
      Kind kind,
      String tableName,
      Map<String, Value> keyOrItem,
      Update update,
      Condition condition,
      boolean oldOnFailure) {
    this.kind = kind;
    this.tableName = tableName;
    this.keyOrItem = keyOrItem;
    this.update = update;
    this.condition = condition;
    this.oldOnFailure = oldOnFailure;
  }

  /** Finds the table and validates the key or item against it. */
  void resolve(DynamoDbEngine engine) {
    table = engine.table(tableName);
    if (kind == Kind.PUT) {
      if (keyOrItem == null) {
        throw Requests.constraint("Item", null, "Member must not be null");
      }
      Keys.checkItem(table, keyOrItem, false);
      key = table.key.keyOf(keyOrItem);
    } else {
      key = table.key.keyOf(Keys.checkKey(table, keyOrItem));
    }
    if (update != null) {
      for (String target : update.topLevelTargets()) {
        if (table.key.isKeyAttribute(target)) {
          throw DynamoDbError.validation(
              "One or more parameter values were invalid: Cannot update attribute "
                  + target
                  + ". This attribute is part of the key");
        }
      }
    }
  }

  /** Reads the current item and tests the condition; ConditionalCheckFailed when it fails. */
  void check() {
    old = table.get(key);
    if (condition != null && !condition.test(old == null ? Map.of() : old)) {
      throw DynamoDbError.conditionalCheckFailed(oldOnFailure ? old : null);
    }
  }

  /** Works out the item after the write (null: none). */
  void compute() {
    switch (kind) {
      case PUT -> next = keyOrItem;
      case DELETE -> next = null;
      case CHECK -> next = old;
      case UPDATE -> {
        Map<String, Value> base = old != null ? old : new LinkedHashMap<>(key);
        next = update == null ? base : update.apply(base);
        Keys.checkItem(table, next, true);
      }
    }
  }

  /** Stores the result; a write that changed nothing records nothing (the engine decides). */
  void commit(DynamoDbEngine engine) {
    if (kind == Kind.CHECK) {
      return;
    }
    engine.commit(table, key, old, next);
  }

  void run(DynamoDbEngine engine) {
    resolve(engine);
    check();
    compute();
    commit(engine);
  }

  /**
   * Identity of the item written, for duplicate checks across one request: compared by value, never
   * rendered as text (a transaction's items used to be printed for this on every write).
   */
  ItemIdentity itemIdentity() {
    return new ItemIdentity(tableName, key);
  }

  record ItemIdentity(String tableName, Map<String, Value> key) {}

  Update update() {
    return update;
  }
}
