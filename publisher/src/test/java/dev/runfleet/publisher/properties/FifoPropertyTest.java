package dev.runfleet.publisher.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.publisher.flow.Change;
import dev.runfleet.publisher.flow.FlowController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * FIFO per platform: a job is never dispatched while an older job of its platform waits, whatever
 * order the jobs were queued in.
 */
class FifoPropertyTest {

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

  /** A job of the backlog: its platform and when GitHub queued it. */
  record Queued(int platform, long queuedAtMillis) {}

  /** One step of the single publisher's world. */
  sealed interface Step {
    /** The periodic sweep. */
    record Sweep() implements Step {}

    /** A job arrives late, possibly older than jobs already dispatched (webhooks come late). */
    record Arrive(int platform, long queuedAtMillis) implements Step {}

    /** A runner of the platform finishes its job and stops, freeing a slot. */
    record Finish(int platform) implements Step {}

    /** A runner's launch fails: its job goes back to the queue, keeping its place in line. */
    record FailLaunch(int platform) implements Step {}

    record SetCap(int platform, int cap) implements Step {}
  }

  record Caps(List<Integer> platforms, int global) {}

  /**
   * One publisher, every step in sequence, so the state the reservation committed against is the
   * state right after it: at that moment no job of its platform may be older.
   */
  @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
  void onePublisher_alwaysReservesTheOldestQueuedJobOfThePlatform(
      @ForAll("backlogs") List<Queued> backlog,
      @ForAll("caps") Caps caps,
      @ForAll("plans") List<Step> plan) {
    try (FlowWorld world = new FlowWorld(client, "fifo1", FlowWorld.MAX_LAUNCH_ATTEMPTS)) {
      apply(world.settings(), caps);
      FlowController publisher = world.publisher();
      List<String> violations = new ArrayList<>();
      world
          .store()
          .afterReserved(
              reserved ->
                  world.store().oldestQueued(reserved.job().platform(), 1).stream()
                      .filter(head -> sortKey(head).compareTo(sortKey(reserved.job())) < 0)
                      .forEach(
                          head ->
                              violations.add(
                                  "reserved "
                                      + describe(reserved.job())
                                      + " while "
                                      + describe(head)
                                      + " waited")));
      long nextId = 1;
      List<Change> arrivals = new ArrayList<>();
      for (Queued q : backlog) {
        arrivals.add(
            world.queued(
                world.queue(nextId++, FlowWorld.PLATFORMS.get(q.platform()), q.queuedAtMillis())));
      }
      world.feed(publisher, arrivals);
      for (Step step : plan) {
        if (step instanceof Step.Sweep) {
          publisher.sweep();
        } else if (step instanceof Step.Arrive a) {
          Job job =
              world.queue(nextId++, FlowWorld.PLATFORMS.get(a.platform()), a.queuedAtMillis());
          world.feed(publisher, List.of(world.queued(job)));
        } else if (step instanceof Step.Finish f) {
          waiting(world, f.platform())
              .findFirst()
              .ifPresent(r -> world.runAndStop(r.name(), publisher));
        } else if (step instanceof Step.FailLaunch f) {
          waiting(world, f.platform())
              .filter(r -> relaunchable(world, r))
              .findFirst()
              .ifPresent(r -> world.failLaunch(r.name(), publisher));
        } else if (step instanceof Step.SetCap c) {
          world.settings().cap(FlowWorld.PLATFORMS.get(c.platform()), c.cap());
        }
      }
      FlowWorld.PLATFORMS.forEach(p -> world.settings().cap(p, 1000));
      world.settings().cap(TunableSettings.GLOBAL, 1000);
      publisher.sweep();

      assertThat(violations).isEmpty();
      assertThat(world.store().problems()).isEmpty();
      assertThat(world.jobs()).noneMatch(j -> j.status() == JobStatus.QUEUED);
    }
  }

  /**
   * Several publishers at once, in rounds with different caps that stop the run early: at the end
   * of every round each platform's dispatched jobs are all older than its waiting ones.
   */
  @Property(tries = 8, shrinking = ShrinkingMode.BOUNDED)
  void concurrentPublishers_neverLeaveAnOlderJobWaitingBehindADispatchedOne(
      @ForAll @IntRange(min = 2, max = 6) int publishers,
      @ForAll("backlogs") List<Queued> backlog,
      @ForAll("rounds") List<Caps> rounds) {
    try (FlowWorld world = new FlowWorld(client, "fifo2", 1)) {
      List<Job> jobs = new ArrayList<>();
      for (Queued q : backlog) {
        jobs.add(
            world.queue(
                jobs.size() + 1, FlowWorld.PLATFORMS.get(q.platform()), q.queuedAtMillis()));
      }
      List<FlowController> fleet = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        fleet.add(world.publisher());
      }
      for (int round = 0; round < rounds.size(); round++) {
        apply(world.settings(), rounds.get(round));
        try (Workers workers = new Workers()) {
          for (int i = 0; i < publishers; i++) {
            FlowController publisher = fleet.get(i);
            // Half the fleet reacts to a job's queued change, half sweeps: both dispatch paths.
            Job trigger = jobs.get((round * publishers + i) % jobs.size());
            if (i % 2 == 0) {
              workers.once(publisher::sweep);
            } else {
              workers.once(() -> world.feed(publisher, List.of(world.queued(trigger))));
            }
          }
          workers.go();
          workers.join(Duration.ofSeconds(30));
        }
        assertThat(fifoViolations(world.jobs())).as("after round %d", round + 1).isEmpty();
        assertThat(world.snapshot().slotsMatchRunners()).isEmpty();
      }
      assertThat(world.store().problems()).isEmpty();
      Map<JobKey, Integer> runnersPerJob = new HashMap<>();
      world.runners().forEach(r -> runnersPerJob.merge(r.jobKey(), 1, Integer::sum));
      assertThat(runnersPerJob.values()).allMatch(n -> n == 1);
    }
  }

  private static List<String> fifoViolations(List<Job> jobs) {
    List<String> violations = new ArrayList<>();
    for (String platform : FlowWorld.PLATFORMS) {
      List<Job> mine = jobs.stream().filter(j -> j.platform().equals(platform)).toList();
      Optional<Job> newestDispatched =
          mine.stream()
              .filter(j -> j.status() != JobStatus.QUEUED)
              .max((a, b) -> sortKey(a).compareTo(sortKey(b)));
      Optional<Job> oldestWaiting =
          mine.stream()
              .filter(j -> j.status() == JobStatus.QUEUED)
              .min((a, b) -> sortKey(a).compareTo(sortKey(b)));
      if (newestDispatched.isPresent()
          && oldestWaiting.isPresent()
          && sortKey(newestDispatched.get()).compareTo(sortKey(oldestWaiting.get())) > 0) {
        violations.add(
            platform
                + ": "
                + describe(newestDispatched.get())
                + " was dispatched while "
                + describe(oldestWaiting.get())
                + " still waits");
      }
    }
    return violations;
  }

  private static String sortKey(Job job) {
    return JobsTable.queueSortKey(job.queuedAt(), job.key());
  }

  private static String describe(Job job) {
    return "job " + job.key() + " (queued at " + job.queuedAt() + ")";
  }

  private static void apply(TunableSettings settings, Caps caps) {
    for (int p = 0; p < FlowWorld.PLATFORMS.size(); p++) {
      settings.cap(FlowWorld.PLATFORMS.get(p), caps.platforms().get(p));
    }
    settings.cap(TunableSettings.GLOBAL, caps.global());
  }

  /** Runners of the platform that were requested and wait for their job. */
  private static Stream<Runner> waiting(FlowWorld world, int platform) {
    return world.runners().stream()
        .filter(r -> r.platform().equals(FlowWorld.PLATFORMS.get(platform)))
        .filter(r -> r.status() == RunnerStatus.REQUESTED);
  }

  private static boolean relaunchable(FlowWorld world, Runner runner) {
    return world
        .job(runner.jobKey())
        .filter(j -> j.status() == JobStatus.DISPATCHED)
        .filter(j -> j.dispatchCount() < FlowWorld.MAX_LAUNCH_ATTEMPTS)
        .isPresent();
  }

  @Provide
  Arbitrary<List<Queued>> backlogs() {
    return Combinators.combine(
            Arbitraries.integers().between(0, FlowWorld.PLATFORMS.size() - 1),
            Arbitraries.longs().between(0, 3_600_000))
        .as(Queued::new)
        .list()
        .ofMinSize(2)
        .ofMaxSize(14)
        .uniqueElements(Queued::queuedAtMillis);
  }

  @Provide
  Arbitrary<Caps> caps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 3).list().ofSize(FlowWorld.PLATFORMS.size()),
            Arbitraries.integers().between(1, 6))
        .as(Caps::new);
  }

  @Provide
  Arbitrary<List<Caps>> rounds() {
    return caps().list().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<Step>> plans() {
    Arbitrary<Integer> platform = Arbitraries.integers().between(0, FlowWorld.PLATFORMS.size() - 1);
    return Arbitraries.<Step>frequencyOf(
            Tuple.of(2, Arbitraries.just(new Step.Sweep())),
            Tuple.of(
                2,
                Combinators.combine(platform, Arbitraries.longs().between(0, 3_600_000))
                    .as(Step.Arrive::new)),
            Tuple.of(3, platform.map(Step.Finish::new)),
            Tuple.of(2, platform.map(Step.FailLaunch::new)),
            Tuple.of(
                1,
                Combinators.combine(platform, Arbitraries.integers().between(0, 3))
                    .as(Step.SetCap::new)))
        .list()
        .ofMinSize(2)
        .ofMaxSize(14);
  }
}
