package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.DynamoDbError;
import dev.runfleet.emulators.dynamodb.Value;
import dev.runfleet.emulators.dynamodb.expression.Ast.And;
import dev.runfleet.emulators.dynamodb.expression.Ast.Attr;
import dev.runfleet.emulators.dynamodb.expression.Ast.BeginsWith;
import dev.runfleet.emulators.dynamodb.expression.Ast.Between;
import dev.runfleet.emulators.dynamodb.expression.Ast.Comparator;
import dev.runfleet.emulators.dynamodb.expression.Ast.Compare;
import dev.runfleet.emulators.dynamodb.expression.Ast.Cond;
import dev.runfleet.emulators.dynamodb.expression.Ast.Literal;
import dev.runfleet.emulators.dynamodb.expression.Ast.Not;
import dev.runfleet.emulators.dynamodb.expression.Ast.Operand;
import dev.runfleet.emulators.dynamodb.expression.Ast.Or;
import dev.runfleet.emulators.dynamodb.expression.Ast.PathOperand;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a bound condition as a key condition: one equality on the partition key and at most one
 * condition on the sort key, joined by AND, each comparing a top-level key attribute to a value.
 */
final class KeyConditions {
  private KeyConditions() {}

  /** One {@code attribute op value(s)} term. */
  private record Term(String attribute, SortCondition.Op op, Value first, Value second) {}

  static KeyCondition of(Cond bound, String partitionKey, String sortKey) {
    List<Cond> parts = new ArrayList<>();
    flatten(bound, parts);
    Value partition = null;
    SortCondition sort = null;
    boolean other = false;
    for (Cond part : parts) {
      Term t = term(part);
      if (t.attribute().equals(partitionKey)) {
        if (partition != null) {
          throw onePerKey();
        }
        if (t.op() != SortCondition.Op.EQ) {
          throw notSupported();
        }
        partition = t.first();
      } else if (t.attribute().equals(sortKey)) {
        if (sort != null) {
          throw onePerKey();
        }
        sort = new SortCondition(t.attribute(), t.op(), t.first(), t.second());
      } else {
        other = true;
      }
    }
    if (partition == null) {
      throw missed(partitionKey);
    }
    if (other) {
      throw sortKey == null ? notSupported() : missed(sortKey);
    }
    return new KeyCondition(partitionKey, partition, sort);
  }

  private static void flatten(Cond c, List<Cond> parts) {
    if (c instanceof And a) {
      flatten(a.left(), parts);
      flatten(a.right(), parts);
    } else if (c instanceof Or) {
      throw invalidOperator("OR");
    } else if (c instanceof Not) {
      throw invalidOperator("NOT");
    } else {
      parts.add(c);
    }
  }

  private static Term term(Cond c) {
    if (c instanceof Compare cmp) {
      Comparator op = cmp.op();
      if (op == Comparator.NE) {
        throw notSupported();
      }
      // DynamoDB accepts the value on either side; normalise to attribute-first.
      boolean attributeFirst = cmp.left() instanceof PathOperand;
      Operand attribute = attributeFirst ? cmp.left() : cmp.right();
      Operand value = attributeFirst ? cmp.right() : cmp.left();
      if (!attributeFirst) {
        op = op.flipped();
      }
      return new Term(attribute(attribute), sortOp(op), value(value), null);
    }
    if (c instanceof Between b) {
      return new Term(
          attribute(b.value()), SortCondition.Op.BETWEEN, value(b.lower()), value(b.upper()));
    }
    if (c instanceof BeginsWith b) {
      return new Term(attribute(b.value()), SortCondition.Op.BEGINS_WITH, value(b.prefix()), null);
    }
    throw invalidOperator(functionName(c));
  }

  private static String functionName(Cond c) {
    String simple = c.getClass().getSimpleName();
    switch (simple) {
      case "In":
        return "IN";
      case "Exists":
        return ((Ast.Exists) c).expected() ? "attribute_exists" : "attribute_not_exists";
      case "AttributeType":
        return "attribute_type";
      default:
        return "contains";
    }
  }

  private static SortCondition.Op sortOp(Comparator op) {
    switch (op) {
      case EQ:
        return SortCondition.Op.EQ;
      case LT:
        return SortCondition.Op.LT;
      case LE:
        return SortCondition.Op.LE;
      case GT:
        return SortCondition.Op.GT;
      default:
        return SortCondition.Op.GE;
    }
  }

  private static String attribute(Operand o) {
    if (o instanceof PathOperand p
        && p.path().elements().size() == 1
        && p.path().elements().get(0) instanceof Attr a) {
      return a.name();
    }
    throw notSupported();
  }

  private static Value value(Operand o) {
    if (o instanceof Literal l) {
      return l.value();
    }
    throw notSupported();
  }

  private static DynamoDbError notSupported() {
    return DynamoDbError.validation("Query key condition not supported");
  }

  private static DynamoDbError missed(String key) {
    return DynamoDbError.validation("Query condition missed key schema element: " + key);
  }

  private static DynamoDbError onePerKey() {
    return DynamoDbError.validation(
        "KeyConditionExpressions must only contain one condition per key");
  }

  private static DynamoDbError invalidOperator(String operator) {
    return DynamoDbError.validation("Invalid operator used in KeyConditionExpression: " + operator);
  }
}
