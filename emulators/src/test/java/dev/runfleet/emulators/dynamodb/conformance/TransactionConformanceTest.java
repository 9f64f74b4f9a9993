package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** TransactWriteItems and TransactGetItems. */
class TransactionConformanceTest extends ConformanceTestBase {

  private String table;

  @Override
  protected void createTables() {
    table = tableName("tx");
    createTable(keyedTable(table, false, null).build());
  }

  private Map<String, AttributeValue> get(String pk) {
    return ddb.getItem(b -> b.tableName(table).key(item("pk", s(pk))).consistentRead(true)).item();
  }

  private TransactWriteItem put(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
  }

  private TransactWriteItem updateIf(String pk, String condition, Map<String, AttributeValue> v) {
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(item("pk", s(pk)))
                    .updateExpression("SET v = v + :one")
                    .conditionExpression(condition)
                    .expressionAttributeValues(v))
        .build();
  }

  @Test
  void allActionsApplyTogether() {
    String a = uniq("a");
    String b = uniq("b");
    String c = uniq("c");
    String d = uniq("d");
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(b), "v", n(1))));
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(c), "v", n(1))));
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(d), "v", n(1))));

    ddb.transactWriteItems(
        x ->
            x.transactItems(
                put(item("pk", s(a), "v", n(0))),
                updateIf(b, "v = :one", item(":one", n(1))),
                TransactWriteItem.builder()
                    .delete(del -> del.tableName(table).key(item("pk", s(c))))
                    .build(),
                TransactWriteItem.builder()
                    .conditionCheck(
                        cc ->
                            cc.tableName(table)
                                .key(item("pk", s(d)))
                                .conditionExpression("attribute_exists(v)"))
                    .build()));

    assertThat(get(a)).isEqualTo(item("pk", s(a), "v", n(0)));
    assertThat(get(b)).isEqualTo(item("pk", s(b), "v", n(2)));
    assertThat(get(c)).isEmpty();
    assertThat(get(d)).isEqualTo(item("pk", s(d), "v", n(1)));
  }

  @Test
  void oneFailingConditionCancelsEverythingWithReasonsInRequestOrder() {
    String a = uniq("a");
    String b = uniq("b");
    String c = uniq("c");
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(b), "v", n(5))));
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(c), "v", n(5))));

    TransactionCanceledException e =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                ddb.transactWriteItems(
                    x ->
                        x.transactItems(
                            put(item("pk", s(a), "v", n(0))),
                            updateIf(b, "v = :one", item(":one", n(1))),
                            updateIf(c, "v > :one", item(":one", n(1))))));

    assertThat(e).isNotNull();
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("TransactionCanceledException");
    assertThat(e.cancellationReasons())
        .extracting(CancellationReason::code)
        .containsExactly("None", "ConditionalCheckFailed", "None");
    assertThat(get(a)).isEmpty();
    assertThat(get(b).get("v")).isEqualTo(n(5));
    assertThat(get(c).get("v")).isEqualTo(n(5));
  }

  @Test
  void cancellationReasonCarriesTheItemWhenAskedForAllOld() {
    String a = uniq("a");
    Map<String, AttributeValue> original = item("pk", s(a), "v", n(5), "tag", s("x"));
    ddb.putItem(x -> x.tableName(table).item(original));

    TransactionCanceledException e =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                ddb.transactWriteItems(
                    x ->
                        x.transactItems(
                            put(item("pk", s(uniq("other")))),
                            TransactWriteItem.builder()
                                .conditionCheck(
                                    cc ->
                                        cc.tableName(table)
                                            .key(item("pk", s(a)))
                                            .conditionExpression("v = :zero")
                                            .expressionAttributeValues(item(":zero", n(0)))
                                            .returnValuesOnConditionCheckFailure(
                                                ReturnValuesOnConditionCheckFailure.ALL_OLD))
                                .build())));

    assertThat(e.cancellationReasons()).hasSize(2);
    assertThat(e.cancellationReasons().get(0).code()).isEqualTo("None");
    assertThat(e.cancellationReasons().get(0).hasItem()).isFalse();
    assertThat(e.cancellationReasons().get(1).code()).isEqualTo("ConditionalCheckFailed");
    assertThat(e.cancellationReasons().get(1).item()).isEqualTo(original);
  }

  @Test
  void theSameItemTwiceIsRefused() {
    String a = uniq("twice");
    expectValidation(
        "multiple operations on one item",
        () ->
            ddb.transactWriteItems(
                x ->
                    x.transactItems(
                        put(item("pk", s(a), "v", n(1))),
                        updateIf(a, "attribute_exists(v)", item(":one", n(1))))));
    assertThat(get(a)).isEmpty();
  }

  /**
   * AWS refuses any two actions on one item, a ConditionCheck included, with a ValidationException
   * (API Reference, TransactWriteItems), rather than running them in turn.
   */
  @Test
  void aConditionCheckOnAnItemTheTransactionAlsoWritesIsRefused() {
    String a = uniq("twice-check");
    expectValidation(
        "multiple operations on one item",
        () ->
            ddb.transactWriteItems(
                x ->
                    x.transactItems(
                        put(item("pk", s(a), "v", n(1))),
                        TransactWriteItem.builder()
                            .conditionCheck(
                                cc ->
                                    cc.tableName(table)
                                        .key(item("pk", s(a)))
                                        .conditionExpression("attribute_not_exists(pk)"))
                            .build())));
    assertThat(get(a)).isEmpty();
  }

  @Test
  void moreThanOneHundredActionsAreRefused() {
    List<TransactWriteItem> items = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      items.add(put(item("pk", s(uniq("many-" + i)))));
    }
    expectError("ValidationException", () -> ddb.transactWriteItems(x -> x.transactItems(items)));
  }

  @Test
  void transactGetReturnsItemsInRequestOrderWithEmptySlotsForMissingOnes() {
    String a = uniq("a");
    String b = uniq("b");
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(a), "v", n(1), "w", n(9))));
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(b), "v", n(2))));

    List<ItemResponse> responses =
        ddb.transactGetItems(
                x ->
                    x.transactItems(
                        TransactGetItem.builder()
                            .get(g -> g.tableName(table).key(item("pk", s(b))))
                            .build(),
                        TransactGetItem.builder()
                            .get(g -> g.tableName(table).key(item("pk", s(uniq("missing")))))
                            .build(),
                        TransactGetItem.builder()
                            .get(
                                g ->
                                    g.tableName(table)
                                        .key(item("pk", s(a)))
                                        .projectionExpression("w"))
                            .build()))
            .responses();

    assertThat(responses).hasSize(3);
    assertThat(responses.get(0).item()).isEqualTo(item("pk", s(b), "v", n(2)));
    assertThat(responses.get(1).hasItem()).isFalse();
    assertThat(responses.get(2).item()).isEqualTo(item("w", n(9)));
  }

  @Test
  void transactGetOfTheSameItemTwiceIsRefused() {
    String a = uniq("a");
    TransactGetItem g =
        TransactGetItem.builder().get(x -> x.tableName(table).key(item("pk", s(a)))).build();
    expectError("ValidationException", () -> ddb.transactGetItems(x -> x.transactItems(g, g)));
  }
}
