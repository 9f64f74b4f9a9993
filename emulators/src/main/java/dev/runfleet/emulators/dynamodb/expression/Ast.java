package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.List;

/**
 * The syntax tree of every expression kind. A parsed tree still holds placeholders ({@code #n},
 * {@code :v}) so it can be cached by text; binding replaces them with names and values of one
 * request, and only bound trees are evaluated.
 */
final class Ast {
  private Ast() {}

  /** One step of a document path. */
  sealed interface Element permits Attr, NameRef, Index {}

  /** An attribute or map key, as written or as resolved from a placeholder. */
  record Attr(String name) implements Element {}

  /** An unresolved {@code #name} placeholder. */
  record NameRef(String placeholder) implements Element {}

  /** A list element. */
  record Index(int index) implements Element {}

  record Path(List<Element> elements) {
    Path {
      elements = List.copyOf(elements);
    }

    /** The top-level attribute; only meaningful on a bound path. */
    String top() {
      return ((Attr) elements.get(0)).name();
    }
  }

  sealed interface Operand
      permits PathOperand, ValueRef, Literal, Size, IfNotExists, ListAppend, Arithmetic {}

  record PathOperand(Path path) implements Operand {}

  /** An unresolved {@code :value} placeholder. */
  record ValueRef(String placeholder) implements Operand {}

  record Literal(Value value) implements Operand {}

  record Size(Operand argument) implements Operand {}

  record IfNotExists(Path path, Operand fallback) implements Operand {}

  record ListAppend(Operand first, Operand second) implements Operand {}

  record Arithmetic(Operand left, boolean plus, Operand right) implements Operand {}

  enum Comparator {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String symbol;

    Comparator(String symbol) {
      this.symbol = symbol;
    }

    /** The comparator with its operands swapped: {@code :v < a} is {@code a > :v}. */
    Comparator flipped() {
      switch (this) {
        case LT:
          return GT;
        case LE:
          return GE;
        case GT:
          return LT;
        case GE:
          return LE;
        default:
          return this;
      }
    }
  }

  sealed interface Cond
      permits Compare, Between, In, And, Or, Not, Exists, AttributeType, BeginsWith, Contains {}

  record Compare(Operand left, Comparator op, Operand right) implements Cond {}

  record Between(Operand value, Operand lower, Operand upper) implements Cond {}

  record In(Operand value, List<Operand> candidates) implements Cond {
    In {
      candidates = List.copyOf(candidates);
    }
  }

  record And(Cond left, Cond right) implements Cond {}

  record Or(Cond left, Cond right) implements Cond {}

  record Not(Cond inner) implements Cond {}

  /** {@code attribute_exists} when {@code expected}, else {@code attribute_not_exists}. */
  record Exists(Path path, boolean expected) implements Cond {}

  record AttributeType(Path path, Operand type) implements Cond {}

  record BeginsWith(Operand value, Operand prefix) implements Cond {}

  record Contains(Operand container, Operand element) implements Cond {}

  /** One SET, ADD or DELETE action: a target path and its operand. */
  record Action(Path path, Operand value) {}

  record UpdateExpr(
      List<Action> sets, List<Path> removes, List<Action> adds, List<Action> deletes) {
    UpdateExpr {
      sets = List.copyOf(sets);
      removes = List.copyOf(removes);
      adds = List.copyOf(adds);
      deletes = List.copyOf(deletes);
    }
  }
}
