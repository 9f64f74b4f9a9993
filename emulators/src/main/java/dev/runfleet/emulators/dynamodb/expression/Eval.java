package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import dev.runfleet.emulators.dynamodb.expression.Ast.And;
import dev.runfleet.emulators.dynamodb.expression.Ast.Arithmetic;
import dev.runfleet.emulators.dynamodb.expression.Ast.AttributeType;
import dev.runfleet.emulators.dynamodb.expression.Ast.BeginsWith;
import dev.runfleet.emulators.dynamodb.expression.Ast.Between;
import dev.runfleet.emulators.dynamodb.expression.Ast.Comparator;
import dev.runfleet.emulators.dynamodb.expression.Ast.Compare;
import dev.runfleet.emulators.dynamodb.expression.Ast.Cond;
import dev.runfleet.emulators.dynamodb.expression.Ast.Contains;
import dev.runfleet.emulators.dynamodb.expression.Ast.Exists;
import dev.runfleet.emulators.dynamodb.expression.Ast.IfNotExists;
import dev.runfleet.emulators.dynamodb.expression.Ast.In;
import dev.runfleet.emulators.dynamodb.expression.Ast.ListAppend;
import dev.runfleet.emulators.dynamodb.expression.Ast.Literal;
import dev.runfleet.emulators.dynamodb.expression.Ast.Not;
import dev.runfleet.emulators.dynamodb.expression.Ast.Operand;
import dev.runfleet.emulators.dynamodb.expression.Ast.Or;
import dev.runfleet.emulators.dynamodb.expression.Ast.PathOperand;
import dev.runfleet.emulators.dynamodb.expression.Ast.Size;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluates bound trees against an item. */
final class Eval {
  private Eval() {}

  static boolean test(Cond c, Map<String, Value> item) {
    if (c instanceof And a) {
      return test(a.left(), item) && test(a.right(), item);
    }
    if (c instanceof Or o) {
      return test(o.left(), item) || test(o.right(), item);
    }
    if (c instanceof Not n) {
      return !test(n.inner(), item);
    }
    if (c instanceof Compare cmp) {
      return compare(operand(cmp.left(), item), cmp.op(), operand(cmp.right(), item));
    }
    if (c instanceof Between b) {
      Value v = operand(b.value(), item);
      return compare(v, Comparator.GE, operand(b.lower(), item))
          && compare(v, Comparator.LE, operand(b.upper(), item));
    }
    if (c instanceof In in) {
      Value v = operand(in.value(), item);
      for (Operand candidate : in.candidates()) {
        if (compare(v, Comparator.EQ, operand(candidate, item))) {
          return true;
        }
      }
      return false;
    }
    if (c instanceof Exists e) {
      return (Paths.resolve(e.path(), item) != null) == e.expected();
    }
    if (c instanceof AttributeType t) {
      Value v = Paths.resolve(t.path(), item);
      return v != null
          && operand(t.type(), item) instanceof Value.S type
          && v.type().equals(type.value());
    }
    if (c instanceof BeginsWith b) {
      return beginsWith(operand(b.value(), item), operand(b.prefix(), item));
    }
    Contains contains = (Contains) c;
    return contains(operand(contains.container(), item), operand(contains.element(), item));
  }

  /** A condition operand's value; null when the attribute is missing or size() does not apply. */
  static Value operand(Operand o, Map<String, Value> item) {
    if (o instanceof Literal l) {
      return l.value();
    }
    if (o instanceof PathOperand p) {
      return Paths.resolve(p.path(), item);
    }
    if (o instanceof Size s) {
      return size(operand(s.argument(), item));
    }
    throw new IllegalStateException("not a condition operand: " + o);
  }

  /**
   * DynamoDB's comparison: a missing operand or operands of different types make every comparator
   * false except {@code <>}, which is the negation of {@code =}; order only exists for N, S and B.
   */
  static boolean compare(Value a, Comparator op, Value b) {
    if (op == Comparator.EQ || op == Comparator.NE) {
      boolean equal = a != null && a.equals(b);
      return equal == (op == Comparator.EQ);
    }
    if (a == null || b == null || !ordered(a, b)) {
      return false;
    }
    int c = Value.compareKeys(a, b);
    switch (op) {
      case LT:
        return c < 0;
      case LE:
        return c <= 0;
      case GT:
        return c > 0;
      default:
        return c >= 0;
    }
  }

  /** Whether two values have an order between them: same scalar type among N, S and B. */
  static boolean ordered(Value a, Value b) {
    return a.getClass() == b.getClass()
        && (a instanceof Value.N || a instanceof Value.S || a instanceof Value.B);
  }

  /** size(): string and binary length in bytes, element count of sets, lists and maps. */
  static Value size(Value v) {
    long size;
    if (v instanceof Value.S s) {
      size = Value.utf8Length(s.value());
    } else if (v instanceof Value.B b) {
      size = b.length();
    } else if (v instanceof Value.SS s) {
      size = s.values().size();
    } else if (v instanceof Value.NS s) {
      size = s.values().size();
    } else if (v instanceof Value.BS s) {
      size = s.values().size();
    } else if (v instanceof Value.L l) {
      size = l.values().size();
    } else if (v instanceof Value.M m) {
      size = m.values().size();
    } else {
      return null;
    }
    return Value.n(size);
  }

  static boolean beginsWith(Value v, Value prefix) {
    if (v instanceof Value.S s && prefix instanceof Value.S p) {
      return s.value().startsWith(p.value());
    }
    if (v instanceof Value.B b && prefix instanceof Value.B p) {
      byte[] bytes = b.bytes();
      byte[] start = p.bytes();
      return start.length <= bytes.length
          && Arrays.equals(bytes, 0, start.length, start, 0, start.length);
    }
    return false;
  }

  /** contains(): substring of a string, member of a set of the element's type, or list element. */
  static boolean contains(Value container, Value element) {
    if (container == null || element == null) {
      return false;
    }
    if (container instanceof Value.S s && element instanceof Value.S e) {
      return s.value().contains(e.value());
    }
    if (container instanceof Value.SS s && element instanceof Value.S e) {
      return s.values().contains(e.value());
    }
    if (container instanceof Value.NS s && element instanceof Value.N e) {
      return s.values().contains(e.value());
    }
    if (container instanceof Value.BS s && element instanceof Value.B e) {
      return s.values().contains(e);
    }
    if (container instanceof Value.L l) {
      return l.values().contains(element);
    }
    return false;
  }

  // ---- update operands: a missing attribute is an error, not a false comparison

  static Value updateOperand(Operand o, Map<String, Value> item) {
    if (o instanceof Literal l) {
      return l.value();
    }
    if (o instanceof PathOperand p) {
      Value v = Paths.resolve(p.path(), item);
      if (v == null) {
        throw Errors.missingAttribute();
      }
      return v;
    }
    if (o instanceof IfNotExists f) {
      Value v = Paths.resolve(f.path(), item);
      return v != null ? v : updateOperand(f.fallback(), item);
    }
    if (o instanceof ListAppend a) {
      Value first = updateOperand(a.first(), item);
      Value second = updateOperand(a.second(), item);
      if (!(first instanceof Value.L x) || !(second instanceof Value.L y)) {
        throw Errors.wrongDataType();
      }
      List<Value> joined = new ArrayList<>(x.values());
      joined.addAll(y.values());
      return Value.l(joined);
    }
    Arithmetic a = (Arithmetic) o;
    Value left = updateOperand(a.left(), item);
    Value right = updateOperand(a.right(), item);
    if (!(left instanceof Value.N x) || !(right instanceof Value.N y)) {
      throw Errors.wrongDataType();
    }
    return a.plus() ? Value.add(x, y) : Value.subtract(x, y);
  }

  /** ADD: numbers add (absent counts as 0, so absent yields the operand), sets unite. */
  static Value add(Value old, Value operand) {
    if (old == null) {
      return operand;
    }
    if (old instanceof Value.N x && operand instanceof Value.N y) {
      return Value.add(x, y);
    }
    if (old instanceof Value.SS x && operand instanceof Value.SS y) {
      return new Value.SS(union(x.values(), y.values()));
    }
    if (old instanceof Value.NS x && operand instanceof Value.NS y) {
      return new Value.NS(union(x.values(), y.values()));
    }
    if (old instanceof Value.BS x && operand instanceof Value.BS y) {
      return new Value.BS(union(x.values(), y.values()));
    }
    throw Errors.wrongDataType();
  }

  /** DELETE: set difference; an emptied set is removed (null), an absent one stays absent. */
  static Value delete(Value old, Value operand) {
    if (old == null) {
      return null;
    }
    if (old instanceof Value.SS x && operand instanceof Value.SS y) {
      Set<String> left = difference(x.values(), y.values());
      return left.isEmpty() ? null : new Value.SS(left);
    }
    if (old instanceof Value.NS x && operand instanceof Value.NS y) {
      Set<BigDecimal> left = difference(x.values(), y.values());
      return left.isEmpty() ? null : new Value.NS(left);
    }
    if (old instanceof Value.BS x && operand instanceof Value.BS y) {
      Set<Value.B> left = difference(x.values(), y.values());
      return left.isEmpty() ? null : new Value.BS(left);
    }
    throw Errors.wrongDataType();
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  private static <T> Set<T> difference(Set<T> a, Set<T> b) {
    Set<T> out = new LinkedHashSet<>(a);
    out.removeAll(b);
    return out;
  }
}
