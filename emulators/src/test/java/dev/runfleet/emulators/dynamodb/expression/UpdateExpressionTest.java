package dev.runfleet.emulators.dynamodb.expression;

import static dev.runfleet.emulators.dynamodb.expression.Fixtures.b;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.bs;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.item;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.l;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.m;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.n;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.names;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.ns;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.s;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.ss;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.updated;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateExpressionTest {

  private static final Map<String, Value> PRODUCT =
      item(
          "Id", n(789),
          "Price", n(52),
          "ProductCategory", s("Home Improvement"),
          "Color", ss("Red", "Black"),
          "RelatedItems", l(s("Hammer"), s("Nails"), s("Screwdriver")),
          "ProductReviews", m("FiveStar", l(s("Best product ever!"))));

  // ---- SET

  @Test
  void set_newTopLevelAttributes_docsExample() {
    Map<String, Value> out =
        updated("SET ProductCategory = :c, Price = :p", PRODUCT, ":c", s("Hardware"), ":p", n(60));
    assertThat(out.get("ProductCategory")).isEqualTo(s("Hardware"));
    assertThat(out.get("Price")).isEqualTo(n(60));
    assertThat(out.get("Id")).isEqualTo(n(789));
  }

  @Test
  void set_neverMutatesTheArgument() {
    Map<String, Value> original = new HashMap<>(PRODUCT);
    Map<String, Value> out = updated("SET Price = :p REMOVE Color", original, ":p", n(1));
    assertThat(original).isEqualTo(PRODUCT);
    assertThat(out).isNotSameAs(original).doesNotContainKey("Color");
  }

  @Test
  void set_nestedMapKey() {
    Map<String, Value> out = updated("SET ProductReviews.OneStar = :r", PRODUCT, ":r", l(s("Meh")));
    assertThat(out.get("ProductReviews"))
        .isEqualTo(m("FiveStar", l(s("Best product ever!")), "OneStar", l(s("Meh"))));
  }

  @Test
  void set_listElementReplaced() {
    Map<String, Value> out = updated("SET RelatedItems[1] = :ri", PRODUCT, ":ri", s("Glue"));
    assertThat(out.get("RelatedItems")).isEqualTo(l(s("Hammer"), s("Glue"), s("Screwdriver")));
  }

  @Test
  void set_listIndexBeyondEnd_appends() {
    Map<String, Value> out =
        updated(
            "SET RelatedItems[10] = :a, RelatedItems[11] = :b",
            PRODUCT,
            ":a",
            s("Chisel"),
            ":b",
            s("Saw"));
    assertThat(out.get("RelatedItems"))
        .isEqualTo(l(s("Hammer"), s("Nails"), s("Screwdriver"), s("Chisel"), s("Saw")));
  }

  @Test
  void set_nestedPathWithMissingParent_isInvalidForUpdate() {
    validationError(
        () -> updated("SET Nope.child = :v", PRODUCT, ":v", n(1)),
        "The document path provided in the update expression is invalid for update");
    validationError(
        () -> updated("SET ProductReviews.Nope.child = :v", PRODUCT, ":v", n(1)),
        "invalid for update");
    validationError(
        () -> updated("SET Price.child = :v", PRODUCT, ":v", n(1)), "invalid for update");
    validationError(() -> updated("SET Price[0] = :v", PRODUCT, ":v", n(1)), "invalid for update");
  }

  @Test
  void set_plusAndMinus_docsExample() {
    Map<String, Value> out = updated("SET Price = Price - :p", PRODUCT, ":p", n(15));
    assertThat(out.get("Price")).isEqualTo(n(37));
    out = updated("SET Price = Price + :p", PRODUCT, ":p", n("0.5"));
    assertThat(out.get("Price")).isEqualTo(n("52.5"));
    out = updated("SET Gross = :a + Price", PRODUCT, ":a", n(8));
    assertThat(out.get("Gross")).isEqualTo(n(60));
  }

  @Test
  void set_arithmeticOnNonNumber_isIncorrectDataType() {
    validationError(
        () -> updated("SET Price = ProductCategory + :p", PRODUCT, ":p", n(1)),
        "An operand in the update expression has an incorrect data type");
    validationError(
        () -> updated("SET Price = Price - :p", PRODUCT, ":p", s("1")), "incorrect data type");
  }

  @Test
  void set_operandReadingMissingAttribute_isRefused() {
    validationError(
        () -> updated("SET Price = Nope + :p", PRODUCT, ":p", n(1)),
        "The provided expression refers to an attribute that does not exist in the item");
    validationError(
        () -> updated("SET Mirror = Nope", PRODUCT),
        "The provided expression refers to an attribute that does not exist in the item");
  }

  @Test
  void set_copyFromAnotherAttribute() {
    Map<String, Value> out = updated("SET Mirror = ProductReviews.FiveStar[0]", PRODUCT);
    assertThat(out.get("Mirror")).isEqualTo(s("Best product ever!"));
  }

  @Test
  void set_operandsReadTheItemBeforeTheUpdate() {
    Map<String, Value> it = item("a", n(1), "b", n(2));
    Map<String, Value> out = updated("SET a = b, b = a", it);
    assertThat(out).containsEntry("a", n(2)).containsEntry("b", n(1));
  }

  @Test
  void ifNotExists_keepsExistingValue_docsExample() {
    Map<String, Value> out = updated("SET Price = if_not_exists(Price, :p)", PRODUCT, ":p", n(100));
    assertThat(out.get("Price")).isEqualTo(n(52));
    out = updated("SET Stock = if_not_exists(Stock, :p)", PRODUCT, ":p", n(100));
    assertThat(out.get("Stock")).isEqualTo(n(100));
  }

  @Test
  void ifNotExists_insideArithmetic_countsFromDefault() {
    Map<String, Value> out =
        updated(
            "SET Visits = if_not_exists(Visits, :zero) + :one",
            PRODUCT,
            ":zero",
            n(0),
            ":one",
            n(1));
    assertThat(out.get("Visits")).isEqualTo(n(1));
  }

  @Test
  void listAppend_bothOrders_docsExample() {
    Map<String, Value> out =
        updated(
            "SET #ri = list_append(#ri, :vals)".replace("#ri", "RelatedItems"),
            PRODUCT,
            ":vals",
            l(s("Screwdriver"), s("Hacksaw")));
    assertThat(Fixtures.list(out.get("RelatedItems"))).hasSize(5).endsWith(s("Hacksaw"));
    out =
        updated(
            "SET RelatedItems = list_append(:vals, RelatedItems)",
            PRODUCT,
            ":vals",
            l(s("Chisel")));
    assertThat(Fixtures.list(out.get("RelatedItems"))).startsWith(s("Chisel")).hasSize(4);
  }

  @Test
  void listAppend_withIfNotExists_createsTheList() {
    Map<String, Value> out =
        updated(
            "SET History = list_append(if_not_exists(History, :empty), :entry)",
            PRODUCT,
            ":empty",
            l(),
            ":entry",
            l(s("created")));
    assertThat(out.get("History")).isEqualTo(l(s("created")));
  }

  @Test
  void listAppend_nonList_isIncorrectDataType() {
    validationError(
        () -> updated("SET RelatedItems = list_append(RelatedItems, :v)", PRODUCT, ":v", s("x")),
        "An operand in the update expression has an incorrect data type");
  }

  // ---- REMOVE

  @Test
  void remove_topLevelAndNested_docsExample() {
    Map<String, Value> out =
        updated("REMOVE Brand, InStock, QuantityOnHand, ProductReviews.FiveStar", PRODUCT);
    assertThat(out.get("ProductReviews")).isEqualTo(m());
    assertThat(out).containsKeys("Id", "Price");
  }

  @Test
  void remove_listElements_laterElementsShift() {
    Map<String, Value> out = updated("REMOVE RelatedItems[1], RelatedItems[2]", PRODUCT);
    assertThat(out.get("RelatedItems")).isEqualTo(l(s("Hammer")));
    out = updated("REMOVE RelatedItems[0]", PRODUCT);
    assertThat(out.get("RelatedItems")).isEqualTo(l(s("Nails"), s("Screwdriver")));
  }

  @Test
  void remove_indexesApplyToTheOriginalListWhateverTheirOrder() {
    Map<String, Value> it = item("l", l(n(0), n(1), n(2), n(3), n(4)));
    assertThat(updated("REMOVE l[0], l[3], l[1]", it).get("l")).isEqualTo(l(n(2), n(4)));
  }

  @Test
  void remove_missingAttributeOrIndex_isNoOp() {
    assertThat(updated("REMOVE Nope, RelatedItems[9]", PRODUCT)).isEqualTo(PRODUCT);
  }

  // ---- ADD

  @Test
  void add_toExistingNumber_docsExample() {
    assertThat(updated("ADD Price :n", PRODUCT, ":n", n(-2)).get("Price")).isEqualTo(n(50));
  }

  @Test
  void add_toMissingNumber_startsFromZero() {
    assertThat(updated("ADD QuantityOnHand :q", PRODUCT, ":q", n(5)).get("QuantityOnHand"))
        .isEqualTo(n(5));
  }

  @Test
  void add_toSet_unites() {
    assertThat(updated("ADD Color :c", PRODUCT, ":c", ss("Orange", "Purple", "Red")).get("Color"))
        .isEqualTo(ss("Red", "Black", "Orange", "Purple"));
    Map<String, Value> it = item("ns", ns(1), "bs", bs("a"));
    assertThat(updated("ADD ns :n", it, ":n", ns(2)).get("ns")).isEqualTo(ns(1, 2));
    assertThat(updated("ADD bs :b", it, ":b", bs("b")).get("bs")).isEqualTo(bs("a", "b"));
  }

  @Test
  void add_toMissingSet_createsIt() {
    assertThat(updated("ADD Tags :t", PRODUCT, ":t", ss("new")).get("Tags")).isEqualTo(ss("new"));
  }

  @Test
  void add_mismatchedTypes_isIncorrectDataType() {
    validationError(() -> updated("ADD Color :n", PRODUCT, ":n", n(1)), "incorrect data type");
    validationError(() -> updated("ADD Price :s", PRODUCT, ":s", ss("x")), "incorrect data type");
    validationError(() -> updated("ADD Color :s", PRODUCT, ":s", ns(1)), "incorrect data type");
  }

  @Test
  void add_stringOperand_isRefusedBeforeReadingTheItem() {
    validationError(
        () -> updated("ADD Price :s", PRODUCT, ":s", s("1")),
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator:"
            + " ADD, operand type: STRING");
  }

  @Test
  void add_nestedNumber() {
    Map<String, Value> it = item("stats", m("visits", n(1)));
    assertThat(updated("ADD stats.visits :one", it, ":one", n(1)).get("stats"))
        .isEqualTo(m("visits", n(2)));
  }

  // ---- DELETE

  @Test
  void delete_fromSet_docsExample() {
    assertThat(updated("DELETE Color :p", PRODUCT, ":p", ss("Yellow", "Red")).get("Color"))
        .isEqualTo(ss("Black"));
  }

  @Test
  void delete_lastElements_removesTheAttribute() {
    assertThat(updated("DELETE Color :p", PRODUCT, ":p", ss("Black", "Red")))
        .doesNotContainKey("Color");
  }

  @Test
  void delete_fromMissingAttribute_isNoOp() {
    assertThat(updated("DELETE Nope :p", PRODUCT, ":p", ss("x"))).isEqualTo(PRODUCT);
  }

  @Test
  void delete_numberAndBinarySets() {
    Map<String, Value> it = item("ns", ns(1, 2, 3), "bs", bs("a", "b"));
    assertThat(updated("DELETE ns :n", it, ":n", ns(2)).get("ns")).isEqualTo(ns(1, 3));
    assertThat(updated("DELETE bs :b", it, ":b", bs("a")).get("bs")).isEqualTo(bs("b"));
  }

  @Test
  void delete_nonSetOperand_isRefused() {
    validationError(
        () -> updated("DELETE Color :p", PRODUCT, ":p", s("Red")),
        "operator: DELETE, operand type: STRING");
  }

  @Test
  void delete_mismatchedSetType_isIncorrectDataType() {
    validationError(() -> updated("DELETE Color :p", PRODUCT, ":p", ns(1)), "incorrect data type");
  }

  // ---- clauses together

  @Test
  void allClauses_inAnyOrderAndCase() {
    Map<String, Value> out =
        updated(
            "delete Color :c add Hits :one remove ProductCategory set Price = :p",
            PRODUCT,
            ":c",
            ss("Red"),
            ":one",
            n(1),
            ":p",
            n(9));
    assertThat(out)
        .containsEntry("Color", ss("Black"))
        .containsEntry("Hits", n(1))
        .containsEntry("Price", n(9))
        .doesNotContainKey("ProductCategory");
  }

  @Test
  void clause_usedTwice_isRefused() {
    validationError(
        () -> updated("SET a = :v SET b = :v", PRODUCT, ":v", n(1)),
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update"
            + " expression;");
  }

  @Test
  void overlappingPaths_areRefused() {
    validationError(
        () -> updated("SET a = :v REMOVE a.b", PRODUCT, ":v", n(1)),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or"
            + " rewrite one of these paths; path one: [a], path two: [a, b]");
  }

  @Test
  void samePathTwice_overlaps() {
    validationError(
        () -> updated("SET a = :v, a = :w", PRODUCT, ":v", n(1), ":w", n(2)),
        "path one: [a], path two: [a]");
  }

  @Test
  void placeholderAndBareName_forTheSamePath_overlap() {
    ExpressionContext ctx = new ExpressionContext(names("#p", "Price"), item(":v", n(1)));
    validationError(
        () -> Expressions.update("SET Price = :v ADD #p :v", ctx), "Two document paths overlap");
  }

  @Test
  void mapAndListStepsIntoTheSameValue_conflict() {
    validationError(
        () -> updated("SET a.b = :v, a[0] = :v", PRODUCT, ":v", n(1)),
        "Two document paths conflict with each other; must remove or rewrite one of these paths;"
            + " path one: [a, b], path two: [a, [0]]");
  }

  @Test
  void siblingPaths_doNotOverlap() {
    Map<String, Value> it = item("a", m("b", n(1), "c", n(2)), "l", l(n(1), n(2)));
    Map<String, Value> out = updated("SET a.b = :v, l[0] = :v REMOVE a.c, l[1]", it, ":v", n(9));
    assertThat(out).containsEntry("a", m("b", n(9))).containsEntry("l", l(n(9)));
  }

  @Test
  void topLevelTargets_namesEveryTouchedAttribute() {
    ExpressionContext ctx =
        new ExpressionContext(names("#k", "pk"), item(":v", n(1), ":s", ss("x")));
    Update u = Expressions.update("SET #k = :v, a.b = :v REMOVE c[0] ADD d :v DELETE e :s", ctx);
    assertThat(u.topLevelTargets()).containsExactlyInAnyOrder("pk", "a", "c", "d", "e");
  }

  @Test
  void functionsOfConditions_areNotAllowedInUpdates() {
    validationError(
        () -> updated("SET a = size(b)", PRODUCT),
        "Invalid UpdateExpression: The function is not allowed in an update expression;"
            + " function: size");
  }

  @Test
  void unknownFunction_isRefused() {
    validationError(
        () -> updated("SET a = nope(b)", PRODUCT), "Invalid function name; function: nope");
  }

  @Test
  void ifNotExists_firstOperandMustBeAPath() {
    validationError(
        () -> updated("SET a = if_not_exists(:v, :v)", PRODUCT, ":v", n(1)),
        "Operator or function requires a document path; operator or function: if_not_exists");
  }

  @Test
  void arithmetic_chained_isASyntaxError() {
    validationError(
        () -> updated("SET a = :v + :v + :v", PRODUCT, ":v", n(1)),
        "Invalid UpdateExpression: Syntax error; token: \"+\"");
  }

  @Test
  void emptyUpdate_isRefused() {
    validationError(
        () -> updated("   ", PRODUCT),
        "Invalid UpdateExpression: The expression can not be empty;");
  }

  @Test
  void addWithoutValue_isASyntaxError() {
    validationError(() -> updated("ADD a", PRODUCT), "Syntax error; token: \"<EOF>\"");
  }

  @Test
  void set_binaryValue() {
    assertThat(updated("SET pic = :b", PRODUCT, ":b", b("x")).get("pic")).isEqualTo(b("x"));
  }

  @Test
  void set_numberOverflow_isRefused() {
    validationError(
        () -> updated("SET Price = Price + :big", item("Price", n("9E+125")), ":big", n("9E+125")),
        "Number overflow");
  }
}
