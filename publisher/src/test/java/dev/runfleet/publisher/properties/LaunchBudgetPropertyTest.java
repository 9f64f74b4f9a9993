package dev.runfleet.publisher.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.publisher.flow.FlowController;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One launch budget for the whole fleet: publishers running at once never start more runners in any
 * one-second window than the rate plus the burst allows.
 */
class LaunchBudgetPropertyTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private static EmbeddedDynamoDb ddb;
  private static DynamoDbClient client;

  @BeforeContainer
  static void startDynamoDb() {
    ddb = EmbeddedDynamoDb.start(0);
    client = ddb.client();
  }

  @AfterContainer
  static void stopDynamoDb() {
    client.close();
    ddb.close();
  }

  /**
   * The pacer lets a reservation go no earlier than its step of the shared budget, and a step is
   * only taken against the budget as last committed, so commits in any window of one second number
   * at most rate + burst (rate + 1 with burst 1). A commit happens between the reservation call and
   * its return, so the test counts only reservations whose whole call lies inside a window: a lower
   * bound of the true count, which makes any excess a real one.
   *
   * <p>Rates divide one million so the budget's microsecond interval is exact.
   */
  @Property(tries = 4, shrinking = ShrinkingMode.OFF)
  void concurrentPublishers_togetherNeverExceedTheLaunchRate(
      @ForAll @IntRange(min = 2, max = 6) int publishers,
      @ForAll("rates") int perSecond,
      @ForAll @IntRange(min = 1, max = 3) int burst,
      @ForAll @LongRange(min = 0, max = 4) long extraJobs) {
    // Two seconds' worth at the configured rate: enough for any excess to show in some window.
    int jobs = (int) (2 * perSecond + burst + extraJobs);
    try (FlowWorld world = new FlowWorld(client, "budget", 1);
        Workers workers = new Workers()) {
      world.settings().rate(new LaunchRate(perSecond, burst));
      FlowWorld.PLATFORMS.forEach(p -> world.settings().cap(p, 1000));
      world.settings().cap(TunableSettings.GLOBAL, 1000);
      for (int i = 1; i <= jobs; i++) {
        world.queue(i, FlowWorld.PLATFORMS.get(i % FlowWorld.PLATFORMS.size()), i * 1000L);
      }
      for (int i = 0; i < publishers; i++) {
        FlowController publisher = world.publisher();
        workers.repeatWhile(() -> world.store().reservedCount() < jobs, publisher::sweep);
      }
      workers.go();
      workers.join(Duration.ofSeconds(60));

      List<RecordingStore.Reserved> reserved =
          world.store().reserved().stream()
              .sorted(Comparator.comparingLong(RecordingStore.Reserved::startedNanos))
              .toList();
      assertThat(reserved).hasSize(jobs);
      int allowed = perSecond + burst;
      long peak = 0;
      for (RecordingStore.Reserved first : reserved) {
        long from = first.startedNanos();
        long inside =
            reserved.stream()
                .filter(r -> r.startedNanos() >= from && r.returnedNanos() < from + SECOND)
                .count();
        assertThat(inside)
            .as(
                "reservations within one second from %s ms (rate %d/s, burst %d)",
                (from - reserved.get(0).startedNanos()) / 1_000_000, perSecond, burst)
            .isLessThanOrEqualTo(allowed);
        peak = Math.max(peak, inside);
      }
      Statistics.label("peak reservations in one second, below rate + burst by")
          .collect(allowed - peak);
      assertThat(world.store().problems()).isEmpty();
    }
  }

  @Provide
  Arbitrary<Integer> rates() {
    return Arbitraries.of(5, 8, 10);
  }
}
