package dev.runfleet.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import org.junit.jupiter.api.Test;

class RuntimeParametersTest {

  @Test
  void names_followTheDocumentedLayout() {
    assertThat(RuntimeParameters.cap("prod", "fargate")).isEqualTo("/runfleet/prod/caps/fargate");
    assertThat(RuntimeParameters.cap("prod", RuntimeParameters.GLOBAL))
        .isEqualTo("/runfleet/prod/caps/global");
    assertThat(RuntimeParameters.launchRate("prod")).isEqualTo("/runfleet/prod/launch-rate");
    assertThat(RuntimeParameters.paused("prod")).isEqualTo("/runfleet/prod/paused");
  }

  @Test
  void caps_areWholeNumbersFromZero() {
    assertThat(RuntimeParameters.parseCap(" 12 ")).hasValue(12);
    assertThat(RuntimeParameters.parseCap("0")).hasValue(0);
    assertThat(RuntimeParameters.parseCap("-1")).isEmpty();
    assertThat(RuntimeParameters.parseCap("1.5")).isEmpty();
    assertThat(RuntimeParameters.parseCap("ten")).isEmpty();
    assertThat(RuntimeParameters.parseCap("100001")).isEmpty();
    assertThat(RuntimeParameters.parseCap(null)).isEmpty();
  }

  @Test
  void paused_isTrueOrFalseOnly() {
    assertThat(RuntimeParameters.parsePaused("TRUE")).contains(true);
    assertThat(RuntimeParameters.parsePaused("false")).contains(false);
    assertThat(RuntimeParameters.parsePaused("yes")).isEmpty();
  }

  @Test
  void launchRate_isRateWithOptionalBurst() {
    assertThat(RuntimeParameters.parseLaunchRate("3")).contains(new LaunchRate(3, 3));
    assertThat(RuntimeParameters.parseLaunchRate("2.5/10")).contains(new LaunchRate(2.5, 10));
    assertThat(RuntimeParameters.parseLaunchRate("0")).isEmpty();
    assertThat(RuntimeParameters.parseLaunchRate("-3")).isEmpty();
    assertThat(RuntimeParameters.parseLaunchRate("3/0")).isEmpty();
    assertThat(RuntimeParameters.parseLaunchRate("3/4/5")).isEmpty();
    assertThat(RuntimeParameters.parseLaunchRate("NaN")).isEmpty();
    assertThat(LaunchRate.DEFAULT.perSecond()).isLessThanOrEqualTo(3);
  }
}
