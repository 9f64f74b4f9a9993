package dev.runfleet.emulators.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A string's size is its UTF-8 length, counted once and kept; equality is by text alone. */
class ValueTest {

  @ParameterizedTest
  @CsvSource({"a, 1", "é, 2", "€, 3", "😀, 4", "a😀é€, 10", "'', 0"})
  void stringSize_isItsUtf8Length_atEveryAsk(String text, long bytes) {
    Value s = Value.s(text);

    assertThat(s.size()).isEqualTo(bytes);
    assertThat(s.size()).as("asked again, from the kept count").isEqualTo(bytes);
    assertThat(s.size()).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Test
  void strings_areEqualAndHashAlike_byTheirTextAlone() {
    Value measured = Value.s("runner-€");
    measured.size();

    assertThat(measured).isEqualTo(Value.s("runner-€")).hasSameHashCodeAs(Value.s("runner-€"));
    assertThat(measured).isNotEqualTo(Value.s("runner-$")).isNotEqualTo(Value.n("1"));
    assertThat(measured).hasToString("S[value=runner-€]");
  }

  @Test
  void itemSize_addsNamesAndValues() {
    Map<String, Value> item = new LinkedHashMap<>();
    item.put("pk", Value.s("job#1"));
    item.put("é", Value.s("😀"));

    assertThat(Value.itemSize(item)).as("pk, job#1, é, 😀").isEqualTo(2 + 5 + 2 + 4);
  }
}
