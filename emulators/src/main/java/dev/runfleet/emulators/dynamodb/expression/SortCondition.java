package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;

/** The sort-key part of a key condition; {@code second} is null unless the operator is BETWEEN. */
public record SortCondition(String attribute, Op op, Value first, Value second) {

  public enum Op {
    EQ,
    LT,
    LE,
    GT,
    GE,
    BETWEEN,
    BEGINS_WITH
  }

  /** Whether a sort-key value satisfies the condition; a missing value (null) never does. */
  public boolean test(Value sortValue) {
    return false;
  }
}
