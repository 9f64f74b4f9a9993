package dev.runfleet.emulators.dynamodb;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One DynamoDB attribute value, immutable. Numbers are held as normalised {@link BigDecimal}s
 * checked against DynamoDB's 38-digit precision and range, so equality and ordering are numeric;
 * sets keep insertion order and refuse duplicates, as the service does.
 */
public sealed interface Value
    permits Value.S,
        Value.N,
        Value.B,
        Value.Bool,
        Value.Null,
        Value.SS,
        Value.NS,
        Value.BS,
        Value.L,
        Value.M {

  /** The wire type name: S, N, B, BOOL, NULL, SS, NS, BS, L or M. */
  String type();

  /** The size DynamoDB counts for this value (without the attribute name). */
  long size();

  /** Largest magnitude DynamoDB stores. */
  BigDecimal MAX = new BigDecimal("9.9999999999999999999999999999999999999E+125");

  /** Smallest non-zero magnitude DynamoDB stores. */
  BigDecimal MIN = new BigDecimal("1E-130");

  static S s(String value) {
    return new S(value);
  }

  /** A number from its wire text; refuses what DynamoDB refuses. */
  static N n(String text) {
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(text.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw DynamoDbError.validation("A value provided cannot be converted into a number");
    }
    return n(parsed);
  }

  static N n(long value) {
    return n(BigDecimal.valueOf(value));
  }

  static N n(BigDecimal value) {
    return new N(normalise(value));
  }

  static B b(byte[] bytes) {
    return new B(bytes.clone());
  }

  static Bool bool(boolean value) {
    return value ? Bool.TRUE : Bool.FALSE;
  }

  static Null nul() {
    return Null.INSTANCE;
  }

  static L l(List<Value> values) {
    return new L(List.copyOf(values));
  }

  static M m(Map<String, Value> values) {
    return new M(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }

  /** Checks and normalises a number: at most 38 significant digits, within DynamoDB's range. */
  static BigDecimal normalise(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.precision() > 38) {
      throw DynamoDbError.validation(
          "Attempting to store more than 38 significant digits in a Number");
    }
    BigDecimal magnitude = stripped.abs();
    if (magnitude.compareTo(MAX) > 0) {
      throw DynamoDbError.validation(
          "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
    if (magnitude.compareTo(MIN) < 0) {
      throw DynamoDbError.validation(
          "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }
    return stripped;
  }

  /** Arithmetic as DynamoDB does it: exact, then checked as any stored number is. */
  static N add(N a, N b) {
    return n(a.value().add(b.value(), MathContext.UNLIMITED));
  }

  static N subtract(N a, N b) {
    return n(a.value().subtract(b.value(), MathContext.UNLIMITED));
  }

  /** The wire text of a number, as DynamoDB returns it. */
  static String text(BigDecimal value) {
    // DynamoDB answers with plain digits; very large or small exponents keep scientific form.
    int exponent = value.precision() - value.scale() - 1;
    return exponent > 40 || exponent < -40 ? value.toString() : value.toPlainString();
  }

  /** The size of an item: attribute names plus values. */
  static long itemSize(Map<String, Value> item) {
    long total = 0;
    for (Map.Entry<String, Value> e : item.entrySet()) {
      total += utf8Length(e.getKey()) + e.getValue().size();
    }
    return total;
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static long numberSize(BigDecimal value) {
    // AWS: about one byte per two significant digits, plus one.
    return (value.precision() + 1) / 2 + 1;
  }

  /**
   * Orders two scalar key values of the same type as DynamoDB sorts keys: strings and binaries by
   * unsigned byte, numbers numerically.
   */
  static int compareKeys(Value a, Value b) {
    if (a instanceof N x && b instanceof N y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof S x && b instanceof S y) {
      return compareUtf8(x.value(), y.value());
    }
    if (a instanceof B x && b instanceof B y) {
      return Arrays.compareUnsigned(x.bytes, y.bytes);
    }
    throw new IllegalArgumentException("not comparable: " + a.type() + " and " + b.type());
  }

  /** Compares strings by their UTF-8 bytes, which is not Java's UTF-16 order above U+FFFF. */
  static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        boolean sa = Character.isSurrogate(ca);
        boolean sb = Character.isSurrogate(cb);
        if (sa != sb) {
          // A surrogate (code point above U+FFFF) sorts after every BMP char in UTF-8.
          return sa ? 1 : -1;
        }
        return Character.compare(ca, cb);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /**
   * A string. Not a record, for one reason: its UTF-8 length is kept once counted, as {@link
   * String} keeps its hash. An item's size is asked for by every write that stores it (the table
   * and each index), by every stream record and page that carries it, and counting its strings
   * again each time was about 5 % of the pipeline bench's CPU.
   */
  static final class S implements Value {
    private final String value;
    private int utf8Bytes = -1; // racy but benign: every thread computes the same count

    S(String value) {
      this.value = java.util.Objects.requireNonNull(value);
    }

    public String value() {
      return value;
    }

    @Override
    public String type() {
      return "S";
    }

    @Override
    public long size() {
      int bytes = utf8Bytes;
      if (bytes < 0) {
        bytes = utf8Length(value);
        utf8Bytes = bytes;
      }
      return bytes;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof S s && value.equals(s.value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }

    @Override
    public String toString() {
      return "S[value=" + value + "]";
    }
  }

  record N(BigDecimal value) implements Value {
    @Override
    public String type() {
      return "N";
    }

    @Override
    public long size() {
      return numberSize(value);
    }

    public String text() {
      return Value.text(value);
    }
  }

  /** Binary; equality and hashing by content. */
  final class B implements Value {
    private final byte[] bytes;

    private B(byte[] bytes) {
      this.bytes = bytes;
    }

    public byte[] bytes() {
      return bytes.clone();
    }

    public int length() {
      return bytes.length;
    }

    public String base64() {
      return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String type() {
      return "B";
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof B other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "B[" + base64() + "]";
    }
  }

  enum Bool implements Value {
    FALSE,
    TRUE;

    public boolean value() {
      return this == TRUE;
    }

    @Override
    public String type() {
      return "BOOL";
    }

    @Override
    public long size() {
      return 1;
    }
  }

  enum Null implements Value {
    INSTANCE;

    @Override
    public String type() {
      return "NULL";
    }

    @Override
    public long size() {
      return 1;
    }
  }

  /** String set: non-empty, no duplicates. */
  record SS(Set<String> values) implements Value {
    public SS {
      values = frozenSet(values, "SS");
    }

    @Override
    public String type() {
      return "SS";
    }

    @Override
    public long size() {
      long total = 0;
      for (String s : values) {
        total += utf8Length(s);
      }
      return total;
    }
  }

  /** Number set: non-empty, no duplicates (numerically). */
  record NS(Set<BigDecimal> values) implements Value {
    public NS {
      Set<BigDecimal> normalised = new LinkedHashSet<>();
      for (BigDecimal v : values) {
        if (!normalised.add(normalise(v))) {
          throw DynamoDbError.validation(
              "One or more parameter values were invalid: Input collection contains duplicates");
        }
      }
      values = frozenSet(normalised, "NS");
    }

    @Override
    public String type() {
      return "NS";
    }

    @Override
    public long size() {
      long total = 0;
      for (BigDecimal v : values) {
        total += numberSize(v);
      }
      return total;
    }
  }

  /** Binary set: non-empty, no duplicates. */
  record BS(Set<B> values) implements Value {
    public BS {
      values = frozenSet(values, "BS");
    }

    @Override
    public String type() {
      return "BS";
    }

    @Override
    public long size() {
      long total = 0;
      for (B b : values) {
        total += b.length();
      }
      return total;
    }
  }

  record L(List<Value> values) implements Value {
    @Override
    public String type() {
      return "L";
    }

    @Override
    public long size() {
      long total = 3;
      for (Value v : values) {
        total += 1 + v.size();
      }
      return total;
    }
  }

  record M(Map<String, Value> values) implements Value {
    @Override
    public String type() {
      return "M";
    }

    @Override
    public long size() {
      long total = 3;
      for (Map.Entry<String, Value> e : values.entrySet()) {
        total += 1 + utf8Length(e.getKey()) + e.getValue().size();
      }
      return total;
    }
  }

  private static <T> Set<T> frozenSet(Set<T> values, String type) {
    if (values.isEmpty()) {
      throw DynamoDbError.validation(
          "One or more parameter values were invalid: An " + type + " may not be empty");
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(values));
  }

  /** For messages: the value's type and, for scalars, a short rendering. */
  static String describe(Value v) {
    return v.type();
  }

  /** UTF-8 bytes of a string value, for key-size checks. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
