package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.Map;
import java.util.Set;

/** A bound update expression. */
public interface Update {
  /**
   * Returns a NEW item (never mutates the argument); throws DynamoDbError.validation for runtime
   * errors.
   */
  Map<String, Value> apply(Map<String, Value> item);

  /**
   * Top-level attribute names the update sets/removes/adds/deletes (the engine refuses key
   * attributes).
   */
  Set<String> topLevelTargets();

  /**
   * The document paths this update changes, as a projection: what {@code UPDATED_OLD} ({@code
   * includingRemoved}) and {@code UPDATED_NEW} (set, added and deleted paths only) return — the
   * changed fragments, not whole top-level attributes.
   */
  Projection changedPaths(boolean includingRemoved);
}
