package dev.runfleet.emulators.dynamodb.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.runfleet.emulators.dynamodb.DynamoDbError;
import dev.runfleet.emulators.dynamodb.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Short builders for values, items and contexts, so each test reads like the docs' examples. */
final class Fixtures {
  private Fixtures() {}

  static Value s(String v) {
    return Value.s(v);
  }

  static Value n(long v) {
    return Value.n(v);
  }

  static Value n(String v) {
    return Value.n(v);
  }

  static Value b(String utf8) {
    return Value.b(utf8.getBytes(StandardCharsets.UTF_8));
  }

  static Value bool(boolean v) {
    return Value.bool(v);
  }

  static Value ss(String... v) {
    return new Value.SS(new LinkedHashSet<>(List.of(v)));
  }

  static Value ns(long... v) {
    Set<BigDecimal> set = new LinkedHashSet<>();
    for (long x : v) {
      set.add(BigDecimal.valueOf(x));
    }
    return new Value.NS(set);
  }

  static Value bs(String... utf8) {
    Set<Value.B> set = new LinkedHashSet<>();
    for (String x : utf8) {
      set.add((Value.B) b(x));
    }
    return new Value.BS(set);
  }

  static Value l(Value... v) {
    return Value.l(List.of(v));
  }

  static Value m(Object... keysAndValues) {
    return Value.m(item(keysAndValues));
  }

  /** An item from alternating attribute names and values. */
  static Map<String, Value> item(Object... keysAndValues) {
    Map<String, Value> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], (Value) keysAndValues[i + 1]);
    }
    return out;
  }

  /** Expression attribute names from alternating placeholders and names. */
  static Map<String, String> names(String... placeholdersAndNames) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < placeholdersAndNames.length; i += 2) {
      out.put(placeholdersAndNames[i], placeholdersAndNames[i + 1]);
    }
    return out;
  }

  static ExpressionContext values(Object... placeholdersAndValues) {
    return new ExpressionContext(null, item(placeholdersAndValues));
  }

  /** Parses, binds and evaluates a ConditionExpression in one go. */
  static boolean holds(String expression, Map<String, Value> item, Object... values) {
    return Expressions.condition(expression, values(values), "ConditionExpression").test(item);
  }

  static Map<String, Value> updated(String expression, Map<String, Value> item, Object... values) {
    return Expressions.update(expression, values(values)).apply(item);
  }

  /** Asserts the call fails with a ValidationException whose message holds the fragment. */
  static DynamoDbError validationError(ThrowingCallable call, String fragment) {
    DynamoDbError error = catchThrowableOfType(DynamoDbError.class, call);
    assertThat(error).as("expected a DynamoDbError").isNotNull();
    assertThat(error.shortType()).isEqualTo("ValidationException");
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).contains(fragment);
    return error;
  }

  static List<Value> list(Value v) {
    return new ArrayList<>(((Value.L) v).values());
  }
}
