package dev.runfleet.publisher.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The dispatch log line's queue age reads in a unit a person can take in. */
class QueueAgeTest {

  @Test
  void readable_ofAShortWait_isInMilliseconds() {
    assertThat(FlowController.readable(Duration.ofMillis(164))).isEqualTo("164 ms");
  }

  @Test
  void readable_ofSeconds_isInSecondsWithOneDecimal() {
    assertThat(FlowController.readable(Duration.ofMillis(12_340))).isEqualTo("12.3 s");
  }

  @Test
  void readable_ofAReplayedPayloadYearsOld_isInDays_notElevenDigitMilliseconds() {
    // GitHub's example payloads were created in 2021: the age the issue saw as 164964800228 ms.
    assertThat(FlowController.readable(Duration.ofMillis(164_964_800_228L))).isEqualTo("1909 days");
  }

  @Test
  void readable_ofAClockSkewedNegativeAge_isZero() {
    assertThat(FlowController.readable(Duration.ofMillis(-5))).isEqualTo("0 ms");
  }
}
