package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB's documented size rules, as {@link ItemSize} applies them. */
class ItemSizeTest {

  private static Map<String, AttributeValue> item(String pk, String sk) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(JobsTable.PK, AttributeValue.fromS(pk));
    item.put(JobsTable.SK, AttributeValue.fromS(sk));
    item.put(JobsTable.TYPE, AttributeValue.fromS("job"));
    return item;
  }

  @Test
  void bytes_countsNamesAndValuesByDynamoDbsRules() {
    assertThat(ItemSize.bytes(Map.of("ab", AttributeValue.fromS("é")))).isEqualTo(2 + 2);
    // 1 byte per two significant digits, plus one; leading and trailing zeroes do not count.
    assertThat(ItemSize.bytes(AttributeValue.fromN("1"))).isEqualTo(2);
    assertThat(ItemSize.bytes(AttributeValue.fromN("1234"))).isEqualTo(3);
    assertThat(ItemSize.bytes(AttributeValue.fromN("12300000"))).isEqualTo(3);
    assertThat(ItemSize.bytes(AttributeValue.fromN("-0.00123"))).isEqualTo(3);
    assertThat(ItemSize.bytes(AttributeValue.fromBool(true))).isEqualTo(1);
    // 3 bytes for a list plus one per element.
    assertThat(
            ItemSize.bytes(
                AttributeValue.fromL(
                    List.of(AttributeValue.fromS("ab"), AttributeValue.fromS("c")))))
        .isEqualTo(3 + 2 + 1 + 1 + 1);
  }

  @Test
  void utf8_countsAsTheEncoderDoes_withoutEncoding() {
    for (String text :
        List.of(
            "",
            "acme/widgets",
            "é",
            "\u0800",
            "\uffff",
            "😀 runner",
            "a\ud800b",
            "\udc00",
            "x\ud83d",
            "ü".repeat(300))) {
      assertThat(ItemSize.utf8(text))
          .as("%s", text)
          .isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void number_ofPlainIntegers_countsAsTheDecimalRule() {
    for (String number :
        List.of("0", "-0", "7", "007", "100", "-1200", "1733400000123", "9223372036854775807")) {
      String digits =
          new java.math.BigDecimal(number).unscaledValue().abs().toString().replaceAll("0+$", "");
      assertThat(ItemSize.number(number))
          .as("%s", number)
          .isEqualTo((Math.max(digits.length(), 1) + 1) / 2 + 1);
    }
    assertThat(ItemSize.number("1.50")).as("not a plain integer: read as a decimal").isEqualTo(2);
  }

  @Test
  void refusal_whenItemIsExactly400KB_fits_andOneByteMore_isRefused() {
    Map<String, AttributeValue> item = item("p", "s");
    int rest = ItemSize.MAX_ITEM_BYTES - ItemSize.bytes(item) - "blob".length();
    item.put("blob", AttributeValue.fromS("x".repeat(rest)));
    assertThat(ItemSize.bytes(item)).isEqualTo(409_600);
    assertThat(ItemSize.refusal(item)).isEmpty();

    item.put("blob", AttributeValue.fromS("x".repeat(rest + 1)));
    assertThat(ItemSize.refusal(item)).contains("item job is 409601 bytes, over DynamoDB's 409600");
  }

  @Test
  void refusal_whenPartitionKeyIs2049Bytes_isRefused_and2048Fits() {
    assertThat(ItemSize.refusal(item("p".repeat(2048), "s"))).isEmpty();
    assertThat(ItemSize.refusal(item("p".repeat(2049), "s")))
        .contains("key attribute pk of item job is 2049 bytes, over DynamoDB's 2048");
  }

  @Test
  void refusal_whenSortKeyOrQueueSortKeyIs1025Bytes_isRefused() {
    assertThat(ItemSize.refusal(item("p", "s".repeat(1024)))).isEmpty();
    assertThat(ItemSize.refusal(item("p", "s".repeat(1025)))).isPresent();
    Map<String, AttributeValue> queued = item("p", "s");
    queued.put(JobsTable.QUEUE_SK, AttributeValue.fromS("q".repeat(1025)));
    assertThat(ItemSize.refusal(queued)).get().asString().contains("qsk");
  }

  @Test
  void isSizeRefusal_readsDynamoDbsValidationMessages() {
    assertThat(
            ItemSize.isSizeRefusal(
                "ValidationException", "Item size has exceeded the maximum allowed size"))
        .isTrue();
    assertThat(
            ItemSize.isSizeRefusal(
                "ValidationException",
                "One or more parameter values were invalid: Size of hashkey has exceeded the"
                    + " maximum size limit of 2048 bytes"))
        .isTrue();
    assertThat(ItemSize.isSizeRefusal("ValidationException", "Invalid UpdateExpression")).isFalse();
    assertThat(ItemSize.isSizeRefusal("ThrottlingException", "size")).isFalse();
  }
}
