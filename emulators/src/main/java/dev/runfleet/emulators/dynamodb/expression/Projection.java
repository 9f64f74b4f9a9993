package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.Map;

/** A bound projection expression. */
public interface Projection {
  /** The parts of the item the projection names, nested as they are in the item. */
  Map<String, Value> apply(Map<String, Value> item);
}
