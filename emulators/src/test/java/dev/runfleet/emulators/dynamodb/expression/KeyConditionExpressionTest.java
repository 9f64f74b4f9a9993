package dev.runfleet.emulators.dynamodb.expression;

import static dev.runfleet.emulators.dynamodb.expression.Fixtures.b;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.item;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.n;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.names;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.s;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.emulators.dynamodb.Value;
import dev.runfleet.emulators.dynamodb.expression.SortCondition.Op;
import org.junit.jupiter.api.Test;

class KeyConditionExpressionTest {

  private static KeyCondition key(String expression, Object... values) {
    return Expressions.keyCondition(expression, Fixtures.values(values), "ForumName", "Subject");
  }

  @Test
  void partitionOnly_docsExample() {
    KeyCondition k = key("ForumName = :name", ":name", s("Amazon DynamoDB"));
    assertThat(k).isEqualTo(new KeyCondition("ForumName", s("Amazon DynamoDB"), null));
  }

  @Test
  void partitionAndSortEquality() {
    KeyCondition k = key("ForumName = :f AND Subject = :s", ":f", s("F"), ":s", s("S"));
    assertThat(k.partitionValue()).isEqualTo(s("F"));
    assertThat(k.sort()).isEqualTo(new SortCondition("Subject", Op.EQ, s("S"), null));
    assertThat(k.sort().test(s("S"))).isTrue();
    assertThat(k.sort().test(s("T"))).isFalse();
  }

  @Test
  void sortComparators_eachTestsItsBound() {
    assertThat(key("ForumName = :f AND Subject < :s", ":f", s("F"), ":s", n(5)).sort())
        .satisfies(c -> assertThat(c.op()).isEqualTo(Op.LT))
        .satisfies(c -> assertThat(c.test(n(4))).isTrue())
        .satisfies(c -> assertThat(c.test(n(5))).isFalse());
    assertThat(key("ForumName = :f AND Subject <= :s", ":f", s("F"), ":s", n(5)).sort().test(n(5)))
        .isTrue();
    assertThat(key("ForumName = :f AND Subject > :s", ":f", s("F"), ":s", n(5)).sort().test(n(5)))
        .isFalse();
    assertThat(key("ForumName = :f AND Subject >= :s", ":f", s("F"), ":s", n(5)).sort().test(n(5)))
        .isTrue();
  }

  @Test
  void sortBetween_isInclusive() {
    SortCondition c =
        key(
                "ForumName = :f AND Subject BETWEEN :a AND :b",
                ":f",
                s("F"),
                ":a",
                s("b"),
                ":b",
                s("d"))
            .sort();
    assertThat(c.op()).isEqualTo(Op.BETWEEN);
    assertThat(c.second()).isEqualTo(s("d"));
    assertThat(c.test(s("b"))).isTrue();
    assertThat(c.test(s("d"))).isTrue();
    assertThat(c.test(s("da"))).isFalse();
    assertThat(c.test(n(1))).isFalse();
  }

  @Test
  void sortBeginsWith_stringAndBinary() {
    SortCondition c =
        key("ForumName = :f AND begins_with(Subject, :p)", ":f", s("F"), ":p", s("Dyn")).sort();
    assertThat(c.op()).isEqualTo(Op.BEGINS_WITH);
    assertThat(c.test(s("DynamoDB"))).isTrue();
    assertThat(c.test(s("S3"))).isFalse();
    SortCondition bin =
        key("ForumName = :f AND begins_with(Subject, :p)", ":f", s("F"), ":p", b("ab")).sort();
    assertThat(bin.test(b("abc"))).isTrue();
  }

  @Test
  void sortTest_nullValue_isFalse() {
    SortCondition c = key("ForumName = :f AND Subject >= :s", ":f", s("F"), ":s", n(1)).sort();
    assertThat(c.test(null)).isFalse();
  }

  @Test
  void sortFirst_andValueOnTheLeft_areAccepted() {
    KeyCondition k = key(":s > Subject AND :f = ForumName", ":f", s("F"), ":s", n(5));
    assertThat(k.partitionValue()).isEqualTo(s("F"));
    assertThat(k.sort().op()).isEqualTo(Op.LT);
  }

  @Test
  void parenthesesAndPlaceholders_areAccepted() {
    ExpressionContext ctx =
        new ExpressionContext(
            names("#f", "ForumName", "#s", "Subject"), item(":f", s("F"), ":s", s("x")));
    KeyCondition k =
        Expressions.keyCondition("(#f = :f) AND (#s = :s)", ctx, "ForumName", "Subject");
    assertThat(k.sort().first()).isEqualTo(s("x"));
    ctx.requireAllUsed();
  }

  @Test
  void partitionKeyMissing_isRefused() {
    validationError(
        () -> key("Subject = :s", ":s", s("x")),
        "Query condition missed key schema element: ForumName");
  }

  @Test
  void nonKeyAttribute_isRefused() {
    validationError(
        () -> key("ForumName = :f AND Replies > :v", ":f", s("F"), ":v", n(1)),
        "Query condition missed key schema element: Subject");
    validationError(
        () ->
            Expressions.keyCondition(
                "pk = :f AND extra = :v", Fixtures.values(":f", s("F"), ":v", n(1)), "pk", null),
        "Query key condition not supported");
  }

  @Test
  void partitionKeyWithOtherThanEquals_isRefused() {
    validationError(() -> key("ForumName > :f", ":f", s("F")), "Query key condition not supported");
    validationError(
        () -> key("begins_with(ForumName, :f)", ":f", s("F")), "Query key condition not supported");
  }

  @Test
  void notEquals_isRefused() {
    validationError(
        () -> key("ForumName = :f AND Subject <> :s", ":f", s("F"), ":s", s("x")),
        "Query key condition not supported");
  }

  @Test
  void orAndNot_areRefused() {
    validationError(
        () -> key("ForumName = :f OR Subject = :s", ":f", s("F"), ":s", s("x")),
        "Invalid operator used in KeyConditionExpression: OR");
    validationError(
        () -> key("ForumName = :f AND NOT Subject = :s", ":f", s("F"), ":s", s("x")),
        "Invalid operator used in KeyConditionExpression: NOT");
  }

  @Test
  void otherFunctions_areRefused() {
    validationError(
        () -> key("ForumName = :f AND attribute_exists(Subject)", ":f", s("F")),
        "Invalid operator used in KeyConditionExpression: attribute_exists");
    validationError(
        () -> key("ForumName IN (:f)", ":f", s("F")),
        "Invalid operator used in KeyConditionExpression: IN");
  }

  @Test
  void twoConditionsOnOneKey_areRefused() {
    validationError(
        () ->
            key(
                "ForumName = :f AND Subject > :a AND Subject < :b",
                ":f",
                s("F"),
                ":a",
                n(1),
                ":b",
                n(2)),
        "KeyConditionExpressions must only contain one condition per key");
  }

  @Test
  void beginsWithNumber_isRefused() {
    validationError(
        () -> key("ForumName = :f AND begins_with(Subject, :p)", ":f", s("F"), ":p", n(1)),
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function;"
            + " operator or function: begins_with, operand type: N");
  }

  @Test
  void comparingTwoAttributes_isRefused() {
    validationError(() -> key("ForumName = Subject"), "Query key condition not supported");
  }

  @Test
  void syntaxError_namesKeyConditionExpression() {
    validationError(
        () -> key("ForumName = :f AND", ":f", s("F")),
        "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\"");
  }

  @Test
  void reservedWordKey_isRefused() {
    validationError(
        () ->
            Expressions.keyCondition("Status = :v", Fixtures.values(":v", s("x")), "Status", null),
        "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword:"
            + " Status");
  }

  @Test
  void sortCondition_numbersCompareNumerically() {
    Value one = n("1.0");
    assertThat(new SortCondition("s", Op.EQ, n(1), null).test(one)).isTrue();
    assertThat(new SortCondition("s", Op.GT, n(9), null).test(n(10))).isTrue();
  }
}
