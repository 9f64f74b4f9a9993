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
    if (sortValue == null) {
      return false;
    }
    switch (op) {
      case EQ:
        return sortValue.equals(first);
      case LT:
        return Eval.compare(sortValue, Ast.Comparator.LT, first);
      case LE:
        return Eval.compare(sortValue, Ast.Comparator.LE, first);
      case GT:
        return Eval.compare(sortValue, Ast.Comparator.GT, first);
      case GE:
        return Eval.compare(sortValue, Ast.Comparator.GE, first);
      case BETWEEN:
        return Eval.compare(sortValue, Ast.Comparator.GE, first)
            && Eval.compare(sortValue, Ast.Comparator.LE, second);
      default:
        return Eval.beginsWith(sortValue, first);
    }
  }
}
