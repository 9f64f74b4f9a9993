package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.DynamoDbError;
import dev.runfleet.emulators.dynamodb.Value;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names and values of one request; records which are used, since DynamoDB refuses unused ones. One
 * context serves every expression of a request (condition, update, projection...), so the check
 * comes after all of them are bound.
 */
public final class ExpressionContext {
  private final Map<String, String> names;
  private final Map<String, Value> values;
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> usedValues = new HashSet<>();

  public ExpressionContext(Map<String, String> names, Map<String, Value> values) {
    this.names = names == null ? Map.of() : names;
    this.values = values == null ? Map.of() : values;
  }

  /** Throws the ValidationException DynamoDB answers when a name or value went unused. */
  public void requireAllUsed() {
    unused(names.keySet(), usedNames, "ExpressionAttributeNames");
    unused(values.keySet(), usedValues, "ExpressionAttributeValues");
  }

  private static void unused(Set<String> given, Set<String> used, String parameter) {
    if (used.containsAll(given)) {
      return;
    }
    // Sorted, so the message is the same whatever map the caller passed.
    Set<String> left = new TreeSet<>(given);
    left.removeAll(used);
    throw DynamoDbError.validation(
        "Value provided in "
            + parameter
            + " unused in expressions: keys: {"
            + String.join(", ", left)
            + "}");
  }

  String name(String placeholder, String parameter) {
    return lookup(
        names, usedNames, placeholder, parameter, "name used in the document path", "name");
  }

  Value value(String placeholder, String parameter) {
    return lookup(values, usedValues, placeholder, parameter, "value used in expression", "value");
  }

  private static <T> T lookup(
      Map<String, T> given,
      Set<String> used,
      String placeholder,
      String parameter,
      String what,
      String kind) {
    T found = given.get(placeholder);
    if (found == null) {
      throw Errors.invalid(
          parameter,
          "An expression attribute "
              + what
              + " is not defined; attribute "
              + kind
              + ": "
              + placeholder);
    }
    used.add(placeholder);
    return found;
  }
}
