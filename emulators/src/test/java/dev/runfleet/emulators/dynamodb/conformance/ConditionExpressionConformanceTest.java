package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** ConditionExpression: functions, comparators, precedence, paths; the failure exception. */
class ConditionExpressionConformanceTest extends ConformanceTestBase {

  private static final Map<String, AttributeValue> VALUES =
      item(
          ":one", n(1),
          ":two", n(2),
          ":three", n(3),
          ":four", n(4),
          ":five", n("5.0"),
          ":six", n(6),
          ":seven", n(7),
          ":eleven", n(11),
          ":hello", s("hello"),
          ":world", s("world"),
          ":zzz", s("zzz"),
          ":red", s("red"),
          ":green", s("green"),
          ":twoS", s("two"),
          ":deep", s("deep"),
          ":false", bool(false),
          ":true", bool(true),
          ":S", s("S"),
          ":N", s("N"),
          ":SS", s("SS"),
          ":L", s("L"),
          ":M", s("M"),
          ":BOOL", s("BOOL"),
          ":NULL", s("NULL"),
          ":B", s("B"),
          ":list", l(n(1), s("two"), m("x", n(3))));

  private static final Map<String, String> NAMES = Map.of("#m", "map", "#l", "list");

  private String table;
  private String pk;

  @Override
  protected void createTables() {
    table = tableName("cond");
    createTable(keyedTable(table, false, null).build());
    pk = uniq("subject");
    ddb.putItem(
        b ->
            b.tableName(table)
                .item(
                    item(
                        "pk", s(pk),
                        "n", n(5),
                        "s", s("hello world"),
                        "list", l(n(1), s("two"), m("x", n(3))),
                        "map", m("a", m("b", s("deep"))),
                        "tags", ss("red", "blue"),
                        "flag", bool(true),
                        "nul", nul(),
                        "bin", b((byte) 1))));
  }

  /** Whether {@code condition} holds for the subject item: a conditional no-op-ish update. */
  private boolean holds(String condition) {
    try {
      ddb.updateItem(
          b ->
              b.tableName(table)
                  .key(item("pk", s(pk)))
                  .updateExpression("SET probe = :probe")
                  .conditionExpression(condition)
                  .expressionAttributeNames(ExpressionSupport.names(NAMES, condition))
                  .expressionAttributeValues(
                      withProbe(ExpressionSupport.values(VALUES, condition))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static Map<String, AttributeValue> withProbe(Map<String, AttributeValue> values) {
    Map<String, AttributeValue> all = new java.util.HashMap<>();
    if (values != null) {
      all.putAll(values);
    }
    all.put(":probe", n(System.nanoTime()));
    return all;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "attribute_exists(n) | true",
        "attribute_exists(nope) | false",
        "attribute_not_exists(nope) | true",
        "attribute_not_exists(n) | false",
        "attribute_exists(#m.a.b) | true",
        "attribute_exists(#m.a.c) | false",
        "attribute_exists(#l[2].x) | true",
        "attribute_exists(#l[3]) | false",
        "n = :five | true",
        "n <> :five | false",
        "n < :six | true",
        "n < :five | false",
        "n <= :five | true",
        "n > :five | false",
        "n > :four | true",
        "n >= :five | true",
        "n BETWEEN :four AND :six | true",
        "n BETWEEN :five AND :five | true",
        "n BETWEEN :six AND :seven | false",
        "n IN (:four, :five) | true",
        "n IN (:four, :six) | false",
        "n = :hello | false",
        "s < :world | true",
        "s > :zzz | false",
        "begins_with(s, :hello) | true",
        "begins_with(s, :world) | false",
        "contains(s, :world) | true",
        "contains(s, :zzz) | false",
        "contains(tags, :red) | true",
        "contains(tags, :green) | false",
        "contains(#l, :twoS) | true",
        "contains(#l, :three) | false",
        "size(s) = :eleven | true",
        "size(#l) = :three | true",
        "size(tags) = :two | true",
        "size(#m) = :one | true",
        "size(bin) = :one | true",
        "size(nope) = :one | false",
        "attribute_type(n, :N) | true",
        "attribute_type(n, :S) | false",
        "attribute_type(s, :S) | true",
        "attribute_type(tags, :SS) | true",
        "attribute_type(#l, :L) | true",
        "attribute_type(#m, :M) | true",
        "attribute_type(flag, :BOOL) | true",
        "attribute_type(nul, :NULL) | true",
        "attribute_type(bin, :B) | true",
        "#m.a.b = :deep | true",
        "#l[0] = :one | true",
        "#l[1] = :twoS | true",
        "#l[2].x = :three | true",
        "#l[7] = :one | false",
        "#l = :list | true",
        "flag = :true | true",
        "n = :five OR n = :four AND flag = :false | true",
        "(n = :five OR n = :four) AND flag = :false | false",
        "NOT n = :four AND n = :six | false",
        "NOT (n = :four AND n = :six) | true",
        "NOT attribute_exists(nope) | true",
        "n = :five AND (contains(s, :hello) OR size(s) > :eleven) | true"
      })
  void conditionEvaluatesAsDocumented(String condition, boolean expected) {
    assertThat(holds(condition)).as(condition).isEqualTo(expected);
  }

  @Test
  void attributeNotExistsOnTheKeyGuardsCreation() {
    String fresh = uniq("create-once");
    ddb.putItem(
        b ->
            b.tableName(table)
                .item(item("pk", s(fresh), "v", n(1)))
                .conditionExpression("attribute_not_exists(pk)"));

    ConditionalCheckFailedException e =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                ddb.putItem(
                    b ->
                        b.tableName(table)
                            .item(item("pk", s(fresh), "v", n(2)))
                            .conditionExpression("attribute_not_exists(pk)")));

    assertThat(e).isNotNull();
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ConditionalCheckFailedException");
    assertThat(e.hasItem()).isFalse();
    assertThat(
            ddb.getItem(b -> b.tableName(table).key(item("pk", s(fresh))).consistentRead(true))
                .item()
                .get("v"))
        .isEqualTo(n(1));
  }

  @Test
  void conditionOnAnAbsentItemSeesNoAttributes() {
    String absent = uniq("absent");
    expectError(
        "ConditionalCheckFailedException",
        () ->
            ddb.deleteItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(absent)))
                        .conditionExpression("attribute_exists(pk)")));
    // and nothing was created by the failed delete
    assertThat(
            ddb.getItem(b -> b.tableName(table).key(item("pk", s(absent))).consistentRead(true))
                .hasItem())
        .isFalse();
  }

  @Test
  void failedConditionReturnsTheItemWhenAskedForAllOld() {
    String key = uniq("all-old");
    Map<String, AttributeValue> original = item("pk", s(key), "v", n(1), "tag", s("x"));
    ddb.putItem(b -> b.tableName(table).item(original));

    ConditionalCheckFailedException onPut =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                ddb.putItem(
                    b ->
                        b.tableName(table)
                            .item(item("pk", s(key), "v", n(2)))
                            .conditionExpression("v = :two")
                            .expressionAttributeValues(item(":two", n(2)))
                            .returnValuesOnConditionCheckFailure(
                                ReturnValuesOnConditionCheckFailure.ALL_OLD)));
    ConditionalCheckFailedException onUpdate =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                ddb.updateItem(
                    b ->
                        b.tableName(table)
                            .key(item("pk", s(key)))
                            .updateExpression("SET v = :two")
                            .conditionExpression("v = :two")
                            .expressionAttributeValues(item(":two", n(2)))
                            .returnValuesOnConditionCheckFailure(
                                ReturnValuesOnConditionCheckFailure.ALL_OLD)));
    ConditionalCheckFailedException onDelete =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                ddb.deleteItem(
                    b ->
                        b.tableName(table)
                            .key(item("pk", s(key)))
                            .conditionExpression("attribute_not_exists(v)")
                            .returnValuesOnConditionCheckFailure(
                                ReturnValuesOnConditionCheckFailure.ALL_OLD)));

    assertThat(onPut.item()).isEqualTo(original);
    assertThat(onUpdate.item()).isEqualTo(original);
    assertThat(onDelete.item()).isEqualTo(original);
  }

  @Test
  void betweenWithLowerBoundAboveUpperBoundIsRefused() {
    expectValidation(
        "BETWEEN",
        () ->
            ddb.updateItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(pk)))
                        .updateExpression("SET probe = :one")
                        .conditionExpression("n BETWEEN :six AND :four")
                        .expressionAttributeValues(
                            item(":one", n(1), ":six", n(6), ":four", n(4)))));
  }

  @Test
  void attributeTypeWithAnUnknownTypeIsRefused() {
    expectValidation(
        "type",
        () ->
            ddb.updateItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(pk)))
                        .updateExpression("SET probe = :one")
                        .conditionExpression("attribute_type(n, :t)")
                        .expressionAttributeValues(item(":one", n(1), ":t", s("XYZ")))));
  }

  @Test
  void conditionWithASyntaxErrorIsRefused() {
    expectValidation(
        "syntax error",
        () ->
            ddb.updateItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(pk)))
                        .updateExpression("SET probe = :one")
                        .conditionExpression("n = = :one")
                        .expressionAttributeValues(item(":one", n(1)))));
  }

  @Test
  void conditionWithABareReservedWordIsRefused() {
    expectValidation(
        "reserved keyword",
        () ->
            ddb.putItem(
                b ->
                    b.tableName(table)
                        .item(item("pk", s(uniq("reserved"))))
                        .conditionExpression("attribute_not_exists(status)")));
  }
}
