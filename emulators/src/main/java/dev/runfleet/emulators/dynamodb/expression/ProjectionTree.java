package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import dev.runfleet.emulators.dynamodb.expression.Ast.Attr;
import dev.runfleet.emulators.dynamodb.expression.Ast.Element;
import dev.runfleet.emulators.dynamodb.expression.Ast.Index;
import dev.runfleet.emulators.dynamodb.expression.Ast.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A projection as a tree of the requested paths, so {@code a.b, a.c, l[3], l[1]} reads each value
 * once and keeps the item's nesting: {@code a} holds only {@code b} and {@code c}, {@code l} only
 * its elements 1 and 3, in list order.
 */
final class ProjectionTree implements Projection {
  private final Node root = new Node();

  private static final class Node {
    /** Set on the last step of a path: the whole value is taken. */
    boolean whole;

    final Map<String, Node> names = new LinkedHashMap<>();
    final TreeMap<Integer, Node> indexes = new TreeMap<>();
  }

  /** {@code paths} are bound and already known to be disjoint. */
  ProjectionTree(List<Path> paths) {
    for (Path p : paths) {
      Node node = root;
      for (Element e : p.elements()) {
        node =
            e instanceof Attr a
                ? node.names.computeIfAbsent(a.name(), k -> new Node())
                : node.indexes.computeIfAbsent(((Index) e).index(), k -> new Node());
      }
      node.whole = true;
    }
  }

  @Override
  public Map<String, Value> apply(Map<String, Value> item) {
    Map<String, Value> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : root.names.entrySet()) {
      Value v = project(item.get(e.getKey()), e.getValue());
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  /** The part of {@code value} the node asks for; null when none of it exists. */
  private static Value project(Value value, Node node) {
    if (value == null || node.whole) {
      return value;
    }
    if (!node.names.isEmpty()) {
      if (!(value instanceof Value.M m)) {
        return null;
      }
      Map<String, Value> kept = new LinkedHashMap<>();
      for (Map.Entry<String, Node> e : node.names.entrySet()) {
        Value v = project(m.values().get(e.getKey()), e.getValue());
        if (v != null) {
          kept.put(e.getKey(), v);
        }
      }
      return kept.isEmpty() ? null : Value.m(kept);
    }
    if (!(value instanceof Value.L l)) {
      return null;
    }
    List<Value> kept = new ArrayList<>();
    for (Map.Entry<Integer, Node> e : node.indexes.entrySet()) {
      if (e.getKey() < l.values().size()) {
        Value v = project(l.values().get(e.getKey()), e.getValue());
        if (v != null) {
          kept.add(v);
        }
      }
    }
    return kept.isEmpty() ? null : Value.l(kept);
  }
}
