package dev.runfleet.aws;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's size rules, applied before a write so that an item DynamoDB would refuse is answered
 * as too large instead of failing the call. The rules are DynamoDB's documented ones ("Item sizes
 * and formats", "Service quotas"): an item is the sum of its attribute names' and values' sizes and
 * holds at most 400 KB; a string is its UTF-8 bytes; a number is one byte per two significant
 * digits plus one; a list or map is 3 bytes plus its elements plus one byte per element; a
 * partition key value holds at most 2048 bytes and a sort key value 1024.
 */
public final class ItemSize {

  /** 400 KB, as DynamoDB counts it. */
  public static final int MAX_ITEM_BYTES = 400 * 1024;

  public static final int MAX_PARTITION_KEY_BYTES = 2048;
  public static final int MAX_SORT_KEY_BYTES = 1024;

  private ItemSize() {}

  /**
   * Why DynamoDB would refuse {@code item} in the jobs table (its item size, its table key, or its
   * queue index key), or empty when it fits. The reason names attributes and sizes, never values.
   */
  public static Optional<String> refusal(Map<String, AttributeValue> item) {
    int size = bytes(item);
    if (size > MAX_ITEM_BYTES) {
      return Optional.of(
          "item " + describe(item) + " is " + size + " bytes, over DynamoDB's " + MAX_ITEM_BYTES);
    }
    return keyRefusal(item, JobsTable.PK, MAX_PARTITION_KEY_BYTES)
        .or(() -> keyRefusal(item, JobsTable.SK, MAX_SORT_KEY_BYTES))
        .or(() -> keyRefusal(item, JobsTable.QUEUE_PK, MAX_PARTITION_KEY_BYTES))
        .or(() -> keyRefusal(item, JobsTable.QUEUE_SK, MAX_SORT_KEY_BYTES));
  }

  /**
   * True when DynamoDB refused a request for an item's or a key's size (a {@code
   * ValidationException}, or a transaction's {@code ValidationError} reason, whose message speaks
   * of size): the backstop for a rule {@link #refusal} does not know.
   */
  public static boolean isSizeRefusal(String code, String message) {
    boolean validation = "ValidationException".equals(code) || "ValidationError".equals(code);
    return validation && message != null && message.toLowerCase(Locale.ROOT).contains("size");
  }

  /** The item's size as DynamoDB counts it: attribute names plus values. */
  public static int bytes(Map<String, AttributeValue> item) {
    int size = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      size += utf8(attribute.getKey()) + bytes(attribute.getValue());
    }
    return size;
  }

  static int bytes(AttributeValue value) {
    return switch (value.type()) {
      case S -> utf8(value.s());
      case N -> number(value.n());
      case B -> value.b().asByteArray().length;
      case BOOL, NUL -> 1;
      case SS -> value.ss().stream().mapToInt(ItemSize::utf8).sum();
      case NS -> value.ns().stream().mapToInt(ItemSize::number).sum();
      case BS -> value.bs().stream().map(SdkBytes::asByteArray).mapToInt(b -> b.length).sum();
      case L -> 3 + value.l().stream().mapToInt(element -> bytes(element) + 1).sum();
      case M -> 3 + bytes(value.m()) + value.m().size();
      case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("untyped attribute value");
    };
  }

  private static Optional<String> keyRefusal(
      Map<String, AttributeValue> item, String name, int limit) {
    AttributeValue value = item.get(name);
    if (value == null || value.s() == null) {
      return Optional.empty();
    }
    int size = utf8(value.s());
    return size > limit
        ? Optional.of(
            "key attribute "
                + name
                + " of item "
                + describe(item)
                + " is "
                + size
                + " bytes, over DynamoDB's "
                + limit)
        : Optional.empty();
  }

  /** The item's type, which says which of the table's items it is without quoting its key. */
  private static String describe(Map<String, AttributeValue> item) {
    return JobsTable.typeOf(item).orElse("(untyped)");
  }

  /** The text's UTF-8 length, counted without encoding it (every write sizes its items). */
  static int utf8(String text) {
    int bytes = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1; // an unpaired surrogate is encoded as '?'
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  static int number(String text) {
    int digits = integerDigits(text);
    if (digits < 0) {
      String significant =
          new BigDecimal(text).unscaledValue().abs().toString().replaceAll("0+$", "");
      digits = significant.length();
    }
    return (Math.max(digits, 1) + 1) / 2 + 1;
  }

  /**
   * The significant digits of a plain integer ({@code -?[0-9]+}: every number the tables write),
   * leading and trailing zeros aside; -1 for any other form, which {@link BigDecimal} then reads.
   */
  private static int integerDigits(String text) {
    int start = text.startsWith("-") ? 1 : 0;
    int end = text.length();
    if (start == end) {
      return -1;
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    while (start < end && text.charAt(start) == '0') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '0') {
      end--;
    }
    return end - start;
  }
}
