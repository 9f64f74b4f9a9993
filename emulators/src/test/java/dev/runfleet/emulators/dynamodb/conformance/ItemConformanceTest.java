package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** PutItem, GetItem, UpdateItem, DeleteItem; attribute types; numbers; ProjectionExpression. */
class ItemConformanceTest extends ConformanceTestBase {

  private String table;

  @Override
  protected void createTables() {
    table = tableName("items");
    createTable(keyedTable(table, false, null).build());
  }

  private Map<String, AttributeValue> get(String pk) {
    return ddb.getItem(b -> b.tableName(table).key(item("pk", s(pk))).consistentRead(true)).item();
  }

  private void put(Map<String, AttributeValue> item) {
    ddb.putItem(b -> b.tableName(table).item(item));
  }

  @Test
  void everyAttributeTypeRoundTrips() {
    String pk = uniq("types");
    Map<String, AttributeValue> item =
        item(
            "pk", s(pk),
            "str", s("héllo ☃"),
            "num", n("42.5"),
            "bin", b((byte) 0, (byte) 1, (byte) 255),
            "yes", bool(true),
            "no", bool(false),
            "nothing", nul(),
            "strings", ss("a", "b", "c"),
            "numbers", ns("1", "2.5", "-3"),
            "binaries",
                AttributeValue.fromBs(
                    java.util.List.of(
                        SdkBytes.fromByteArray(new byte[] {1}),
                        SdkBytes.fromByteArray(new byte[] {2, 3}))),
            "list", l(s("x"), n("1"), bool(true), nul(), l(s("inner"))),
            "map", m("a", s("b"), "nested", m("deep", l(n("7"), m("k", s("v"))))),
            "empty", s(""),
            "emptyList", l(),
            "emptyMap", m());
    put(item);

    Map<String, AttributeValue> got = get(pk);

    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(item.keySet());
    for (String scalar :
        new String[] {
          "pk",
          "str",
          "num",
          "bin",
          "yes",
          "no",
          "nothing",
          "list",
          "map",
          "empty",
          "emptyList",
          "emptyMap"
        }) {
      assertThat(got.get(scalar)).as(scalar).isEqualTo(item.get(scalar));
    }
    assertThat(got.get("strings").ss()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(got.get("numbers").ns()).containsExactlyInAnyOrder("1", "2.5", "-3");
    assertThat(got.get("binaries").bs())
        .containsExactlyInAnyOrder(
            SdkBytes.fromByteArray(new byte[] {1}), SdkBytes.fromByteArray(new byte[] {2, 3}));
  }

  @Test
  void getOfAnAbsentItemReturnsNoItem() {
    var response =
        ddb.getItem(
            b -> b.tableName(table).key(item("pk", s(uniq("absent")))).consistentRead(true));
    assertThat(response.hasItem()).isFalse();
  }

  @Test
  void numbersWith38SignificantDigitsRoundTripExactly() {
    String pk = uniq("n38");
    String[] values = {
      "12345678901234567890123456789012345678",
      "-0.12345678901234567890123456789012345678",
      "1234567890123456789.0123456789012345678",
      "99999999999999999999999999999999999999"
    };
    put(
        item(
            "pk",
            s(pk),
            "a",
            n(values[0]),
            "b",
            n(values[1]),
            "c",
            n(values[2]),
            "d",
            n(values[3])));

    Map<String, AttributeValue> got = get(pk);

    assertThat(got.get("a").n()).isEqualTo(values[0]);
    assertThat(got.get("b").n()).isEqualTo(values[1]);
    assertThat(got.get("c").n()).isEqualTo(values[2]);
    assertThat(got.get("d").n()).isEqualTo(values[3]);
  }

  @Test
  void numberWith39SignificantDigitsIsRefused() {
    // AWS: "Attempting to store more than 38 significant digits in a Number"; DynamoDB Local:
    // "DynamoDB only supports precision up to 38 digits". Both name 38.
    expectValidation(
        "38",
        () -> put(item("pk", s(uniq("n39")), "a", n("123456789012345678901234567890123456789"))));
  }

  @Test
  void malformedNumberIsRefused() {
    expectError("ValidationException", () -> put(item("pk", s(uniq("nan")), "a", n("twelve"))));
  }

  @ParameterizedTest(name = "{0} is stored as {1}")
  @CsvSource({
    "1.50, 1.5",
    "01, 1",
    "-0, 0",
    "1e2, 100",
    "1E+2, 100",
    "0.0100, 0.01",
    "000.5, 0.5",
    "+7, 7",
    "100, 100"
  })
  void numbersAreNormalised(String written, String stored) {
    String pk = uniq("norm");
    put(item("pk", s(pk), "v", n(written)));

    assertThat(get(pk).get("v").n()).isEqualTo(stored);
  }

  @Test
  void emptySetsAreRefused() {
    expectError(
        "ValidationException",
        () ->
            put(
                item(
                    "pk",
                    s(uniq("emptyset")),
                    "tags",
                    AttributeValue.fromSs(java.util.List.of()))));
  }

  @Test
  void setsWithDuplicatesAreRefused() {
    expectValidation("duplicates", () -> put(item("pk", s(uniq("dupset")), "tags", ss("a", "a"))));
  }

  @Test
  void numberSetsWithEquivalentMembersAreRefusedAsDuplicates() {
    expectValidation("duplicates", () -> put(item("pk", s(uniq("dupns")), "n", ns("1", "1.0"))));
  }

  @Test
  void putReplacesTheWholeItemAndReturnsTheOldOne() {
    String pk = uniq("replace");
    put(item("pk", s(pk), "a", s("1"), "b", s("2")));

    var response =
        ddb.putItem(
            b ->
                b.tableName(table)
                    .item(item("pk", s(pk), "c", s("3")))
                    .returnValues(ReturnValue.ALL_OLD));

    assertThat(response.attributes()).isEqualTo(item("pk", s(pk), "a", s("1"), "b", s("2")));
    assertThat(get(pk)).isEqualTo(item("pk", s(pk), "c", s("3")));
  }

  @Test
  void putOfANewItemWithAllOldReturnsNoAttributes() {
    var response =
        ddb.putItem(
            b ->
                b.tableName(table)
                    .item(item("pk", s(uniq("fresh"))))
                    .returnValues(ReturnValue.ALL_OLD));
    assertThat(response.hasAttributes()).isFalse();
  }

  @Test
  void putRefusesReturnValuesOtherThanNoneAndAllOld() {
    expectError(
        "ValidationException",
        () ->
            ddb.putItem(
                b ->
                    b.tableName(table)
                        .item(item("pk", s(uniq("rv"))))
                        .returnValues(ReturnValue.ALL_NEW)));
  }

  @Test
  void updateOfAnAbsentItemCreatesIt() {
    String pk = uniq("upsert");
    ddb.updateItem(
        b ->
            b.tableName(table)
                .key(item("pk", s(pk)))
                .updateExpression("SET a = :a")
                .expressionAttributeValues(item(":a", s("x"))));

    assertThat(get(pk)).isEqualTo(item("pk", s(pk), "a", s("x")));
  }

  @Test
  void deleteRemovesTheItemAndReturnsItWithAllOld() {
    String pk = uniq("delete");
    put(item("pk", s(pk), "a", n(1)));

    var response =
        ddb.deleteItem(
            b -> b.tableName(table).key(item("pk", s(pk))).returnValues(ReturnValue.ALL_OLD));

    assertThat(response.attributes()).isEqualTo(item("pk", s(pk), "a", n(1)));
    assertThat(get(pk)).isEmpty();
  }

  @Test
  void deleteOfAnAbsentItemSucceedsAndReturnsNothing() {
    var response =
        ddb.deleteItem(
            b ->
                b.tableName(table)
                    .key(item("pk", s(uniq("gone"))))
                    .returnValues(ReturnValue.ALL_OLD));
    assertThat(response.hasAttributes()).isFalse();
  }

  @Test
  void projectionSelectsNestedPathsAndListElements() {
    String pk = uniq("proj");
    put(
        item(
            "pk", s(pk),
            "top", s("t"),
            "other", s("o"),
            "map", m("a", m("b", s("deep"), "c", s("skip")), "d", s("skip")),
            "list", l(s("zero"), m("x", s("one-x"), "y", s("one-y")), s("two"))));

    Map<String, AttributeValue> got =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(pk)))
                        .consistentRead(true)
                        .projectionExpression("top, #m.a.b, #l[1].y, #l[2], #s")
                        .expressionAttributeNames(
                            Map.of("#s", "missing", "#m", "map", "#l", "list")))
            .item();

    assertThat(got)
        .isEqualTo(
            item(
                "top", s("t"),
                "map", m("a", m("b", s("deep"))),
                "list", l(m("y", s("one-y")), s("two"))));
  }

  @Test
  void projectionOfOnlyMissingAttributesReturnsAnEmptyItem() {
    String pk = uniq("proj-missing");
    put(item("pk", s(pk), "a", s("1")));

    var response =
        ddb.getItem(
            b ->
                b.tableName(table)
                    .key(item("pk", s(pk)))
                    .consistentRead(true)
                    .projectionExpression("nope, a.b, elsewhere[0]"));

    assertThat(response.item()).isEmpty();
  }

  @Test
  void projectionWithOverlappingPathsIsRefused() {
    expectValidation(
        "overlap",
        () ->
            ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(uniq("x"))))
                        .projectionExpression("a, a.b")));
  }

  @Test
  void projectionWithABareReservedWordIsRefused() {
    expectValidation(
        "reserved keyword",
        () ->
            ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(uniq("x"))))
                        .projectionExpression("status")));
  }
}
