package dev.runfleet.emulators.dynamodb.conformance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Picks from a fixed pool of expression attribute values and names exactly those an expression
 * uses: DynamoDB refuses unused ones, so a table of cases can share one pool.
 */
final class ExpressionSupport {

  private static final Pattern VALUE = Pattern.compile(":[A-Za-z0-9_]+");
  private static final Pattern NAME = Pattern.compile("#[A-Za-z0-9_]+");

  private ExpressionSupport() {}

  /** The values of {@code pool} the expressions refer to, or null when none (as the API wants). */
  static Map<String, AttributeValue> values(Map<String, AttributeValue> pool, String... exprs) {
    Map<String, AttributeValue> used = new LinkedHashMap<>();
    for (String expr : exprs) {
      if (expr == null) {
        continue;
      }
      Matcher m = VALUE.matcher(expr);
      while (m.find()) {
        if (pool.containsKey(m.group())) {
          used.put(m.group(), pool.get(m.group()));
        }
      }
    }
    return used.isEmpty() ? null : used;
  }

  /** The names of {@code pool} the expressions refer to, or null when none. */
  static Map<String, String> names(Map<String, String> pool, String... exprs) {
    Map<String, String> used = new LinkedHashMap<>();
    for (String expr : exprs) {
      if (expr == null) {
        continue;
      }
      Matcher m = NAME.matcher(expr);
      while (m.find()) {
        if (pool.containsKey(m.group())) {
          used.put(m.group(), pool.get(m.group()));
        }
      }
    }
    return used.isEmpty() ? null : used;
  }
}
