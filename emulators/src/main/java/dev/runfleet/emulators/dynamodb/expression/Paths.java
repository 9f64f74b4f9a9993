package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.Value;
import dev.runfleet.emulators.dynamodb.expression.Ast.Attr;
import dev.runfleet.emulators.dynamodb.expression.Ast.Element;
import dev.runfleet.emulators.dynamodb.expression.Ast.Index;
import dev.runfleet.emulators.dynamodb.expression.Ast.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Reading, rewriting and comparing bound document paths. */
final class Paths {
  private Paths() {}

  /** The value at a path, or null where any step is missing or of the wrong type. */
  static Value resolve(Path path, Map<String, Value> item) {
    List<Element> elements = path.elements();
    Value current = item.get(path.top());
    for (int i = 1; i < elements.size() && current != null; i++) {
      current = child(current, elements.get(i));
    }
    return current;
  }

  private static Value child(Value container, Element step) {
    if (step instanceof Attr a) {
      return container instanceof Value.M m ? m.values().get(a.name()) : null;
    }
    int index = ((Index) step).index();
    return container instanceof Value.L l && index < l.values().size()
        ? l.values().get(index)
        : null;
  }

  /**
   * A copy of the item with the value at the path replaced by {@code change(old)}, where old is
   * null when absent and a null result removes it. Every step before the last must exist with the
   * right type, as DynamoDB requires; a list index past the end appends.
   */
  static Map<String, Value> modify(
      Map<String, Value> item, Path path, UnaryOperator<Value> change) {
    Map<String, Value> out = new LinkedHashMap<>(item);
    String top = path.top();
    if (path.elements().size() == 1) {
      putOrRemove(out, top, change.apply(item.get(top)));
      return out;
    }
    Value child = item.get(top);
    if (child == null) {
      throw Errors.invalidForUpdate();
    }
    out.put(top, modifyIn(child, path.elements(), 1, change));
    return out;
  }

  private static Value modifyIn(
      Value container, List<Element> elements, int i, UnaryOperator<Value> change) {
    Element step = elements.get(i);
    boolean last = i == elements.size() - 1;
    if (step instanceof Attr a) {
      if (!(container instanceof Value.M m)) {
        throw Errors.invalidForUpdate();
      }
      Map<String, Value> copy = new LinkedHashMap<>(m.values());
      Value existing = m.values().get(a.name());
      if (last) {
        putOrRemove(copy, a.name(), change.apply(existing));
      } else if (existing == null) {
        throw Errors.invalidForUpdate();
      } else {
        copy.put(a.name(), modifyIn(existing, elements, i + 1, change));
      }
      return Value.m(copy);
    }
    if (!(container instanceof Value.L l)) {
      throw Errors.invalidForUpdate();
    }
    int index = ((Index) step).index();
    List<Value> copy = new ArrayList<>(l.values());
    Value existing = index < copy.size() ? copy.get(index) : null;
    if (!last) {
      if (existing == null) {
        throw Errors.invalidForUpdate();
      }
      copy.set(index, modifyIn(existing, elements, i + 1, change));
    } else {
      Value replacement = change.apply(existing);
      if (existing == null) {
        if (replacement != null) {
          copy.add(replacement);
        }
      } else if (replacement == null) {
        copy.remove(index); // later elements shift down, as DynamoDB's REMOVE does
      } else {
        copy.set(index, replacement);
      }
    }
    return Value.l(copy);
  }

  private static void putOrRemove(Map<String, Value> map, String key, Value value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  /**
   * Refuses two paths where one is a prefix of (or equal to) the other, or where they step into the
   * same value once as a map and once as a list: DynamoDB rejects both in updates and projections.
   */
  static void requireDisjoint(List<Path> paths, String parameter) {
    for (int i = 0; i < paths.size(); i++) {
      List<Element> a = paths.get(i).elements();
      for (int j = i + 1; j < paths.size(); j++) {
        List<Element> b = paths.get(j).elements();
        int common = Math.min(a.size(), b.size());
        int k = 0;
        while (k < common && a.get(k).equals(b.get(k))) {
          k++;
        }
        String kind;
        if (k == common) {
          kind = "overlap";
        } else if (a.get(k).getClass() != b.get(k).getClass()) {
          kind = "conflict";
        } else {
          continue;
        }
        throw Errors.invalid(
            parameter,
            "Two document paths "
                + kind
                + " with each other; must remove or rewrite one of these paths; path one: "
                + display(a)
                + ", path two: "
                + display(b));
      }
    }
  }

  /** DynamoDB's rendering in messages: {@code [a, b, [2]]}. */
  static String display(List<Element> elements) {
    StringBuilder out = new StringBuilder("[");
    for (Element e : elements) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(e instanceof Attr a ? a.name() : "[" + ((Index) e).index() + "]");
    }
    return out.append(']').toString();
  }

  /**
   * Orders paths so that, applied in this order, removing a list element never shifts one still to
   * be removed: higher indexes of the same list come first. Names sort by name only to make the
   * order total.
   */
  static final Comparator<Path> REMOVAL_ORDER =
      (x, y) -> {
        List<Element> a = x.elements();
        List<Element> b = y.elements();
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
          Element p = a.get(k);
          Element q = b.get(k);
          int c;
          if (p instanceof Index i && q instanceof Index j) {
            c = Integer.compare(j.index(), i.index());
          } else if (p instanceof Attr m && q instanceof Attr n) {
            c = m.name().compareTo(n.name());
          } else {
            c = p instanceof Attr ? -1 : 1;
          }
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };
}
