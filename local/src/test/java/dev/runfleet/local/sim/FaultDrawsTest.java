package dev.runfleet.local.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultDrawsTest {

  private static final int DRAWS = 100_000;

  private static List<Boolean> rolls(long seed, double rate) {
    FaultDraws draws = new FaultDraws();
    draws.reseed(seed);
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      out.add(draws.roll("x", rate));
    }
    return out;
  }

  @Test
  void roll_overASeededRun_hitsAtItsRateWithinTolerance_andCountsEachHit() {
    FaultDraws draws = new FaultDraws();
    draws.reseed(42);
    int hits = 0;
    for (int i = 0; i < DRAWS; i++) {
      hits += draws.roll("duplicate", 0.2) ? 1 : 0;
    }

    assertThat(hits / (double) DRAWS).isCloseTo(0.2, offset(0.01));
    assertThat(draws.counts()).containsEntry("duplicate", hits);
  }

  @Test
  void pick_overASeededRun_choosesEachOutcomeAtItsRate_andNoneForTheRest() {
    FaultDraws draws = new FaultDraws();
    draws.reseed(7);
    int[] chosen = new int[4];
    int none = 0;
    for (int i = 0; i < DRAWS; i++) {
      int pick = draws.pick(0.05, 0.05, 0.1, 0.2);
      if (pick < 0) {
        none++;
      } else {
        chosen[pick]++;
      }
    }

    assertThat(chosen[0] / (double) DRAWS).isCloseTo(0.05, offset(0.005));
    assertThat(chosen[1] / (double) DRAWS).isCloseTo(0.05, offset(0.005));
    assertThat(chosen[2] / (double) DRAWS).isCloseTo(0.1, offset(0.007));
    assertThat(chosen[3] / (double) DRAWS).isCloseTo(0.2, offset(0.01));
    assertThat(none / (double) DRAWS).isCloseTo(0.6, offset(0.01));
  }

  @Test
  void sameSeed_drawsTheSameFaults_andAnotherSeedOthers() {
    assertThat(rolls(11, 0.3)).isEqualTo(rolls(11, 0.3));
    assertThat(rolls(11, 0.3)).isNotEqualTo(rolls(12, 0.3));
  }

  @Test
  void zeroRate_drawsNothing_soFaultsOffLeaveTheSequenceAsItWas() {
    FaultDraws touched = new FaultDraws();
    touched.reseed(5);
    for (int i = 0; i < 100; i++) {
      assertThat(touched.roll("lost", 0)).isFalse();
      assertThat(touched.pick(0, 0)).isEqualTo(-1);
    }
    FaultDraws fresh = new FaultDraws();
    fresh.reseed(5);

    assertThat(touched.between(0, 1_000_000)).isEqualTo(fresh.between(0, 1_000_000));
    assertThat(touched.counts()).isEmpty();
  }

  @Test
  void rates_outsideZeroToOne_orFatesAddingUpPastOne_areRefused() {
    assertThatThrownBy(() -> new GitHubFaults(1.5, 0, 0, 0, 1))
        .hasMessageContaining("duplicateRate must be within [0, 1]");
    assertThatThrownBy(() -> new HostFaults(0, 0.5, 0.5, 0.5, 0, 1))
        .hasMessageContaining("add up to");
    assertThatThrownBy(() -> new JobFaults(java.util.Set.of("requested"), HostFate.NORMAL))
        .hasMessageContaining("unknown webhook to lose 'requested'");
  }

  @Test
  void hostFate_wireNames_roundTrip_andUnknownNamesAreEmpty() {
    for (HostFate fate : HostFate.values()) {
      assertThat(HostFate.fromWire(fate.wireName())).contains(fate);
    }
    assertThat(HostFate.fromWire("never-registers")).contains(HostFate.NEVER_REGISTERS);
    assertThat(HostFate.fromWire("NEVER_REGISTERS")).isEmpty();
  }
}
