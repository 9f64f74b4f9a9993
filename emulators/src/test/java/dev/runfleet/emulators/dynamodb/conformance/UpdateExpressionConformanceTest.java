package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** UpdateExpression: SET, REMOVE, ADD, DELETE; ReturnValues; the validation errors. */
class UpdateExpressionConformanceTest extends ConformanceTestBase {

  private String table;

  @Override
  protected void createTables() {
    table = tableName("upd");
    createTable(keyedTable(table, false, null).build());
  }

  private String seed(Object... kv) {
    String pk = uniq("u");
    Map<String, AttributeValue> item = item(kv);
    item.put("pk", s(pk));
    ddb.putItem(b -> b.tableName(table).item(item));
    return pk;
  }

  private UpdateItemResponse update(
      String pk, String expr, Map<String, AttributeValue> values, ReturnValue rv) {
    return ddb.updateItem(
        b ->
            b.tableName(table)
                .key(item("pk", s(pk)))
                .updateExpression(expr)
                .expressionAttributeValues(values)
                .returnValues(rv));
  }

  private Map<String, AttributeValue> update(
      String pk, String expr, Map<String, AttributeValue> values) {
    return update(pk, expr, values, ReturnValue.ALL_NEW).attributes();
  }

  private Map<String, AttributeValue> get(String pk) {
    return ddb.getItem(b -> b.tableName(table).key(item("pk", s(pk))).consistentRead(true)).item();
  }

  @Test
  void setComputesSumsAndDifferencesInDecimal() {
    String pk = seed("a", n(10), "b", n("0.1"), "c", n(1));

    Map<String, AttributeValue> after =
        update(
            pk,
            "SET a = a + :two, b = b + :point2, c = c - :five, d = :two - a",
            item(":two", n(2), ":point2", n("0.2"), ":five", n(5)));

    assertThat(after.get("a")).isEqualTo(n(12));
    assertThat(after.get("b")).isEqualTo(n("0.3"));
    assertThat(after.get("c")).isEqualTo(n(-4));
    // every operand is read from the item before the update
    assertThat(after.get("d")).isEqualTo(n(-8));
  }

  @Test
  void ifNotExistsSuppliesADefaultOnlyForAMissingAttribute() {
    String pk = seed("present", n(7));

    Map<String, AttributeValue> after =
        update(
            pk,
            "SET hits = if_not_exists(hits, :zero) + :one, present = if_not_exists(present, :zero)",
            item(":zero", n(0), ":one", n(1)));
    assertThat(after.get("hits")).isEqualTo(n(1));
    assertThat(after.get("present")).isEqualTo(n(7));

    after =
        update(
            pk, "SET hits = if_not_exists(hits, :zero) + :one", item(":zero", n(0), ":one", n(1)));
    assertThat(after.get("hits")).isEqualTo(n(2));
  }

  @Test
  void listAppendAddsAtEitherEnd() {
    String pk = seed("l", l(s("b")));

    Map<String, AttributeValue> after =
        update(
            pk,
            "SET l = list_append(:front, l), m = list_append(if_not_exists(m, :empty), :back)",
            item(":front", l(s("a")), ":back", l(s("z")), ":empty", l()));
    assertThat(after.get("l")).isEqualTo(l(s("a"), s("b")));
    assertThat(after.get("m")).isEqualTo(l(s("z")));

    after = update(pk, "SET l = list_append(l, :back)", item(":back", l(s("c"), s("d"))));
    assertThat(after.get("l")).isEqualTo(l(s("a"), s("b"), s("c"), s("d")));
  }

  @Test
  void setWritesNestedMapPathsAndListElements() {
    String pk = seed("doc", m("a", m("b", n(1))), "l", l(s("x"), s("y")));

    Map<String, AttributeValue> after =
        update(
            pk,
            "SET doc.a.b = :two, doc.a.c = :three, doc.z = :three, l[1] = :y2, l[10] = :tail",
            item(":two", n(2), ":three", n(3), ":y2", s("Y"), ":tail", s("tail")));

    assertThat(after.get("doc")).isEqualTo(m("a", m("b", n(2), "c", n(3)), "z", n(3)));
    // an index past the end appends
    assertThat(after.get("l")).isEqualTo(l(s("x"), s("Y"), s("tail")));
  }

  @Test
  void setThroughAMissingParentIsRefused() {
    String pk = seed("doc", m());
    expectValidation(
        "document path", () -> update(pk, "SET doc.absent_parent.leaf = :v", item(":v", n(1))));
  }

  @Test
  void listIndexOnANonListIsRefused() {
    String pk = seed("str", s("abc"));
    expectValidation("document path", () -> update(pk, "SET str[0] = :v", item(":v", n(1))));
  }

  @Test
  void removeDeletesAttributesNestedPathsAndListElements() {
    String pk =
        seed(
            "a", n(1),
            "keep", n(2),
            "doc", m("x", n(1), "y", n(2)),
            "l", l(s("0"), s("1"), s("2"), s("3")));

    Map<String, AttributeValue> after =
        update(pk, "REMOVE a, doc.x, l[0], l[2], nothing_here", null);

    assertThat(after)
        .isEqualTo(item("pk", s(pk), "keep", n(2), "doc", m("y", n(2)), "l", l(s("1"), s("3"))));
  }

  @Test
  void addIncrementsNumbersAndCreatesMissingOnes() {
    String pk = seed("n", n(5));

    Map<String, AttributeValue> after =
        update(pk, "ADD n :three, fresh :three", item(":three", n(3)));

    assertThat(after.get("n")).isEqualTo(n(8));
    assertThat(after.get("fresh")).isEqualTo(n(3));
  }

  @Test
  void addUnitesSetsAndCreatesMissingOnes() {
    String pk = seed("tags", ss("a", "b"));

    Map<String, AttributeValue> after =
        update(
            pk, "ADD tags :more, nums :nums", item(":more", ss("b", "c"), ":nums", ns("1", "2")));

    assertThat(after.get("tags").ss()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(after.get("nums").ns()).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void deleteRemovesSetMembersAndTheAttributeWhenEmpty() {
    String pk = seed("tags", ss("a", "b", "c"), "one", ns("1"));

    Map<String, AttributeValue> after =
        update(pk, "DELETE tags :gone, one :one", item(":gone", ss("a", "zz"), ":one", ns("1")));

    assertThat(after.get("tags").ss()).containsExactlyInAnyOrder("b", "c");
    assertThat(after).doesNotContainKey("one");
  }

  @Test
  void returnValuesSelectTheRightAttributes() {
    Map<String, AttributeValue> values = item(":v", n(2), ":w", s("new"));
    String expr = "SET a = :v, b = :w";

    String none = seed("a", n(1), "c", n(3));
    UpdateItemResponse r = update(none, expr, values, ReturnValue.NONE);
    assertThat(r.hasAttributes()).isFalse();

    String allOld = seed("a", n(1), "c", n(3));
    assertThat(update(allOld, expr, values, ReturnValue.ALL_OLD).attributes())
        .isEqualTo(item("pk", s(allOld), "a", n(1), "c", n(3)));

    String updatedOld = seed("a", n(1), "c", n(3));
    // b did not exist before, so only a's old value comes back
    assertThat(update(updatedOld, expr, values, ReturnValue.UPDATED_OLD).attributes())
        .isEqualTo(item("a", n(1)));

    String allNew = seed("a", n(1), "c", n(3));
    assertThat(update(allNew, expr, values, ReturnValue.ALL_NEW).attributes())
        .isEqualTo(item("pk", s(allNew), "a", n(2), "c", n(3), "b", s("new")));

    String updatedNew = seed("a", n(1), "c", n(3));
    assertThat(update(updatedNew, expr, values, ReturnValue.UPDATED_NEW).attributes())
        .isEqualTo(item("a", n(2), "b", s("new")));
  }

  /**
   * AWS returns the updated paths only (as a projection of them), not the whole top-level attribute
   * (nubo-db/dynoxide#36 and ExtendDB/extenddb#98 report it from the real service).
   */
  @Test
  void updatedNewOfANestedSetReturnsOnlyTheChangedPath() {
    String pk = seed("doc", m("a", n(1), "b", n(2)));

    assertThat(update(pk, "SET doc.a = :v", item(":v", n(9)), ReturnValue.UPDATED_NEW).attributes())
        .isEqualTo(item("doc", m("a", n(9))));
  }

  // ---- errors ----

  @Test
  void overlappingPathsAreRefused() {
    String pk = seed("a", m("b", n(1)));
    expectValidation("overlap", () -> update(pk, "SET a = :v REMOVE a", item(":v", n(1))));
    expectValidation(
        "overlap", () -> update(pk, "SET a.b = :v, a = :w", item(":v", n(1), ":w", m())));
  }

  @Test
  void updatingAKeyAttributeIsRefused() {
    String pk = seed();
    expectValidation("part of the key", () -> update(pk, "SET pk = :v", item(":v", s("other"))));
  }

  @Test
  void arithmeticOnANonNumberIsRefused() {
    String pk = seed("str", s("abc"));
    expectValidation(
        "incorrect data type", () -> update(pk, "SET x = str + :one", item(":one", n(1))));
  }

  @Test
  void operandReferringToAMissingAttributeIsRefused() {
    String pk = seed();
    expectValidation(
        "does not exist in the item",
        () -> update(pk, "SET x = absent_attr + :one", item(":one", n(1))));
  }

  @Test
  void addOfAListIsRefused() {
    String pk = seed("l", l(s("a")));
    expectValidation("operand type", () -> update(pk, "ADD l :more", item(":more", l(s("b")))));
  }

  @Test
  void deleteWithANonSetOperandIsRefused() {
    String pk = seed("tags", ss("a"));
    expectValidation("operand type", () -> update(pk, "DELETE tags :s", item(":s", s("a"))));
  }

  @Test
  void unusedExpressionValuesAreRefused() {
    String pk = seed();
    expectValidation("unused", () -> update(pk, "SET a = :v", item(":v", n(1), ":unused", n(2))));
  }

  @Test
  void unusedExpressionNamesAreRefused() {
    String pk = seed();
    expectValidation(
        "unused",
        () ->
            ddb.updateItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s(pk)))
                        .updateExpression("SET a = :v")
                        .expressionAttributeValues(item(":v", n(1)))
                        .expressionAttributeNames(Map.of("#unused", "x"))));
  }

  @Test
  void undefinedExpressionValueIsRefused() {
    String pk = seed();
    expectValidation("not defined", () -> update(pk, "SET a = :undefined", item(":v", n(1))));
  }

  @Test
  void undefinedExpressionNameIsRefused() {
    String pk = seed();
    expectValidation("not defined", () -> update(pk, "SET #undefined = :v", item(":v", n(1))));
  }

  @Test
  void bareReservedWordIsRefusedButItsNamePlaceholderIsNot() {
    String pk = seed();
    expectValidation("reserved keyword", () -> update(pk, "SET status = :v", item(":v", s("x"))));

    ddb.updateItem(
        b ->
            b.tableName(table)
                .key(item("pk", s(pk)))
                .updateExpression("SET #s = :v")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(item(":v", s("x"))));
    assertThat(get(pk).get("status")).isEqualTo(s("x"));
  }

  @Test
  void syntaxErrorsAreRefused() {
    String pk = seed();
    expectValidation("syntax error", () -> update(pk, "SET a :v", item(":v", n(1))));
    expectValidation("syntax error", () -> update(pk, "SET a = ", null));
    expectValidation("syntax error", () -> update(pk, "PUT a = :v", item(":v", n(1))));
  }

  @Test
  void aSectionUsedTwiceIsRefused() {
    String pk = seed();
    expectError("ValidationException", () -> update(pk, "SET a = :v SET b = :v", item(":v", n(1))));
  }

  @Test
  void failedUpdateLeavesTheItemUnchanged() {
    String pk = seed("a", n(1), "str", s("abc"));
    expectError(
        "ValidationException",
        () -> update(pk, "SET a = :two, b = str + :two", item(":two", n(2))));
    assertThat(get(pk)).isEqualTo(item("pk", s(pk), "a", n(1), "str", s("abc")));
  }
}
