package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RatesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static List<Instant> everyMillis(int count, long millis) {
    return IntStream.range(0, count).mapToObj(i -> T0.plusMillis(i * millis)).toList();
  }

  @Test
  void peakPerSecond_evenSpacing_countsAHalfOpenWindow() {
    // 20 per second exactly: the 21st instant falls on the window's open end.
    assertThat(Rates.peakPerSecond(everyMillis(100, 50))).isEqualTo(20);
  }

  @Test
  void peakPerSecond_burstThenSteady_countsTheBurst() {
    List<Instant> instants =
        List.of(
            T0,
            T0,
            T0,
            T0.plusMillis(300),
            T0.plusMillis(999),
            T0.plusMillis(1000),
            T0.plusMillis(1998));
    assertThat(Rates.peakPerSecond(instants)).isEqualTo(5);
  }

  @Test
  void peakPerSecond_noInstants_isZero() {
    assertThat(Rates.peakPerSecond(List.of())).isZero();
  }

  @Test
  void achieved_isIntervalsOverSpan() {
    assertThat(Rates.achieved(everyMillis(201, 50))).isEqualTo(20.0);
    assertThat(Rates.achieved(List.of(T0))).isZero();
  }

  @Test
  void peakLimit_isBurstPlusCeilRateMinusOne() {
    assertThat(Rates.peakLimit(20, 1)).isEqualTo(20);
    assertThat(Rates.peakLimit(3, 10)).isEqualTo(12);
    assertThat(Rates.peakLimit(2.5, 1)).isEqualTo(3);
  }

  @Test
  void median_oddAndEven() {
    assertThat(Rates.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Rates.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(Rates.median(new double[0])).isZero();
  }
}
