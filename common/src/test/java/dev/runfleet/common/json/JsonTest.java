package dev.runfleet.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static final ObjectMapper DATABIND = new ObjectMapper();

  @Test
  void read_keepsWholeNumbersApartFromFractionsAndPastLongs() throws Exception {
    JsonObject o =
        JsonObject.of(
            Json.read(
                "{\"small\":7,\"long\":9007199254740993,\"big\":9223372036854775808,"
                    + "\"fraction\":1.5,\"exp\":1e3}"));

    assertThat(o.get("small")).isEqualTo(7L);
    assertThat(o.get("long")).isEqualTo(9007199254740993L);
    assertThat(o.get("big")).isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(o.get("fraction")).isEqualTo(1.5);
    assertThat(o.get("exp")).isEqualTo(1000.0);
    assertThat(Json.isLong(o.get("long"))).isTrue();
    assertThat(Json.isLong(o.get("big"))).isFalse();
    assertThat(Json.isWholeNumber(o.get("big"))).isTrue();
    assertThat(Json.isWholeNumber(o.get("fraction"))).isFalse();
  }

  @Test
  void numberChecks_answerAsDatabindsTreeDid() throws Exception {
    for (String number :
        List.of(
            "0",
            "-1",
            "2147483647",
            "2147483648",
            "-2147483649",
            "1.9",
            "-2.5e9",
            "1e300",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809")) {
      JsonNode node = DATABIND.readTree(number);
      Object value = Json.read(number);
      assertThat(Json.isWholeNumber(value)).as(number).isEqualTo(node.isIntegralNumber());
      assertThat(Json.isLong(value))
          .as(number)
          .isEqualTo(node.isIntegralNumber() && node.canConvertToLong());
      assertThat(Json.fitsInt(value)).as(number).isEqualTo(node.canConvertToInt());
      if (node.canConvertToInt()) {
        assertThat(Json.intValue(value)).as(number).isEqualTo(node.intValue());
      }
      assertThat(Json.asText(value)).as(number).isEqualTo(node.asText());
    }
  }

  @Test
  void asTextAndAsBoolean_answerAsDatabindsTreeDid() throws Exception {
    for (String value :
        List.of(
            "\"x\"",
            "\"true\"",
            "\" false \"",
            "\"yes\"",
            "true",
            "false",
            "null",
            "0",
            "2",
            "{}",
            "[]",
            "[1]")) {
      JsonNode node = DATABIND.readTree(value);
      Object read = Json.read(value);
      assertThat(Json.asText(read)).as(value).isEqualTo(node.asText());
      assertThat(Json.asBoolean(read, false)).as(value).isEqualTo(node.asBoolean(false));
      assertThat(Json.asBoolean(read, true)).as(value).isEqualTo(node.asBoolean(true));
    }
  }

  @Test
  void asIntAndAsLong_answerAsDatabindsTreeDid() throws Exception {
    for (String value :
        List.of(
            "7",
            "-7",
            "3000000000",
            "1.9",
            "-1e3",
            "\" 42 \"",
            "\"+5\"",
            "\"-5\"",
            "\"1.5\"",
            "\"3000000000\"",
            "\"x\"",
            "\"\"",
            "true",
            "false",
            "null",
            "{}",
            "[]",
            "9223372036854775808")) {
      JsonNode node = DATABIND.readTree(value);
      Object read = Json.read(value);
      assertThat(Json.asInt(read, 10)).as(value).isEqualTo(node.asInt(10));
      assertThat(Json.asLong(read, 10)).as(value).isEqualTo(node.asLong(10));
    }
  }

  @Test
  void read_fieldNamedTwice_keepsTheLastValue() throws Exception {
    assertThat(JsonObject.of(Json.read("{\"a\":1,\"a\":\"two\"}")).get("a")).isEqualTo("two");
  }

  @Test
  void read_readsTheFirstValueOnly_asDatabindsReadTree() throws Exception {
    assertThat(Json.read("[1] trailing")).isEqualTo(List.of(1L));
    assertThat(DATABIND.readTree("[1] trailing").size()).isEqualTo(1);
  }

  @Test
  void read_noContent_isNull_andJsonNullIsNull() throws Exception {
    assertThat(Json.read("  ")).isNull();
    assertThat(Json.read(new byte[0])).isNull();
    assertThat(Json.read("null")).isNull();
    assertThat(JsonObject.of(Json.read("{\"a\":null}")).has("a")).isTrue();
  }

  @Test
  void read_notJson_throwsTheParsersException() {
    assertThatThrownBy(() -> Json.read("{\"a\":")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.read("nope")).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void typedAccess_treatsAWrongTypeAsAbsent() throws Exception {
    JsonObject o =
        JsonObject.of(Json.read("{\"s\":\"x\",\"n\":1,\"o\":{\"k\":\"v\"},\"a\":[1],\"b\":true}"));

    assertThat(o.text("s")).isEqualTo("x");
    assertThat(o.text("n")).isNull();
    assertThat(o.object("o").text("k")).isEqualTo("v");
    assertThat(o.object("s").fields()).isEmpty();
    assertThat(o.array("a")).containsExactly(1L);
    assertThat(o.array("o")).isNull();
    assertThat(o.items("missing")).isEmpty();
    assertThat(o.bool("b", false)).isTrue();
    assertThat(o.bool("s", false)).isFalse();
    assertThat(o.asText("n")).isEqualTo("1");
    assertThat(o.asText("missing")).isEmpty();
    assertThat(o.asText("missing", "dflt")).isEqualTo("dflt");
  }

  @Test
  void write_producesWhatDatabindWrites() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "quote \" and \u00e9 and \n");
    value.put("int", 3);
    value.put("long", 9007199254740993L);
    value.put("big", new BigInteger("9223372036854775808"));
    value.put("double", 2.5);
    value.put("bool", true);
    value.put("null", null);
    value.put("list", Arrays.asList("a", 1L, null));
    value.put("nested", Map.of("k", "v"));

    String written = Json.write(value);

    assertThat(written).isEqualTo(DATABIND.writeValueAsString(value));
    assertThat(Json.write(Json.read(written))).isEqualTo(written);
  }
}
