package dev.runfleet.publisher.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.port.FlowControlStore.Reservation;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.publisher.flow.Change;
import dev.runfleet.publisher.flow.FlowController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Caps hold at every instant: several publishers sweep at once while jobs arrive, runners finish
 * and the operator moves caps up and down. A monitor thread reads the counters and runner records
 * atomically over and over; the driver checks again after each step and at the end.
 */
class CapsPropertyTest {

  /** Runner records a snapshot can read atomically, with the four counters. */
  private static final int MAX_JOBS = 90;

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

  /** One step of the driver, which plays GitHub, the orchestrators and the operator. */
  sealed interface Step {
    /** GitHub queues jobs on a platform; the stream hands them to one publisher. */
    record Queue(int platform, int jobs, int via) implements Step {}

    /**
     * Jobs run and complete on runners of a platform, which then stop and give back their slots.
     */
    record Finish(int platform, int runners, int via) implements Step {}

    record SetCap(int platform, int cap) implements Step {}

    record SetGlobalCap(int cap) implements Step {}
  }

  record Caps(List<Integer> platforms, int global) {}

  @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
  void caps_neverExceeded_byConcurrentPublishers_whileCapsChange(
      @ForAll @IntRange(min = 2, max = 5) int publishers,
      @ForAll("caps") Caps initial,
      @ForAll("plans") List<Step> plan) {
    try (FlowWorld world = new FlowWorld(client, "caps", 1);
        Workers workers = new Workers()) {
      TunableSettings settings = world.settings();
      for (int p = 0; p < FlowWorld.PLATFORMS.size(); p++) {
        settings.cap(FlowWorld.PLATFORMS.get(p), initial.platforms().get(p));
      }
      settings.cap(TunableSettings.GLOBAL, initial.global());
      List<FlowController> fleet = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        FlowController publisher = world.publisher();
        fleet.add(publisher);
        workers.repeat(publisher::sweep);
      }
      Queue<String> violations = new ConcurrentLinkedQueue<>();
      AtomicInteger observations = new AtomicInteger();
      AtomicBoolean atCap = new AtomicBoolean();
      workers.repeatWhile(
          violations::isEmpty,
          () -> {
            FlowWorld.Snapshot snapshot = world.snapshot();
            check(world, snapshot, "monitor", violations);
            if (snapshot.atCap(settings)) {
              atCap.set(true);
            }
            observations.incrementAndGet();
          });
      workers.go();

      long nextJob = 1;
      for (Step step : plan) {
        if (step instanceof Step.Queue q) {
          String platform = FlowWorld.PLATFORMS.get(q.platform());
          List<Change> changes = new ArrayList<>();
          for (int i = 0; i < q.jobs() && nextJob <= MAX_JOBS; i++, nextJob++) {
            changes.add(world.queued(world.queue(nextJob, platform, nextJob * 1000)));
          }
          if (!changes.isEmpty()) {
            world.feed(fleet.get(q.via() % publishers), changes);
          }
        } else if (step instanceof Step.Finish f) {
          String platform = FlowWorld.PLATFORMS.get(f.platform());
          world.snapshot().runners().stream()
              .filter(r -> r.platform().equals(platform) && !r.status().isTerminal())
              .map(Runner::name)
              .sorted()
              .limit(f.runners())
              .forEach(name -> world.runAndStop(name, fleet.get(f.via() % publishers)));
        } else if (step instanceof Step.SetCap c) {
          settings.cap(FlowWorld.PLATFORMS.get(c.platform()), c.cap());
        } else if (step instanceof Step.SetGlobalCap g) {
          settings.cap(TunableSettings.GLOBAL, g.cap());
        }
        check(world, world.snapshot(), "after " + step, violations);
      }
      workers.stopAndJoin(Duration.ofSeconds(30));

      FlowWorld.Snapshot last = world.snapshot();
      check(world, last, "at quiescence", violations);
      assertThat(violations).isEmpty();
      assertThat(world.store().problems()).isEmpty();
      assertThat(observations).hasPositiveValue();
      Statistics.label("a platform was seen at its cap").collect(atCap.get());
      Statistics.label("a cap condition refused a reservation a pass thought had room")
          .collect(
              world.store().count(Reservation.PLATFORM_FULL)
                      + world.store().count(Reservation.GLOBAL_FULL)
                  > 0);
      Map<JobKey, Integer> runnersPerJob = new HashMap<>();
      world.runners().forEach(r -> runnersPerJob.merge(r.jobKey(), 1, Integer::sum));
      assertThat(runnersPerJob).allSatisfy((job, count) -> assertThat(count).isEqualTo(1));
      for (Job job : world.jobs()) {
        assertThat(job.dispatchCount()).as("dispatches of %s", job.key()).isLessThanOrEqualTo(1);
      }
    }
  }

  private static void check(
      FlowWorld world, FlowWorld.Snapshot snapshot, String when, Queue<String> violations) {
    snapshot.slotsMatchRunners().forEach(v -> violations.add(when + ": " + v));
    snapshot.capsHeld(world.store()).forEach(v -> violations.add(when + ": " + v));
  }

  @Provide
  Arbitrary<Caps> caps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4).list().ofSize(FlowWorld.PLATFORMS.size()),
            Arbitraries.integers().between(1, 8))
        .as(Caps::new);
  }

  @Provide
  Arbitrary<List<Step>> plans() {
    Arbitrary<Integer> platform = Arbitraries.integers().between(0, FlowWorld.PLATFORMS.size() - 1);
    Arbitrary<Integer> via = Arbitraries.integers().between(0, 5);
    Arbitrary<Step> queue =
        Combinators.combine(platform, Arbitraries.integers().between(1, 5), via)
            .as(Step.Queue::new);
    Arbitrary<Step> finish =
        Combinators.combine(platform, Arbitraries.integers().between(1, 3), via)
            .as(Step.Finish::new);
    Arbitrary<Step> setCap =
        Combinators.combine(platform, Arbitraries.integers().between(0, 5)).as(Step.SetCap::new);
    Arbitrary<Step> setGlobal = Arbitraries.integers().between(1, 10).map(Step.SetGlobalCap::new);
    return Arbitraries.frequencyOf(
            Tuple.of(4, queue), Tuple.of(3, finish), Tuple.of(2, setCap), Tuple.of(1, setGlobal))
        .list()
        .ofMinSize(4)
        .ofMaxSize(14);
  }
}
