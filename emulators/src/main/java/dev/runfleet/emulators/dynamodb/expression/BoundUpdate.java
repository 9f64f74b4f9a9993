package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import dev.runfleet.emulators.dynamodb.expression.Ast.Action;
import dev.runfleet.emulators.dynamodb.expression.Ast.Literal;
import dev.runfleet.emulators.dynamodb.expression.Ast.Path;
import dev.runfleet.emulators.dynamodb.expression.Ast.UpdateExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An update expression bound to one request's names and values. */
final class BoundUpdate implements Update {
  private static final String PARAMETER = "UpdateExpression";

  private final List<Action> sets;
  private final List<Path> removes;
  private final List<Action> adds;
  private final List<Action> deletes;
  private final Set<String> targets;

  private BoundUpdate(
      List<Action> sets, List<Path> removes, List<Action> adds, List<Action> deletes) {
    this.sets = sets;
    List<Path> ordered = new ArrayList<>(removes);
    ordered.sort(Paths.REMOVAL_ORDER);
    this.removes = ordered;
    this.adds = adds;
    this.deletes = deletes;
    Set<String> tops = new LinkedHashSet<>();
    List<Path> all = new ArrayList<>();
    sets.forEach(a -> all.add(a.path()));
    all.addAll(removes);
    adds.forEach(a -> all.add(a.path()));
    deletes.forEach(a -> all.add(a.path()));
    for (Path p : all) {
      tops.add(p.top());
    }
    this.targets = Set.copyOf(tops);
    Paths.requireDisjoint(all, PARAMETER);
  }

  static BoundUpdate bind(UpdateExpr parsed, ExpressionContext ctx) {
    Binder binder = new Binder(ctx, PARAMETER);
    List<Action> sets = new ArrayList<>();
    for (Action a : parsed.sets()) {
      sets.add(new Action(binder.path(a.path()), binder.operand(a.value())));
    }
    List<Path> removes = binder.paths(parsed.removes());
    List<Action> adds = valueActions(binder, parsed.adds(), "ADD");
    List<Action> deletes = valueActions(binder, parsed.deletes(), "DELETE");
    return new BoundUpdate(sets, removes, adds, deletes);
  }

  /** ADD takes a number or a set, DELETE only a set: DynamoDB refuses others before any item. */
  private static List<Action> valueActions(Binder binder, List<Action> actions, String operator) {
    List<Action> bound = new ArrayList<>();
    for (Action a : actions) {
      Value v = ((Literal) binder.operand(a.value())).value();
      boolean set = v instanceof Value.SS || v instanceof Value.NS || v instanceof Value.BS;
      if (!set && !(operator.equals("ADD") && v instanceof Value.N)) {
        throw Errors.invalid(
            PARAMETER,
            "Incorrect operand type for operator or function; operator: "
                + operator
                + ", operand type: "
                + longType(v));
      }
      bound.add(new Action(binder.path(a.path()), new Literal(v)));
    }
    return bound;
  }

  private static String longType(Value v) {
    switch (v.type()) {
      case "S":
        return "STRING";
      case "N":
        return "NUMBER";
      case "B":
        return "BINARY";
      case "BOOL":
        return "BOOLEAN";
      case "L":
        return "LIST";
      case "M":
        return "MAP";
      default:
        return v.type();
    }
  }

  @Override
  public Map<String, Value> apply(Map<String, Value> item) {
    // Every SET operand reads the item as it was before this update, as DynamoDB evaluates them.
    List<Value> values = new ArrayList<>(sets.size());
    for (Action a : sets) {
      values.add(Eval.updateOperand(a.value(), item));
    }
    Map<String, Value> out = item;
    for (int i = 0; i < sets.size(); i++) {
      Value v = values.get(i);
      out = Paths.modify(out, sets.get(i).path(), old -> v);
    }
    for (Path p : removes) {
      out = Paths.modify(out, p, old -> null);
    }
    for (Action a : adds) {
      Value v = ((Literal) a.value()).value();
      out = Paths.modify(out, a.path(), old -> Eval.add(old, v));
    }
    for (Action a : deletes) {
      Value v = ((Literal) a.value()).value();
      out = Paths.modify(out, a.path(), old -> Eval.delete(old, v));
    }
    // A no-op update still hands back a copy: callers may rely on never sharing the argument.
    return out == item ? new LinkedHashMap<>(item) : out;
  }

  @Override
  public Set<String> topLevelTargets() {
    return targets;
  }

  @Override
  public Projection changedPaths(boolean includingRemoved) {
    List<Path> paths = new ArrayList<>();
    sets.forEach(a -> paths.add(a.path()));
    adds.forEach(a -> paths.add(a.path()));
    deletes.forEach(a -> paths.add(a.path()));
    if (includingRemoved) {
      paths.addAll(removes);
    }
    return new ProjectionTree(paths);
  }
}
