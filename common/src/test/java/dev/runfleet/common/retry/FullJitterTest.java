package dev.runfleet.common.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FullJitterTest {

  private static final Duration BASE = Duration.ofMillis(100);
  private static final Duration CAP = Duration.ofSeconds(1);

  @Test
  void delay_staysWithinTheDoublingCeiling() {
    for (int retry = 1; retry <= 4; retry++) {
      Duration ceiling = BASE.multipliedBy(1L << (retry - 1));
      int n = retry;
      assertThat(IntStream.range(0, 500).mapToObj(i -> FullJitter.delay(BASE, CAP, n)))
          .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, ceiling));
    }
  }

  @Test
  void delay_neverExceedsTheCap_howeverManyRetries() {
    assertThat(IntStream.range(0, 500).mapToObj(i -> FullJitter.delay(BASE, CAP, 60)))
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, CAP));
  }

  @Test
  void delay_isSpreadOverItsRange_notConstant() {
    long distinct =
        IntStream.range(0, 200).mapToObj(i -> FullJitter.delay(BASE, CAP, 3)).distinct().count();
    assertThat(distinct).isGreaterThan(100);
  }
}
