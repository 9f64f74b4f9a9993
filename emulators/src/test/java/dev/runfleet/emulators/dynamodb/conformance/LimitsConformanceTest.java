package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item and key size limits, and key validation. Sizes follow the Developer Guide: an item's size is
 * the sum of its attribute names' and values' UTF-8 lengths; the limit is 400 KB = 409,600 bytes;
 * partition key values at most 2048 bytes, sort key values at most 1024 bytes.
 */
class LimitsConformanceTest extends ConformanceTestBase {

  private static final int MAX_ITEM = 400 * 1024;

  private String table;

  @Override
  protected void createTables() {
    table = tableName("limits");
    createTable(keyedTable(table, true, null).build());
  }

  private void put(Map<String, AttributeValue> item) {
    ddb.putItem(b -> b.tableName(table).item(item));
  }

  /** An item of exactly {@code size} bytes: names pk, sk, d; d a string filling the rest. */
  private Map<String, AttributeValue> itemOfSize(int size) {
    String pk = uniq("big");
    String sk = "s";
    int fixed = "pk".length() + pk.length() + "sk".length() + sk.length() + "d".length();
    return item("pk", s(pk), "sk", s(sk), "d", s("x".repeat(size - fixed)));
  }

  @Test
  void itemOfExactly400KbIsAccepted() {
    Map<String, AttributeValue> item = itemOfSize(MAX_ITEM);
    put(item);
    assertThat(
            ddb.getItem(
                    b ->
                        b.tableName(table)
                            .key(item("pk", item.get("pk"), "sk", item.get("sk")))
                            .consistentRead(true))
                .item()
                .get("d")
                .s())
        .hasSize(item.get("d").s().length());
  }

  @Test
  void itemOneByteOver400KbIsRefused() {
    expectValidation("size", () -> put(itemOfSize(MAX_ITEM + 1)));
  }

  @Test
  void updateThatGrowsAnItemPast400KbIsRefused() {
    Map<String, AttributeValue> item = itemOfSize(MAX_ITEM - 10);
    put(item);
    expectValidation(
        "size",
        () ->
            ddb.updateItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", item.get("pk"), "sk", item.get("sk")))
                        .updateExpression("SET e = :v")
                        .expressionAttributeValues(item(":v", s("0123456789")))));
  }

  @Test
  void partitionKeyOf2048BytesIsAcceptedAnd2049Refused() {
    put(item("pk", s("p".repeat(2048)), "sk", s("s")));
    // two-byte characters: the limit counts UTF-8 bytes, not characters
    put(item("pk", s("é".repeat(1024)), "sk", s("s")));
    expectError("ValidationException", () -> put(item("pk", s("p".repeat(2049)), "sk", s("s"))));
    expectError(
        "ValidationException", () -> put(item("pk", s("é".repeat(1024) + "x"), "sk", s("s"))));
  }

  @Test
  void sortKeyOf1024BytesIsAcceptedAnd1025Refused() {
    String pk = uniq("sk-limit");
    put(item("pk", s(pk), "sk", s("s".repeat(1024))));
    expectError("ValidationException", () -> put(item("pk", s(pk), "sk", s("s".repeat(1025)))));
  }

  @Test
  void emptyStringKeyValuesAreRefused() {
    expectValidation("empty", () -> put(item("pk", s(""), "sk", s("s"))));
    expectValidation("empty", () -> put(item("pk", s(uniq("e")), "sk", s(""))));
  }

  @Test
  void keyOfTheWrongTypeIsRefused() {
    expectValidation("type mismatch", () -> put(item("pk", n(1), "sk", s("s"))));
  }

  @Test
  void itemWithoutItsSortKeyIsRefused() {
    // AWS: "Missing the key sk in the item"; DynamoDB Local: "One of the required keys was not
    // given a value". Only the error code is common.
    expectValidation(null, () -> put(item("pk", s(uniq("m")))));
  }

  @Test
  void getItemWithANonKeyAttributeInTheKeyIsRefused() {
    // AWS: "The provided key element does not match the schema"; DynamoDB Local: "The number
    // of conditions on the keys is invalid". Only the error code is common.
    expectValidation(
        null,
        () ->
            ddb.getItem(
                b -> b.tableName(table).key(item("pk", s("a"), "sk", s("b"), "other", s("c")))));
  }

  @Test
  void getItemWithoutTheSortKeyIsRefused() {
    // AWS: "The provided key element does not match the schema"; DynamoDB Local: "The number
    // of conditions on the keys is invalid". Only the error code is common.
    expectValidation(null, () -> ddb.getItem(b -> b.tableName(table).key(item("pk", s("a")))));
  }
}
