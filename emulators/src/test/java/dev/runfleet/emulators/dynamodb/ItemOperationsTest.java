package dev.runfleet.emulators.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class ItemOperationsTest extends EmulatorFixture {

  private String table;

  @BeforeAll
  void table() {
    table = unique("items");
    createTable(table);
  }

  private Map<String, AttributeValue> item(String pk, String sk, Object... pairs) {
    Map<String, AttributeValue> item = new HashMap<>(key(pk, sk));
    for (int i = 0; i < pairs.length; i += 2) {
      Object v = pairs[i + 1];
      item.put(
          (String) pairs[i],
          v instanceof AttributeValue a
              ? a
              : v instanceof Number x ? n(x.longValue()) : s((String) v));
    }
    return item;
  }

  private Map<String, AttributeValue> get(String pk, String sk) {
    return ddb.getItem(r -> r.tableName(table).key(key(pk, sk)).consistentRead(true)).item();
  }

  @Test
  void putGetDeleteRoundTripEveryType() {
    Map<String, AttributeValue> item =
        item(
            "p1", "a",
            "s", "text",
            "n", AttributeValue.fromN("1.50"),
            "b", AttributeValue.fromB(SdkBytes.fromUtf8String("bin")),
            "bool", AttributeValue.fromBool(true),
            "nul", AttributeValue.fromNul(true),
            "ss", AttributeValue.fromSs(List.of("x", "y")),
            "ns", AttributeValue.fromNs(List.of("1", "2.5")),
            "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("q"))),
            "l", AttributeValue.fromL(List.of(s("e"), n(3))),
            "m", AttributeValue.fromM(Map.of("k", s("v"))));
    ddb.putItem(r -> r.tableName(table).item(item));
    Map<String, AttributeValue> read = get("p1", "a");
    assertThat(read)
        .containsAllEntriesOf(Map.of("s", s("text"), "bool", AttributeValue.fromBool(true)));
    assertThat(read.get("n").n()).isEqualTo("1.5");
    assertThat(read.get("b").b().asUtf8String()).isEqualTo("bin");
    assertThat(read.get("ss").ss()).containsExactlyInAnyOrder("x", "y");
    assertThat(read.get("m").m()).containsEntry("k", s("v"));
    assertThat(read.get("l").l()).containsExactly(s("e"), n(3));

    var deleted =
        ddb.deleteItem(
            r -> r.tableName(table).key(key("p1", "a")).returnValues(ReturnValue.ALL_OLD));
    assertThat(deleted.attributes()).containsEntry("s", s("text"));
    assertThat(ddb.getItem(r -> r.tableName(table).key(key("p1", "a"))).hasItem()).isFalse();
  }

  @Test
  void projectionExpressionOnGet() {
    ddb.putItem(r -> r.tableName(table).item(item("proj", "a", "x", "1", "y", "2")));
    var got =
        ddb.getItem(
            r ->
                r.tableName(table)
                    .key(key("proj", "a"))
                    .projectionExpression("#x")
                    .expressionAttributeNames(Map.of("#x", "x")));
    assertThat(got.item()).containsOnlyKeys("x");
  }

  @Test
  void conditionalPutFailsWithOldItemWhenAsked() {
    ddb.putItem(r -> r.tableName(table).item(item("cond", "a", "v", 1)));
    assertThatThrownBy(
            () ->
                ddb.putItem(
                    r ->
                        r.tableName(table)
                            .item(item("cond", "a", "v", 2))
                            .conditionExpression("attribute_not_exists(pk)")
                            .returnValuesOnConditionCheckFailure(
                                ReturnValuesOnConditionCheckFailure.ALL_OLD)))
        .isInstanceOfSatisfying(
            ConditionalCheckFailedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.item()).containsEntry("v", n(1));
            });
    assertThat(get("cond", "a")).containsEntry("v", n(1));
  }

  @Test
  void updateItemUpsertsAndReturnsValues() {
    var created =
        ddb.updateItem(
            r ->
                r.tableName(table)
                    .key(key("upd", "a"))
                    .updateExpression("SET #c = if_not_exists(#c, :zero) + :one, note = :note")
                    .expressionAttributeNames(Map.of("#c", "count"))
                    .expressionAttributeValues(
                        Map.of(":zero", n(0), ":one", n(1), ":note", s("hi")))
                    .returnValues(ReturnValue.ALL_NEW));
    assertThat(created.attributes()).containsEntry("count", n(1)).containsEntry("pk", s("upd"));
    var updatedOld =
        ddb.updateItem(
            r ->
                r.tableName(table)
                    .key(key("upd", "a"))
                    .updateExpression("ADD #c :one")
                    .expressionAttributeNames(Map.of("#c", "count"))
                    .expressionAttributeValues(Map.of(":one", n(1)))
                    .returnValues(ReturnValue.UPDATED_OLD));
    assertThat(updatedOld.attributes()).containsOnlyKeys("count").containsEntry("count", n(1));
    var updatedNew =
        ddb.updateItem(
            r ->
                r.tableName(table)
                    .key(key("upd", "a"))
                    .updateExpression("REMOVE note SET extra = :x")
                    .expressionAttributeValues(Map.of(":x", s("y")))
                    .returnValues(ReturnValue.UPDATED_NEW));
    assertThat(updatedNew.attributes()).containsOnlyKeys("extra");
    assertThat(get("upd", "a")).containsEntry("count", n(2)).doesNotContainKey("note");
  }

  @Test
  void validationErrorsCarryAwsMessages() {
    assertValidation(
        () -> ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("x")))),
        "One or more parameter values were invalid: Missing the key sk in the item");
    assertValidation(
        () -> ddb.putItem(r -> r.tableName(table).item(Map.of("pk", n(1), "sk", s("x")))),
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
    assertValidation(
        () -> ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s(""), "sk", s("x")))),
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot"
            + " contain an empty string value. Key: pk");
    assertValidation(
        () -> ddb.putItem(r -> r.tableName(table).item(item("p".repeat(2049), "a"))),
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size"
            + " limit of 2048 bytes");
    assertValidation(
        () -> ddb.putItem(r -> r.tableName(table).item(item("p", "s".repeat(1025)))),
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded"
            + " the size limit of 1024 bytes");
    assertValidation(
        () ->
            ddb.putItem(
                r -> r.tableName(table).item(item("p", "big", "data", "x".repeat(409_600)))),
        "Item size has exceeded the maximum allowed size");
    assertValidation(
        () ->
            ddb.getItem(
                r -> r.tableName(table).key(Map.of("pk", s("p"), "sk", s("a"), "extra", s("x")))),
        "The provided key element does not match the schema");
    assertValidation(
        () ->
            ddb.updateItem(
                r ->
                    r.tableName(table)
                        .key(key("p", "a"))
                        .updateExpression("SET pk = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))),
        "One or more parameter values were invalid: Cannot update attribute pk. This attribute is"
            + " part of the key");
    assertValidation(
        () -> ddb.putItem(r -> r.tableName(table).item(item("p", "a", "gpk", n(1)))),
        "One or more parameter values were invalid: Type mismatch for Index Key gpk Expected: S"
            + " Actual: N IndexName: by-x");
    assertValidation(
        () -> ddb.putItem(r -> r.tableName(table).item(item("p", "a")).expected(Map.of())), null);
    assertThatThrownBy(() -> ddb.getItem(r -> r.tableName("missing-table").key(key("a", "b"))))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Requested resource not found");
  }

  private static void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            DynamoDbException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.statusCode()).isEqualTo(400);
              if (message != null) {
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
              }
            });
  }

  @Test
  void batchWriteAndBatchGet() {
    List<WriteRequest> writes =
        List.of(
            WriteRequest.builder()
                .putRequest(PutRequest.builder().item(item("batch", "1")).build())
                .build(),
            WriteRequest.builder()
                .putRequest(PutRequest.builder().item(item("batch", "2")).build())
                .build());
    var written = ddb.batchWriteItem(r -> r.requestItems(Map.of(table, writes)));
    assertThat(written.unprocessedItems()).isEmpty();
    BatchGetItemResponse read =
        ddb.batchGetItem(
            r ->
                r.requestItems(
                    Map.of(
                        table,
                        KeysAndAttributes.builder()
                            .keys(key("batch", "1"), key("batch", "2"), key("batch", "3"))
                            .build())));
    assertThat(read.responses().get(table)).hasSize(2);
    assertThat(read.unprocessedKeys()).isEmpty();
    assertValidation(
        () ->
            ddb.batchWriteItem(
                r -> r.requestItems(Map.of(table, List.of(writes.get(0), writes.get(0))))),
        "Provided list of item keys contains duplicates");
  }

  @Test
  void transactionIsAtomicAndReasonsAreInOrder() {
    ddb.putItem(r -> r.tableName(table).item(item("tx", "guard", "v", 1)));
    TransactWriteItem put =
        TransactWriteItem.builder().put(p -> p.tableName(table).item(item("tx", "new"))).build();
    TransactWriteItem failingCheck =
        TransactWriteItem.builder()
            .conditionCheck(
                c ->
                    c.tableName(table)
                        .key(key("tx", "guard"))
                        .conditionExpression("v = :two")
                        .expressionAttributeValues(Map.of(":two", n(2)))
                        .returnValuesOnConditionCheckFailure(
                            ReturnValuesOnConditionCheckFailure.ALL_OLD))
            .build();
    assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(put, failingCheck)))
        .isInstanceOfSatisfying(
            TransactionCanceledException.class,
            e -> {
              List<CancellationReason> reasons = e.cancellationReasons();
              assertThat(reasons)
                  .extracting(CancellationReason::code)
                  .containsExactly("None", "ConditionalCheckFailed");
              assertThat(reasons.get(1).item()).containsEntry("v", n(1));
            });
    assertThat(ddb.getItem(r -> r.tableName(table).key(key("tx", "new"))).hasItem()).isFalse();

    TransactWriteItem passingUpdate =
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName(table)
                        .key(key("tx", "guard"))
                        .updateExpression("SET v = v + :one")
                        .conditionExpression("v = :one")
                        .expressionAttributeValues(Map.of(":one", n(1))))
            .build();
    ddb.transactWriteItems(r -> r.transactItems(put, passingUpdate));
    assertThat(get("tx", "new")).isNotNull();
    assertThat(get("tx", "guard")).containsEntry("v", n(2));

    assertValidation(
        () -> ddb.transactWriteItems(r -> r.transactItems(passingUpdate, passingUpdate)),
        "Transaction request cannot include multiple operations on one item");

    var got =
        ddb.transactGetItems(
            r ->
                r.transactItems(
                    g -> g.get(x -> x.tableName(table).key(key("tx", "guard"))),
                    g -> g.get(x -> x.tableName(table).key(key("tx", "absent")))));
    assertThat(got.responses()).hasSize(2);
    assertThat(got.responses().get(0).item()).containsEntry("v", n(2));
    assertThat(got.responses().get(1).hasItem()).isFalse();
  }

  @Test
  void numericPartitionKeys_ofAnyScale_nameOnePartition() {
    String numeric = unique("numeric");
    ddb.createTable(
        b ->
            b.tableName(numeric)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    a -> a.attributeName("id").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));

    ddb.putItem(r -> r.tableName(numeric).item(Map.of("id", n("1.50"), "v", s("first"))));
    ddb.updateItem(
        r ->
            r.tableName(numeric)
                .key(Map.of("id", n("1.5")))
                .updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("second"))));

    assertThat(
            ddb.getItem(
                    r -> r.tableName(numeric).key(Map.of("id", n("1.500"))).consistentRead(true))
                .item())
        .containsEntry("v", s("second"));
    assertThat(ddb.scan(r -> r.tableName(numeric)).count()).isEqualTo(1);
    ddb.deleteItem(r -> r.tableName(numeric).key(Map.of("id", n("15e-1"))));
    assertThat(ddb.scan(r -> r.tableName(numeric)).count()).isZero();
  }

  private static AttributeValue n(String number) {
    return AttributeValue.fromN(number);
  }
}
