package dev.runfleet.emulators.dynamodb.expression;

import static dev.runfleet.emulators.dynamodb.expression.Fixtures.item;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.n;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.names;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class ExpressionContextTest {

  @Test
  void unusedValues_areListedSorted() {
    ExpressionContext ctx = new ExpressionContext(null, item(":b", n(1), ":a", n(2), ":c", n(3)));
    Expressions.condition("x = :c", ctx, "ConditionExpression");
    validationError(
        ctx::requireAllUsed,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :b}");
  }

  @Test
  void unusedNames_areRefused() {
    ExpressionContext ctx = new ExpressionContext(names("#a", "a", "#b", "b"), null);
    Expressions.projection("#b", ctx);
    validationError(
        ctx::requireAllUsed,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}");
  }

  @Test
  void usesAcrossExpressionsOfOneRequest_count() {
    ExpressionContext ctx =
        new ExpressionContext(names("#a", "a", "#p", "p"), item(":v", n(1), ":w", n(2)));
    Expressions.update("SET #a = :v", ctx);
    Expressions.condition("#p = :w", ctx, "ConditionExpression");
    assertThatCode(ctx::requireAllUsed).doesNotThrowAnyException();
  }

  @Test
  void nullMaps_areEmpty() {
    ExpressionContext ctx = new ExpressionContext(null, null);
    Expressions.projection("a", ctx);
    assertThatCode(ctx::requireAllUsed).doesNotThrowAnyException();
  }

  @Test
  void undefinedName_isRefused() {
    validationError(
        () ->
            Expressions.condition(
                "#x = :v", new ExpressionContext(null, item(":v", n(1))), "ConditionExpression"),
        "Invalid ConditionExpression: An expression attribute name used in the document path is"
            + " not defined; attribute name: #x");
  }

  @Test
  void undefinedValue_isRefused() {
    validationError(
        () -> Expressions.update("SET a = :nope", new ExpressionContext(null, null)),
        "Invalid UpdateExpression: An expression attribute value used in expression is not"
            + " defined; attribute value: :nope");
  }

  @Test
  void cachedParse_stillMarksNamesUsedForEachRequest() {
    String text = "#cached = :cached";
    ExpressionContext first = new ExpressionContext(names("#cached", "a"), item(":cached", n(1)));
    Expressions.condition(text, first, "ConditionExpression");
    ExpressionContext second = new ExpressionContext(names("#cached", "a"), item(":cached", n(1)));
    Expressions.condition(text, second, "ConditionExpression");
    assertThatCode(first::requireAllUsed).doesNotThrowAnyException();
    assertThatCode(second::requireAllUsed).doesNotThrowAnyException();
  }

  @Test
  void cachedParse_bindsEachRequestsOwnValues() {
    String text = "a = :cachedValue";
    Condition one =
        Expressions.condition(text, Fixtures.values(":cachedValue", n(1)), "ConditionExpression");
    Condition two =
        Expressions.condition(text, Fixtures.values(":cachedValue", n(2)), "ConditionExpression");
    org.assertj.core.api.Assertions.assertThat(one.test(item("a", n(1)))).isTrue();
    org.assertj.core.api.Assertions.assertThat(two.test(item("a", n(1)))).isFalse();
  }

  @Test
  void cachedParse_undefinedNameStillRefusedOnLaterRequest() {
    String text = "#late = :v";
    Expressions.condition(
        text, new ExpressionContext(names("#late", "a"), item(":v", n(1))), "ConditionExpression");
    validationError(
        () ->
            Expressions.condition(
                text, new ExpressionContext(null, item(":v", n(1))), "FilterExpression"),
        "Invalid FilterExpression: An expression attribute name used in the document path is not"
            + " defined; attribute name: #late");
  }
}
