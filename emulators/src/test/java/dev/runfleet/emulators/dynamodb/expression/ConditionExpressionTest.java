package dev.runfleet.emulators.dynamodb.expression;

import static dev.runfleet.emulators.dynamodb.expression.Fixtures.b;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.bool;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.bs;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.holds;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.item;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.l;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.m;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.n;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.names;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.ns;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.s;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.ss;
import static dev.runfleet.emulators.dynamodb.expression.Fixtures.validationError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.emulators.dynamodb.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionExpressionTest {

  /** The Developer Guide's ProductCatalog item, trimmed to what the examples read. */
  private static final Map<String, Value> PRODUCT =
      item(
          "Id", n(456),
          "ProductCategory", s("Sporting Goods"),
          "Price", n(650),
          "Color", ss("Red", "Black"),
          "Title", s("18-Bicycle 456"),
          "Picture", b("pic"),
          "RelatedItems", l(n(341), n(472), n(649)),
          "ProductReviews",
              m(
                  "FiveStar",
                  l(s("Excellent! Can't recommend it highly enough!")),
                  "OneStar",
                  l(s("Terrible product! Do not buy this."))),
          "InStock", bool(true),
          "Discontinued", Value.nul());

  @Test
  void equals_sameNumber_holds() {
    assertThat(holds("Price = :p", PRODUCT, ":p", n("650.0"))).isTrue();
    assertThat(holds("Price = :p", PRODUCT, ":p", n(651))).isFalse();
  }

  @Test
  void equals_differentTypes_isFalse() {
    assertThat(holds("Price = :p", PRODUCT, ":p", s("650"))).isFalse();
  }

  @Test
  void notEquals_differentTypesOrMissing_isTrue() {
    assertThat(holds("Price <> :p", PRODUCT, ":p", s("650"))).isTrue();
    assertThat(holds("Nope <> :p", PRODUCT, ":p", n(1))).isTrue();
    assertThat(holds("Price <> :p", PRODUCT, ":p", n(650))).isFalse();
  }

  @Test
  void equals_setsCompareWithoutOrder() {
    assertThat(holds("Color = :c", PRODUCT, ":c", ss("Black", "Red"))).isTrue();
  }

  @Test
  void equals_mapsAndListsCompareDeeply() {
    assertThat(holds("RelatedItems = :r", PRODUCT, ":r", l(n(341), n(472), n(649)))).isTrue();
    assertThat(holds("RelatedItems = :r", PRODUCT, ":r", l(n(472), n(341), n(649)))).isFalse();
  }

  @Test
  void lessAndGreater_numbers_compareNumerically() {
    assertThat(holds("Price < :p", PRODUCT, ":p", n(1000))).isTrue();
    assertThat(holds("Price <= :p", PRODUCT, ":p", n(650))).isTrue();
    assertThat(holds("Price > :p", PRODUCT, ":p", n(650))).isFalse();
    assertThat(holds("Price >= :p", PRODUCT, ":p", n(650))).isTrue();
    assertThat(holds("Price > :p", PRODUCT, ":p", n("99.99"))).isTrue();
  }

  @Test
  void lessThan_strings_compareByUtf8Bytes() {
    assertThat(holds("Title < :t", PRODUCT, ":t", s("2"))).isTrue();
    assertThat(holds("Title > :t", PRODUCT, ":t", s("18-Bicycle"))).isTrue();
  }

  @Test
  void lessThan_binary_comparesUnsigned() {
    Map<String, Value> it = item("b", Value.b(new byte[] {(byte) 0xff}));
    assertThat(holds("b > :x", it, ":x", Value.b(new byte[] {0x01}))).isTrue();
  }

  @Test
  void lessThan_typesWithoutOrder_isFalse() {
    assertThat(holds("Color < :c", PRODUCT, ":c", ss("Z"))).isFalse();
    assertThat(holds("InStock >= :b", PRODUCT, ":b", bool(true))).isFalse();
    assertThat(holds("Price < :p", PRODUCT, ":p", s("9999"))).isFalse();
  }

  @Test
  void comparison_missingAttribute_isFalse() {
    assertThat(holds("Nope = :p", PRODUCT, ":p", n(1))).isFalse();
    assertThat(holds("Nope < :p", PRODUCT, ":p", n(1))).isFalse();
  }

  @Test
  void comparison_betweenTwoAttributes() {
    Map<String, Value> it = item("a", n(1), "b", n(2));
    assertThat(holds("a < b", it)).isTrue();
    assertThat(holds("b < a", it)).isFalse();
  }

  @Test
  void between_isInclusive() {
    assertThat(holds("Price BETWEEN :lo AND :hi", PRODUCT, ":lo", n(500), ":hi", n(650))).isTrue();
    assertThat(holds("Price between :lo and :hi", PRODUCT, ":lo", n(650), ":hi", n(700))).isTrue();
    assertThat(holds("Price BETWEEN :lo AND :hi", PRODUCT, ":lo", n(651), ":hi", n(700))).isFalse();
  }

  @Test
  void between_mixedTypes_isFalse() {
    assertThat(holds("Price BETWEEN :lo AND :hi", PRODUCT, ":lo", s("1"), ":hi", n(700))).isFalse();
  }

  @Test
  void between_lowerAboveUpper_isRefused() {
    validationError(
        () -> holds("Price BETWEEN :lo AND :hi", PRODUCT, ":lo", n(5), ":hi", n(1)),
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater"
            + " than or equal to lower bound; lower bound operand: AttributeValue: {N:5}");
  }

  @Test
  void in_matchesAnyCandidate() {
    assertThat(holds("Price IN (:a, :b)", PRODUCT, ":a", n(1), ":b", n(650))).isTrue();
    assertThat(holds("Price in (:a)", PRODUCT, ":a", n(1))).isFalse();
    assertThat(holds("ProductCategory IN (:a, :b)", PRODUCT, ":a", s("x"), ":b", s("y"))).isFalse();
  }

  @Test
  void in_moreThanHundredCandidates_isRefused() {
    StringBuilder list = new StringBuilder();
    Object[] values = new Object[202];
    for (int i = 0; i < 101; i++) {
      list.append(i == 0 ? "" : ", ").append(":v").append(i);
      values[2 * i] = ":v" + i;
      values[2 * i + 1] = n(i);
    }
    validationError(
        () -> holds("Price IN (" + list + ")", PRODUCT, values), "number of operands: 101");
  }

  @Test
  void attributeExists_topLevelAndNested() {
    assertThat(holds("attribute_exists(Picture)", PRODUCT)).isTrue();
    assertThat(holds("attribute_exists(Nope)", PRODUCT)).isFalse();
    assertThat(holds("attribute_exists(ProductReviews.OneStar)", PRODUCT)).isTrue();
    assertThat(holds("attribute_exists(ProductReviews.ThreeStar)", PRODUCT)).isFalse();
    assertThat(holds("attribute_exists(RelatedItems[2])", PRODUCT)).isTrue();
    assertThat(holds("attribute_exists(RelatedItems[3])", PRODUCT)).isFalse();
  }

  @Test
  void attributeExists_nullValueStillExists() {
    assertThat(holds("attribute_exists(Discontinued)", PRODUCT)).isTrue();
  }

  @Test
  void attributeNotExists_onAbsentItem_holds() {
    assertThat(holds("attribute_not_exists(Id)", Map.of())).isTrue();
    assertThat(holds("attribute_not_exists(Id)", PRODUCT)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "Color, SS, true",
    "Color, S, false",
    "Price, N, true",
    "Picture, B, true",
    "InStock, BOOL, true",
    "Discontinued, NULL, true",
    "RelatedItems, L, true",
    "ProductReviews, M, true",
    "Nope, M, false"
  })
  void attributeType_matchesEveryTypeName(String attribute, String type, boolean expected) {
    assertThat(holds("attribute_type(" + attribute + ", :t)", PRODUCT, ":t", s(type)))
        .isEqualTo(expected);
  }

  @Test
  void attributeType_unknownTypeName_isRefused() {
    validationError(
        () -> holds("attribute_type(Color, :t)", PRODUCT, ":t", s("STRING")),
        "Invalid attribute type name found; type: STRING");
  }

  @Test
  void attributeType_nonStringOperand_isRefused() {
    validationError(
        () -> holds("attribute_type(Color, :t)", PRODUCT, ":t", n(1)),
        "operator or function: attribute_type, operand type: N");
  }

  @Test
  void beginsWith_stringsAndBinaries() {
    assertThat(holds("begins_with(Title, :p)", PRODUCT, ":p", s("18-Bi"))).isTrue();
    assertThat(holds("begins_with(Title, :p)", PRODUCT, ":p", s("Bi"))).isFalse();
    assertThat(holds("begins_with(Picture, :p)", PRODUCT, ":p", b("pi"))).isTrue();
    assertThat(holds("begins_with(Picture, :p)", PRODUCT, ":p", s("pi"))).isFalse();
    assertThat(holds("begins_with(Price, :p)", PRODUCT, ":p", s("6"))).isFalse();
  }

  @Test
  void beginsWith_numberOperand_isRefused() {
    validationError(
        () -> holds("begins_with(Title, :p)", PRODUCT, ":p", n(1)),
        "Invalid ConditionExpression: Incorrect operand type for operator or function;"
            + " operator or function: begins_with, operand type: N");
  }

  @Test
  void contains_substringOfString() {
    assertThat(holds("contains(Title, :s)", PRODUCT, ":s", s("Bicycle"))).isTrue();
    assertThat(holds("contains(Title, :s)", PRODUCT, ":s", s("Tricycle"))).isFalse();
  }

  @Test
  void contains_memberOfEverySetType() {
    assertThat(holds("contains(Color, :c)", PRODUCT, ":c", s("Red"))).isTrue();
    assertThat(holds("contains(Color, :c)", PRODUCT, ":c", s("Blue"))).isFalse();
    Map<String, Value> it = item("ns", ns(1, 2), "bs", bs("x", "y"));
    assertThat(holds("contains(ns, :n)", it, ":n", n("2.0"))).isTrue();
    assertThat(holds("contains(ns, :n)", it, ":n", s("2"))).isFalse();
    assertThat(holds("contains(bs, :b)", it, ":b", b("y"))).isTrue();
  }

  @Test
  void contains_elementOfList() {
    assertThat(holds("contains(RelatedItems, :i)", PRODUCT, ":i", n(472))).isTrue();
    assertThat(holds("contains(RelatedItems, :i)", PRODUCT, ":i", n(473))).isFalse();
  }

  @Test
  void contains_operandMayBeAPath() {
    Map<String, Value> it = item("tags", ss("a", "b"), "wanted", s("b"));
    assertThat(holds("contains(tags, wanted)", it)).isTrue();
  }

  @Test
  void size_ofEachType() {
    assertThat(holds("size(Title) = :n", PRODUCT, ":n", n(14))).isTrue();
    assertThat(holds("size(Picture) = :n", PRODUCT, ":n", n(3))).isTrue();
    assertThat(holds("size(Color) = :n", PRODUCT, ":n", n(2))).isTrue();
    assertThat(holds("size(RelatedItems) = :n", PRODUCT, ":n", n(3))).isTrue();
    assertThat(holds("size(ProductReviews) = :n", PRODUCT, ":n", n(2))).isTrue();
    assertThat(holds("size(ProductReviews.FiveStar) > :n", PRODUCT, ":n", n(0))).isTrue();
  }

  @Test
  void size_ofNumberOrMissing_neverMatches() {
    assertThat(holds("size(Price) >= :n", PRODUCT, ":n", n(0))).isFalse();
    assertThat(holds("size(Nope) >= :n", PRODUCT, ":n", n(0))).isFalse();
  }

  @Test
  void size_onBothSidesAndInBetween() {
    assertThat(holds("size(Color) < size(RelatedItems)", PRODUCT)).isTrue();
    assertThat(holds("size(Title) BETWEEN :a AND :b", PRODUCT, ":a", n(10), ":b", n(20))).isTrue();
  }

  @Test
  void size_ofNumberValue_isRefused() {
    validationError(
        () -> holds("size(:v) > :n", PRODUCT, ":v", n(3), ":n", n(1)),
        "operator or function: size, operand type: N");
  }

  @Test
  void nestedPaths_mapKeysAndListIndexes() {
    Map<String, Value> it =
        item("a", m("b", l(m("c", n(7)), m("c", n(8)))), "l", l(l(s("x"), s("y"))));
    assertThat(holds("a.b[1].c = :v", it, ":v", n(8))).isTrue();
    assertThat(holds("a.b[0].c = :v", it, ":v", n(8))).isFalse();
    assertThat(holds("l[0][1] = :v", it, ":v", s("y"))).isTrue();
    assertThat(holds("a.b.c = :v", it, ":v", n(7))).isFalse();
    assertThat(holds("a[0] = :v", it, ":v", n(7))).isFalse();
  }

  @Test
  void names_resolvePlaceholdersIncludingDotsInNames() {
    Map<String, Value> it = item("a.b", n(1), "a", m("b", n(2)), "Status", s("OK"));
    ExpressionContext ctx =
        new ExpressionContext(
            names("#ab", "a.b", "#a", "a", "#b", "b", "#s", "Status"), Fixtures.item(":v", n(1)));
    assertThat(Expressions.condition("#ab = :v", ctx, "ConditionExpression").test(it)).isTrue();
    assertThat(Expressions.condition("#a.#b = :v", ctx, "ConditionExpression").test(it)).isFalse();
    assertThat(Expressions.condition("attribute_exists(#s)", ctx, "ConditionExpression").test(it))
        .isTrue();
  }

  @Test
  void precedence_notBindsTighterThanAnd() {
    Map<String, Value> it = item("a", n(1));
    // NOT attribute_exists(a) AND attribute_exists(a) = (false AND true) = false
    assertThat(holds("NOT attribute_exists(a) AND attribute_exists(a)", it)).isFalse();
    assertThat(holds("NOT (attribute_exists(nope) AND attribute_exists(a))", it)).isTrue();
  }

  @Test
  void precedence_andBindsTighterThanOr() {
    Map<String, Value> it = item("a", n(1));
    // true OR (false AND false) = true; a left-to-right reading would give false
    assertThat(holds("attribute_exists(a) OR attribute_exists(x) AND attribute_exists(y)", it))
        .isTrue();
    // (false AND x) OR true = true
    assertThat(holds("attribute_exists(x) AND attribute_exists(y) OR attribute_exists(a)", it))
        .isTrue();
    assertThat(holds("(attribute_exists(a) OR attribute_exists(x)) AND attribute_exists(y)", it))
        .isFalse();
  }

  @Test
  void keywords_areCaseInsensitive() {
    Map<String, Value> it = item("a", n(1));
    assertThat(holds("not attribute_exists(x) and (a = :v or a = :w)", it, ":v", n(1), ":w", n(2)))
        .isTrue();
  }

  @Test
  void docsExample_priceBetweenAndCategory() {
    assertThat(
            holds(
                "(ProductCategory IN (:cat1, :cat2)) and (Price between :lo and :hi)",
                PRODUCT,
                ":cat1",
                s("Sporting Goods"),
                ":cat2",
                s("Gardening Supplies"),
                ":lo",
                n(500),
                ":hi",
                n(600)))
        .isFalse();
    assertThat(
            holds(
                "(ProductCategory IN (:cat1, :cat2)) and (Price between :lo and :hi)",
                PRODUCT,
                ":cat1",
                s("Sporting Goods"),
                ":cat2",
                s("Gardening Supplies"),
                ":lo",
                n(600),
                ":hi",
                n(700)))
        .isTrue();
  }

  @Test
  void whitespace_tabsAndNewlinesAreIgnored() {
    assertThat(holds("\tPrice\n=\r\n:p ", PRODUCT, ":p", n(650))).isTrue();
  }

  @Test
  void filterExpression_namesItsParameterInErrors() {
    validationError(
        () -> Expressions.condition("a = ", Fixtures.values(), "FilterExpression"),
        "Invalid FilterExpression: Syntax error");
  }

  @Test
  void boundCondition_isReusableAcrossItems() {
    Condition c =
        Expressions.condition("a = :v", Fixtures.values(":v", n(1)), "ConditionExpression");
    assertThat(c.test(item("a", n(1)))).isTrue();
    assertThat(c.test(item("a", n(2)))).isFalse();
    assertThat(c.test(Map.of())).isFalse();
  }
}
