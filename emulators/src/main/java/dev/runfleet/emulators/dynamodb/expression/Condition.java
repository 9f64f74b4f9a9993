package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.Map;

/** A bound condition or filter expression: names and values are already resolved. */
public interface Condition {
  /** Whether the item satisfies the condition; an absent item is passed as an empty map. */
  boolean test(Map<String, Value> item);
}
