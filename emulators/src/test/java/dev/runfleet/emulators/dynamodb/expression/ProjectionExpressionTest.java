package dev.runfleet.emulators.dynamodb.expression;

import static dev.runfleet.emulators.dynamodb.expression.Fixtures.item;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.l;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.m;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.n;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.names;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.s;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.ss;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionExpressionTest {

  private static final Map<String, Value> PRODUCT =
      item(
          "Id", n(123),
          "Title", s("Bicycle 123"),
          "Description", s("123 description"),
          "Color", ss("Red", "Black"),
          "RelatedItems", l(n(341), n(472), n(649)),
          "ProductReviews",
              m(
                  "FiveStar", l(s("Excellent!"), s("Great")),
                  "OneStar", l(s("Terrible")),
                  "Meta", m("tally", n(3))));

  private static Map<String, Value> project(String expression, Map<String, Value> item) {
    return Expressions.projection(expression, new ExpressionContext(null, null)).apply(item);
  }

  @Test
  void topLevelAttributes_docsExample() {
    assertThat(project("Description, RelatedItems[0], ProductReviews.FiveStar", PRODUCT))
        .containsExactlyInAnyOrderEntriesOf(
            item(
                "Description", s("123 description"),
                "RelatedItems", l(n(341)),
                "ProductReviews", m("FiveStar", l(s("Excellent!"), s("Great")))));
  }

  @Test
  void nestedAndIndexedPaths_keepTheNesting() {
    assertThat(project("ProductReviews.Meta.tally, ProductReviews.FiveStar[1]", PRODUCT))
        .isEqualTo(item("ProductReviews", m("Meta", m("tally", n(3)), "FiveStar", l(s("Great")))));
  }

  @Test
  void severalIndexes_comeBackInListOrder() {
    assertThat(project("RelatedItems[2], RelatedItems[0]", PRODUCT))
        .isEqualTo(item("RelatedItems", l(n(341), n(649))));
  }

  @Test
  void missingParts_areLeftOut() {
    assertThat(project("Nope, RelatedItems[7], ProductReviews.ThreeStar, Title.x", PRODUCT))
        .isEmpty();
    assertThat(project("Id, Nope", PRODUCT)).isEqualTo(item("Id", n(123)));
  }

  @Test
  void indexIntoListOfMaps() {
    Map<String, Value> it = item("l", l(m("a", n(1), "b", n(2)), m("a", n(3))));
    assertThat(project("l[1].a, l[0].b", it)).isEqualTo(item("l", l(m("b", n(2)), m("a", n(3)))));
  }

  @Test
  void expressionAttributeNames_resolve() {
    ExpressionContext ctx = new ExpressionContext(names("#c", "Color", "#d", "Description"), null);
    assertThat(Expressions.projection("#c, #d", ctx).apply(PRODUCT))
        .isEqualTo(item("Color", ss("Red", "Black"), "Description", s("123 description")));
    ctx.requireAllUsed();
  }

  @Test
  void overlappingPaths_areRefused() {
    validationError(
        () -> project("ProductReviews, ProductReviews.FiveStar", PRODUCT),
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove"
            + " or rewrite one of these paths; path one: [ProductReviews], path two:"
            + " [ProductReviews, FiveStar]");
    validationError(() -> project("Id, Id", PRODUCT), "Two document paths overlap");
  }

  @Test
  void conflictingPaths_areRefused() {
    validationError(
        () -> project("a.b, a[0]", PRODUCT),
        "Invalid ProjectionExpression: Two document paths conflict with each other");
  }

  @Test
  void reservedWord_isRefused() {
    validationError(
        () -> project("Id, Name", PRODUCT),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword:"
            + " Name");
  }

  @Test
  void trailingComma_isASyntaxError() {
    validationError(
        () -> project("Id,", PRODUCT),
        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
  }

  @Test
  void projection_returnsAFreshMap() {
    Map<String, Value> out = project("Id", PRODUCT);
    out.put("x", n(1)); // callers may add to the answer without touching the stored item
    assertThat(PRODUCT).doesNotContainKey("x");
  }
}
