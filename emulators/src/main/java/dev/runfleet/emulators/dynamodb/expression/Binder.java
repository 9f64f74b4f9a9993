package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import dev.runfleet.emulators.dynamodb.expression.Ast.And;
import dev.runfleet.emulators.dynamodb.expression.Ast.Arithmetic;
import dev.runfleet.emulators.dynamodb.expression.Ast.Attr;
import dev.runfleet.emulators.dynamodb.expression.Ast.AttributeType;
import dev.runfleet.emulators.dynamodb.expression.Ast.BeginsWith;
import dev.runfleet.emulators.dynamodb.expression.Ast.Between;
import dev.runfleet.emulators.dynamodb.expression.Ast.Compare;
import dev.runfleet.emulators.dynamodb.expression.Ast.Cond;
import dev.runfleet.emulators.dynamodb.expression.Ast.Contains;
import dev.runfleet.emulators.dynamodb.expression.Ast.Element;
import dev.runfleet.emulators.dynamodb.expression.Ast.Exists;
import dev.runfleet.emulators.dynamodb.expression.Ast.IfNotExists;
import dev.runfleet.emulators.dynamodb.expression.Ast.In;
import dev.runfleet.emulators.dynamodb.expression.Ast.ListAppend;
import dev.runfleet.emulators.dynamodb.expression.Ast.Literal;
import dev.runfleet.emulators.dynamodb.expression.Ast.NameRef;
import dev.runfleet.emulators.dynamodb.expression.Ast.Not;
import dev.runfleet.emulators.dynamodb.expression.Ast.Operand;
import dev.runfleet.emulators.dynamodb.expression.Ast.Or;
import dev.runfleet.emulators.dynamodb.expression.Ast.Path;
import dev.runfleet.emulators.dynamodb.expression.Ast.PathOperand;
import dev.runfleet.emulators.dynamodb.expression.Ast.Size;
import dev.runfleet.emulators.dynamodb.expression.Ast.ValueRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a parsed (cached, shared) tree into a bound one for one request: placeholders become names
 * and values, each marked used in the context, and operand types DynamoDB checks before reading any
 * item are checked here.
 */
final class Binder {
  private static final Set<String> TYPE_NAMES =
      Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

  private final ExpressionContext ctx;
  private final String parameter;

  Binder(ExpressionContext ctx, String parameter) {
    this.ctx = ctx;
    this.parameter = parameter;
  }

  Path path(Path path) {
    List<Element> elements = new ArrayList<>(path.elements().size());
    for (Element e : path.elements()) {
      elements.add(e instanceof NameRef n ? new Attr(ctx.name(n.placeholder(), parameter)) : e);
    }
    return new Path(elements);
  }

  List<Path> paths(List<Path> paths) {
    List<Path> bound = new ArrayList<>(paths.size());
    for (Path p : paths) {
      bound.add(path(p));
    }
    return bound;
  }

  Operand operand(Operand o) {
    if (o instanceof PathOperand p) {
      return new PathOperand(path(p.path()));
    }
    if (o instanceof ValueRef v) {
      return new Literal(ctx.value(v.placeholder(), parameter));
    }
    if (o instanceof Size s) {
      Operand argument = operand(s.argument());
      if (argument instanceof Literal l && Eval.size(l.value()) == null) {
        throw Errors.incorrectOperandType(parameter, "size", l.value().type());
      }
      return new Size(argument);
    }
    if (o instanceof IfNotExists f) {
      return new IfNotExists(path(f.path()), operand(f.fallback()));
    }
    if (o instanceof ListAppend a) {
      return new ListAppend(operand(a.first()), operand(a.second()));
    }
    if (o instanceof Arithmetic a) {
      return new Arithmetic(operand(a.left()), a.plus(), operand(a.right()));
    }
    return o; // already a Literal
  }

  Cond cond(Cond c) {
    if (c instanceof And a) {
      return new And(cond(a.left()), cond(a.right()));
    }
    if (c instanceof Or o) {
      return new Or(cond(o.left()), cond(o.right()));
    }
    if (c instanceof Not n) {
      return new Not(cond(n.inner()));
    }
    if (c instanceof Compare cmp) {
      return new Compare(operand(cmp.left()), cmp.op(), operand(cmp.right()));
    }
    if (c instanceof Between b) {
      return between(b);
    }
    if (c instanceof In in) {
      List<Operand> candidates = new ArrayList<>(in.candidates().size());
      for (Operand o : in.candidates()) {
        candidates.add(operand(o));
      }
      return new In(operand(in.value()), candidates);
    }
    if (c instanceof Exists e) {
      return new Exists(path(e.path()), e.expected());
    }
    if (c instanceof AttributeType t) {
      return attributeType(t);
    }
    if (c instanceof BeginsWith b) {
      Operand value = stringOrBinary("begins_with", operand(b.value()));
      return new BeginsWith(value, stringOrBinary("begins_with", operand(b.prefix())));
    }
    Contains contains = (Contains) c;
    return new Contains(operand(contains.container()), operand(contains.element()));
  }

  private Cond between(Between b) {
    Operand lower = operand(b.lower());
    Operand upper = operand(b.upper());
    if (lower instanceof Literal lo
        && upper instanceof Literal hi
        && Eval.ordered(lo.value(), hi.value())
        && Value.compareKeys(lo.value(), hi.value()) > 0) {
      throw Errors.invalid(
          parameter,
          "The BETWEEN operator requires upper bound to be greater than or equal to lower bound;"
              + " lower bound operand: AttributeValue: "
              + render(lo.value())
              + ", upper bound operand: AttributeValue: "
              + render(hi.value()));
    }
    return new Between(operand(b.value()), lower, upper);
  }

  private Cond attributeType(AttributeType t) {
    Operand type = operand(t.type());
    if (type instanceof Literal l) {
      if (!(l.value() instanceof Value.S s)) {
        throw Errors.incorrectOperandType(parameter, "attribute_type", l.value().type());
      }
      if (!TYPE_NAMES.contains(s.value())) {
        throw Errors.invalid(
            parameter,
            "Invalid attribute type name found; type: "
                + s.value()
                + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
      }
    }
    return new AttributeType(path(t.path()), type);
  }

  private Operand stringOrBinary(String function, Operand o) {
    if (o instanceof Literal l && !(l.value() instanceof Value.S || l.value() instanceof Value.B)) {
      throw Errors.incorrectOperandType(parameter, function, l.value().type());
    }
    return o;
  }

  /** A scalar as DynamoDB shows it in messages, e.g. {@code {N:5}}. */
  static String render(Value v) {
    String shown;
    if (v instanceof Value.S s) {
      shown = s.value();
    } else if (v instanceof Value.N n) {
      shown = n.text();
    } else if (v instanceof Value.B b) {
      shown = b.base64();
    } else {
      shown = String.valueOf(v);
    }
    return "{" + v.type() + ":" + shown + "}";
  }
}
