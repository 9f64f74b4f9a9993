package dev.runfleet.publisher.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SqsWakeUpsTest {

  private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

  @Test
  void delay_isRoundedUpToWholeSeconds_soTheWakeUpNeverComesBeforeTheRefill() {
    assertThat(SqsWakeUps.delaySeconds(NOW.plusMillis(1), NOW)).isEqualTo(1);
    assertThat(SqsWakeUps.delaySeconds(NOW.plusSeconds(1), NOW)).isEqualTo(1);
    assertThat(SqsWakeUps.delaySeconds(NOW.plusMillis(1001), NOW)).isEqualTo(2);
  }

  @Test
  void delay_ofAMomentPassed_isZero_andOfOneBeyondFifteenMinutes_isSqsMaximum() {
    assertThat(SqsWakeUps.delaySeconds(NOW, NOW)).isZero();
    assertThat(SqsWakeUps.delaySeconds(NOW.minusSeconds(5), NOW)).isZero();
    assertThat(SqsWakeUps.delaySeconds(NOW.plus(Duration.ofHours(2)), NOW)).isEqualTo(900);
  }
}
