package dev.runfleet.publisher.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowCeilingsTest {

  private final Platform fargate = PlatformCatalog.defaults().all().get(0);
  private final Knobs knobs = new Knobs();
  private final List<String> warnings = new ArrayList<>();
  private final FlowCeilings ceilings = new FlowCeilings(knobs, 1000, 20, warnings::add);

  @Test
  void platformCap_belowTheCeiling_passesThrough() {
    knobs.cap = 1000;

    assertThat(ceilings.platformCap(fargate)).isEqualTo(1000);
    assertThat(warnings).isEmpty();
  }

  @Test
  void platformCap_aboveTheCeiling_isClampedWithOneWarningPerDistinctValue() {
    knobs.cap = 50_000;
    assertThat(ceilings.platformCap(fargate)).isEqualTo(1000);
    assertThat(ceilings.platformCap(fargate)).isEqualTo(1000);
    knobs.cap = 60_000;
    assertThat(ceilings.platformCap(fargate)).isEqualTo(1000);

    assertThat(warnings)
        .hasSize(2)
        .allSatisfy(w -> assertThat(w).contains("caps/" + fargate.name()).contains("using 1000"));
    assertThat(warnings.get(0)).contains("50000");
    assertThat(warnings.get(1)).contains("60000");
  }

  @Test
  void launchRate_aboveTheCeiling_isClampedWithItsBurst() {
    knobs.rate = new LaunchRate(500, 5000);

    assertThat(ceilings.launchRate()).isEqualTo(new LaunchRate(20, 20));
    assertThat(ceilings.launchRate()).isEqualTo(new LaunchRate(20, 20));
    assertThat(warnings).singleElement().asString().contains("launch-rate").contains("500/5000");
  }

  @Test
  void launchRate_withinTheCeiling_passesThroughUntouched() {
    knobs.rate = new LaunchRate(3, 10);

    assertThat(ceilings.launchRate()).isEqualTo(new LaunchRate(3, 10));
    assertThat(warnings).isEmpty();
  }

  @Test
  void launchRate_onlyTheBurstAbove_clampsTheBurstAlone() {
    knobs.rate = new LaunchRate(2, 100);

    assertThat(ceilings.launchRate()).isEqualTo(new LaunchRate(2, 20));
    assertThat(warnings).hasSize(1);
  }

  @Test
  void globalCapAndPause_areTheOperatorsAlone() {
    knobs.global = 100_000;
    knobs.paused = true;

    assertThat(ceilings.globalCap()).isEqualTo(100_000);
    assertThat(ceilings.paused()).isTrue();
    assertThat(warnings).isEmpty();
  }

  @Test
  void ceilings_mustBeACapAndAPositiveRate() {
    assertThatThrownBy(() -> new FlowCeilings(knobs, -1, 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FlowCeilings(knobs, 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** What SSM says, as a test sets it. */
  private static final class Knobs implements FlowSettings {
    int cap;
    int global;
    boolean paused;
    LaunchRate rate = LaunchRate.DEFAULT;

    @Override
    public int platformCap(Platform platform) {
      return cap;
    }

    @Override
    public int globalCap() {
      return global;
    }

    @Override
    public boolean paused() {
      return paused;
    }

    @Override
    public LaunchRate launchRate() {
      return rate;
    }
  }
}
