package dev.runfleet.producer.hookranges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookRangesTest {

  /** GitHub's hooks list as its meta API gave it. */
  static final String GITHUB =
      "192.30.252.0/22,185.199.108.0/22,140.82.112.0/20,143.55.64.0/20,2a0a:a440::/29,"
          + "2606:50c0::/32";

  @Test
  void parse_githubsList_admitsItsAddressesOnly() {
    HookRanges ranges = HookRanges.parse(GITHUB);

    assertThat(ranges.ranges()).hasSize(6);
    assertThat(ranges.admits("140.82.115.4")).isTrue();
    assertThat(ranges.admits("2606:50c0:8000::154")).isTrue();
    assertThat(ranges.admits("::ffff:185.199.108.1")).isTrue();
    assertThat(ranges.admits("203.0.113.9")).isFalse();
    assertThat(ranges.admits(null)).isFalse();
    assertThat(ranges.admits("not an address")).isFalse();
    assertThat(ranges.value()).isEqualTo(GITHUB);
  }

  @Test
  void parse_whenMissingEmptyOrInvalid_refusesSayingWhy() {
    assertThatThrownBy(() -> HookRanges.parse(null)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> HookRanges.parse(" ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> HookRanges.parse("192.30.252.0/22,,2a0a:a440::/29"))
        .hasMessageContaining("entry 2");
    assertThatThrownBy(() -> HookRanges.parse("192.30.252.0/22,10.0.0.1"))
        .hasMessageContaining("entry 2")
        .hasMessageContaining("10.0.0.1");
    assertThatThrownBy(() -> HookRanges.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_whenTheValueWouldNotFitAParameter_refuses() {
    List<String> many = Collections.nCopies(300, "192.30.252.0/22");

    assertThatThrownBy(() -> HookRanges.of(many)).hasMessageContaining("4096");
  }
}
