package dev.runfleet.emulators.dynamodb.expression;

import static dev.runfleet.emulators.dynamodb.expression.Fixtures.holds;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.item;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.n;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.names;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.s;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionSyntaxTest {

  @Test
  void emptyCondition_isRefused() {
    validationError(
        () -> holds("", item()), "Invalid ConditionExpression: The expression can not be empty;");
    validationError(
        () -> Expressions.condition(null, Fixtures.values(), "FilterExpression"),
        "Invalid FilterExpression: The expression can not be empty;");
  }

  @Test
  void danglingComparator_showsTokenAndNeighbourhood() {
    validationError(
        () -> holds("a = = :v", item(), ":v", n(1)),
        "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :v\"");
  }

  @Test
  void unknownCharacter_isASyntaxError() {
    validationError(() -> holds("my-attr = :v", item(), ":v", n(1)), "Syntax error; token: \"-\"");
    validationError(() -> holds("a = :v;", item(), ":v", n(1)), "Syntax error; token: \";\"");
  }

  @Test
  void unbalancedParentheses_areSyntaxErrors() {
    validationError(() -> holds("(a = :v", item(), ":v", n(1)), "token: \"<EOF>\"");
    validationError(() -> holds("a = :v)", item(), ":v", n(1)), "token: \")\"");
  }

  @Test
  void betweenWithoutAnd_isASyntaxError() {
    validationError(
        () -> holds("a BETWEEN :x OR :y", item(), ":x", n(1), ":y", n(2)),
        "Syntax error; token: \"OR\"");
  }

  @Test
  void literalNumbers_areNotOperands() {
    validationError(() -> holds("a = 5", item()), "Syntax error; token: \"5\"");
  }

  @Test
  void listIndex_mustBeANumber() {
    validationError(() -> holds("a[x] = :v", item(), ":v", n(1)), "Syntax error; token: \"x\"");
    validationError(() -> holds("a[-1] = :v", item(), ":v", n(1)), "Syntax error; token: \"-\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "STATUS", "Name", "data", "size", "count", "year", "zone"})
  void reservedWord_bareName_isRefused(String word) {
    validationError(
        () -> holds(word + " = :v", item(), ":v", n(1)),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            + word);
  }

  @Test
  void reservedWord_nestedStep_isRefusedToo() {
    validationError(() -> holds("a.status = :v", item(), ":v", n(1)), "reserved keyword: status");
  }

  @Test
  void reservedWord_throughPlaceholder_isFine() {
    ExpressionContext ctx = new ExpressionContext(names("#s", "status"), item(":v", s("OK")));
    assertThat(
            Expressions.condition("#s = :v", ctx, "ConditionExpression")
                .test(item("status", s("OK"))))
        .isTrue();
  }

  @Test
  void reservedWordList_hasAllOfTheDocumentedWords() {
    assertThat(ReservedWords.count()).isEqualTo(573);
    assertThat(ReservedWords.contains("abort")).isTrue();
    assertThat(ReservedWords.contains("Zone")).isTrue();
    assertThat(ReservedWords.contains("ProductCategory")).isFalse();
  }

  @Test
  void functionNames_areCaseSensitive() {
    validationError(
        () -> holds("ATTRIBUTE_EXISTS(a)", item()),
        "Invalid function name; function: ATTRIBUTE_EXISTS");
  }

  @Test
  void updateFunctionInCondition_isRefused() {
    validationError(
        () -> holds("a = if_not_exists(b, :v)", item(), ":v", n(1)),
        "Invalid ConditionExpression: The function is not allowed in a condition expression;"
            + " function: if_not_exists");
  }

  @Test
  void booleanFunctionAsOperand_isRefused() {
    validationError(
        () -> holds(":v = attribute_exists(a)", item(), ":v", n(1)),
        "The function is not allowed to be used this way in an expression; function:"
            + " attribute_exists");
  }

  @Test
  void wrongArity_isRefused() {
    validationError(
        () -> holds("begins_with(a)", item()),
        "Incorrect number of operands for operator or function; operator or function:"
            + " begins_with, number of operands: 1");
    validationError(() -> holds("attribute_exists(a, b)", item()), "number of operands: 2");
  }

  @Test
  void attributeExists_needsAPath() {
    validationError(
        () -> holds("attribute_exists(:v)", item(), ":v", n(1)),
        "Operator or function requires a document path; operator or function: attribute_exists");
  }

  @Test
  void deepPaths_beyondThirtyTwoLevels_areRefused() {
    String deep = "a" + ".b".repeat(32);
    validationError(
        () -> holds("attribute_exists(" + deep + ")", item()),
        "The document path has too many nesting levels; nesting levels: 33");
    String ok = "a" + ".b".repeat(31);
    assertThat(holds("attribute_exists(" + ok + ")", item())).isFalse();
  }

  @Test
  void tooLongExpression_isRefused() {
    String longName = "a".repeat(4100);
    validationError(
        () -> holds("attribute_exists(" + longName + ")", item()),
        "Expression size has exceeded the maximum allowed size");
  }

  @Test
  void grammarWord_asPath_isASyntaxError() {
    validationError(() -> holds("a = AND", item()), "Syntax error; token: \"AND\"");
  }

  @Test
  void unknownUpdateClause_isASyntaxError() {
    validationError(
        () -> Expressions.update("PUT a = :v", Fixtures.values(":v", n(1))),
        "Invalid UpdateExpression: Syntax error; token: \"PUT\"");
  }

  @Test
  void syntaxErrors_areNotCachedUnderAnotherParameterName() {
    validationError(
        () -> Expressions.condition("a =", Fixtures.values(), "ConditionExpression"),
        "Invalid ConditionExpression");
    validationError(
        () -> Expressions.condition("a =", Fixtures.values(), "FilterExpression"),
        "Invalid FilterExpression");
  }
}
