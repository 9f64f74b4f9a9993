package dev.runfleet.publisher.properties;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.contract.RunnerCommand;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every runnable job gets exactly one runner, whatever the interleaving: publishers sweeping at
 * once, two of them reading the same queue head, GitHub cancelling a job between a publisher's read
 * and its reservation, launches failing and jobs going back to the queue, and stream changes
 * delivered again in any order.
 */
class ExactlyOncePropertyTest {

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

  /** One step of the driver, which plays GitHub, the orchestrators, the operator and the stream. */
  sealed interface Step {
    /** GitHub queues the next jobs; the stream hands them to one publisher. */
    record Queue(int jobs, int via) implements Step {}

    /** The stream delivers the reservations committed so far: spin-ups go out. */
    record Announce(int via) implements Step {}

    /** A job runs and completes on an announced runner, which stops. */
    record Finish(int platform, int via) implements Step {}

    /**
     * GitHub runs a queued or dispatched job on an idle announced runner, which may have been
     * requested for another job, even of another platform: runners are fungible.
     */
    record Steal(int job, int runner, int via) implements Step {}

    /** An announced runner's launch fails for good: its job goes back to the queue. */
    record FailLaunch(int platform, int via) implements Step {}

    /** GitHub cancels a queued job. */
    record Cancel(int job, int via) implements Step {}

    /**
     * GitHub cancels the next job a publisher is about to reserve, after the publisher read it from
     * the queue index.
     */
    record CancelDuringReservation() implements Step {}

    /**
     * Another publisher runs a whole dispatch pass between the next reservation's index read and
     * its transaction, so both read the same queue head.
     */
    record RivalDuringReservation() implements Step {}

    /** The stream delivers an earlier change again. */
    record Redeliver(int change, int via) implements Step {}

    record SetCap(int platform, int cap) implements Step {}
  }

  @Property(tries = 8, shrinking = ShrinkingMode.BOUNDED)
  void everyRunnableJob_isDispatchedExactlyOnce_andDuplicatesChangeNothing(
      @ForAll @IntRange(min = 2, max = 4) int publishers,
      @ForAll @Size(min = 2, max = 12) List<@IntRange(min = 0, max = 2) Integer> jobPlatforms,
      @ForAll("plans") List<Step> plan,
      @ForAll Random redelivery) {
    // Steals send jobs back to the queue without counting launch attempts: room for more runners.
    try (FlowWorld world = new FlowWorld(client, "once", 2 * FlowWorld.MAX_LAUNCH_ATTEMPTS);
        Workers workers = new Workers()) {
      TunableSettings settings = world.settings();
      FlowWorld.PLATFORMS.forEach(p -> settings.cap(p, 2));
      settings.cap(TunableSettings.GLOBAL, 4);
      List<FlowController> fleet = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        fleet.add(world.publisher());
      }
      FlowController github = world.publisher();
      FlowController rival = world.publisher();
      Set<JobKey> cancelled = ConcurrentHashMap.newKeySet();
      Queue<Consumer<Job>> interleavings = new ConcurrentLinkedQueue<>();
      AtomicInteger raced = new AtomicInteger();
      AtomicInteger steals = new AtomicInteger();
      world
          .store()
          .beforeReserve(
              job -> {
                Consumer<Job> interleaving = interleavings.poll();
                if (interleaving != null) {
                  interleaving.accept(job);
                  raced.incrementAndGet();
                }
              });
      fleet.forEach(p -> workers.repeat(p::sweep));
      Queue<String> violations = new ConcurrentLinkedQueue<>();
      workers.repeatWhile(
          violations::isEmpty,
          () -> {
            FlowWorld.Snapshot s = world.snapshot();
            s.slotsMatchRunners().forEach(v -> violations.add("monitor: " + v));
            s.capsHeld(world.store()).forEach(v -> violations.add("monitor: " + v));
          });
      workers.go();

      List<Job> jobs = new ArrayList<>();
      Set<String> announced = new HashSet<>();
      for (Step step : plan) {
        if (step instanceof Step.Queue q) {
          List<Change> changes = new ArrayList<>();
          for (int i = 0; i < q.jobs() && jobs.size() < jobPlatforms.size(); i++) {
            changes.add(world.queued(queueNext(world, jobs, jobPlatforms)));
          }
          if (!changes.isEmpty()) {
            world.feed(fleet.get(q.via() % publishers), changes);
          }
        } else if (step instanceof Step.Announce a) {
          announced.addAll(world.feedCommitted(fleet.get(a.via() % publishers)));
        } else if (step instanceof Step.Finish f) {
          FlowController via = fleet.get(f.via() % publishers);
          announced.addAll(world.feedCommitted(via));
          idleAnnounced(world, announced, f.platform(), RunnerStatus.REQUESTED, RunnerStatus.BUSY)
              .stream()
              .findFirst()
              .ifPresent(r -> world.runAndStop(r.name(), via));
        } else if (step instanceof Step.Steal t) {
          FlowController via = fleet.get(t.via() % publishers);
          announced.addAll(world.feedCommitted(via));
          List<Job> runnable =
              world.jobs().stream()
                  .filter(j -> j.status() == JobStatus.QUEUED || j.status() == JobStatus.DISPATCHED)
                  .toList();
          List<Runner> idle = idleAnnounced(world, announced, 0, RunnerStatus.REQUESTED);
          if (!runnable.isEmpty() && !idle.isEmpty()) {
            String runner = idle.get(t.runner() % idle.size()).name();
            if (world.runOn(runnable.get(t.job() % runnable.size()).key(), runner, via)) {
              steals.incrementAndGet();
            }
          }
        } else if (step instanceof Step.FailLaunch f) {
          FlowController via = fleet.get(f.via() % publishers);
          announced.addAll(world.feedCommitted(via));
          idleAnnounced(world, announced, f.platform(), RunnerStatus.REQUESTED).stream()
              .filter(r -> relaunchable(world, r))
              .findFirst()
              .ifPresent(r -> world.failLaunch(r.name(), via));
        } else if (step instanceof Step.Cancel c && !jobs.isEmpty()) {
          JobKey key = jobs.get(c.job() % jobs.size()).key();
          world
              .cancelQueued(key)
              .ifPresent(
                  change -> {
                    cancelled.add(key);
                    world.feed(fleet.get(c.via() % publishers), List.of(change));
                  });
        } else if (step instanceof Step.CancelDuringReservation) {
          interleavings.add(
              job ->
                  world
                      .cancelQueued(job.key())
                      .ifPresent(
                          change -> {
                            cancelled.add(job.key());
                            world.feed(github, List.of(change));
                          }));
        } else if (step instanceof Step.RivalDuringReservation) {
          interleavings.add(job -> rival.sweep());
        } else if (step instanceof Step.Redeliver r) {
          List<Change> history = world.history();
          if (!history.isEmpty()) {
            world.feed(
                fleet.get(r.via() % publishers), List.of(history.get(r.change() % history.size())));
          }
        } else if (step instanceof Step.SetCap c) {
          settings.cap(FlowWorld.PLATFORMS.get(c.platform()), c.cap());
        }
      }
      workers.stopAndJoin(Duration.ofSeconds(30));
      assertThat(violations).isEmpty();

      // The rest of the backlog arrives, the caps open wide, and the fleet drains the queue.
      while (jobs.size() < jobPlatforms.size()) {
        world.feed(fleet.get(0), List.of(world.queued(queueNext(world, jobs, jobPlatforms))));
      }
      FlowWorld.PLATFORMS.forEach(p -> settings.cap(p, 1000));
      settings.cap(TunableSettings.GLOBAL, 1000);
      for (int round = 0; round < 10 && anyQueued(world); round++) {
        fleet.get(round % publishers).sweep();
      }
      announced.addAll(world.feedCommitted(fleet.get(0)));
      interleavings.clear();

      assertThat(world.store().problems()).isEmpty();
      assertExactlyOnce(world, cancelled);
      Statistics.label("writers placed inside a reservation").collect(raced.get());
      Statistics.label("jobs GitHub ran on an idle runner of its choice").collect(steals.get());
      Statistics.label("launches failed and retried")
          .collect(world.runners().stream().anyMatch(r -> r.status() == RunnerStatus.FAILED));
      FlowWorld.Snapshot settled = world.snapshot();
      assertThat(settled.slotsMatchRunners()).isEmpty();
      assertThat(settled.capsHeld(world.store())).isEmpty();
      Set<String> runnerNames =
          world.runners().stream().map(Runner::name).collect(Collectors.toSet());
      assertThat(spinUps(world)).isEqualTo(runnerNames);

      // Duplicates: every change delivered so far, twice more, shuffled, to publishers at once.
      Map<String, Map<String, AttributeValue>> before = world.items();
      Set<String> commandsBefore = commandIds(world);
      List<Change> again = new ArrayList<>(world.history());
      again.addAll(world.history());
      Collections.shuffle(again, redelivery);
      List<List<Change>> batches = new ArrayList<>();
      for (int from = 0; from < again.size(); ) {
        int to = Math.min(again.size(), from + 1 + redelivery.nextInt(6));
        batches.add(again.subList(from, to));
        from = to;
      }
      try (Workers replay = new Workers()) {
        for (int i = 0; i < publishers; i++) {
          FlowController publisher = fleet.get(i);
          int slot = i;
          replay.once(
              () -> {
                for (int b = slot; b < batches.size(); b += publishers) {
                  world.feed(publisher, batches.get(b));
                }
              });
        }
        replay.go();
        replay.join(Duration.ofSeconds(60));
      }
      for (FlowController publisher : fleet) {
        publisher.sweep();
      }
      assertThat(world.store().problems()).isEmpty();
      assertThat(world.snapshot().slotsMatchRunners()).as("slots after duplicates").isEmpty();
      assertThat(world.items()).as("the table after duplicates").isEqualTo(before);
      assertThat(commandIds(world)).isEqualTo(commandsBefore);
    }
  }

  private static Job queueNext(FlowWorld world, List<Job> jobs, List<Integer> jobPlatforms) {
    int n = jobs.size();
    Job job = world.queue(n + 1, FlowWorld.PLATFORMS.get(jobPlatforms.get(n)), (n + 1) * 1000L);
    jobs.add(job);
    return job;
  }

  /** Announced runners in one of {@code statuses}, those of {@code platform} first. */
  private static List<Runner> idleAnnounced(
      FlowWorld world, Set<String> announced, int platform, RunnerStatus... statuses) {
    String preferred = FlowWorld.PLATFORMS.get(platform);
    Set<RunnerStatus> wanted = Set.of(statuses);
    return world.runners().stream()
        .filter(r -> announced.contains(r.name()))
        .filter(r -> wanted.contains(r.status()))
        .sorted(Comparator.comparing((Runner r) -> !r.platform().equals(preferred)))
        .toList();
  }

  /** A failed launch sends the job back to the queue only while it has launch attempts left. */
  private static boolean relaunchable(FlowWorld world, Runner runner) {
    return runner.jobKey() != null
        && world
            .job(runner.jobKey())
            .filter(j -> j.status() == JobStatus.DISPATCHED)
            .filter(j -> runner.name().equals(j.dispatchedRunner()))
            .filter(j -> j.dispatchCount() < FlowWorld.MAX_LAUNCH_ATTEMPTS)
            .isPresent();
  }

  private static boolean anyQueued(FlowWorld world) {
    return FlowWorld.PLATFORMS.stream().anyMatch(p -> !world.store().oldestQueued(p, 1).isEmpty());
  }

  private static void assertExactlyOnce(FlowWorld world, Set<JobKey> cancelled) {
    List<Runner> runners = world.runners();
    for (Job job : world.jobs()) {
      List<Runner> own = runners.stream().filter(r -> job.key().equals(r.jobKey())).toList();
      List<Runner> serving = own.stream().filter(r -> r.status() != RunnerStatus.FAILED).toList();
      assertThat(job.status()).as("status of %s", job.key()).isNotEqualTo(JobStatus.QUEUED);
      if (cancelled.contains(job.key())) {
        assertThat(job.status()).as("cancelled %s", job.key()).isEqualTo(JobStatus.COMPLETED);
        assertThat(serving).as("runners of cancelled %s", job.key()).isEmpty();
        continue;
      }
      // Exactly one runner serves the job: the one waiting for it, or the one it runs or ran on.
      assertThat(serving).as("runners serving %s", job.key()).hasSize(1);
      Runner runner = serving.get(0);
      switch (job.status()) {
        case DISPATCHED -> {
          assertThat(job.dispatchedRunner()).isEqualTo(runner.name());
          assertThat(runner.status()).isEqualTo(RunnerStatus.REQUESTED);
        }
        case IN_PROGRESS -> {
          assertThat(job.ranOn()).isEqualTo(runner.name());
          assertThat(runner.status()).isEqualTo(RunnerStatus.BUSY);
        }
        default -> {
          assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
          assertThat(job.ranOn()).isEqualTo(runner.name());
          assertThat(runner.status()).isEqualTo(RunnerStatus.STOPPED);
        }
      }
      // A runner requested on the job's account per dispatch, none twice: numbered 1..n.
      String prefix = Runner.nameFor(job.platform(), job.key(), 1);
      String stem = prefix.substring(0, prefix.length() - 1);
      assertThat(runners.stream().map(Runner::name).filter(n -> n.startsWith(stem)))
          .as("runners requested for %s", job.key())
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(1, job.dispatchCount())
                  .mapToObj(n -> Runner.nameFor(job.platform(), job.key(), n))
                  .toList());
    }
  }

  private static Set<String> spinUps(FlowWorld world) {
    return world.published().stream()
        .filter(RunnerCommand.SpinUp.class::isInstance)
        .map(c -> ((RunnerCommand.SpinUp) c).runnerName())
        .collect(Collectors.toSet());
  }

  private static Set<String> commandIds(FlowWorld world) {
    return world.published().stream().map(RunnerCommand::commandId).collect(Collectors.toSet());
  }

  @Provide
  Arbitrary<List<Step>> plans() {
    Arbitrary<Integer> platform = Arbitraries.integers().between(0, FlowWorld.PLATFORMS.size() - 1);
    Arbitrary<Integer> via = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> job = Arbitraries.integers().between(0, 11);
    return Arbitraries.<Step>frequencyOf(
            Tuple.of(
                4,
                Combinators.combine(Arbitraries.integers().between(1, 4), via).as(Step.Queue::new)),
            Tuple.of(3, via.map(Step.Announce::new)),
            Tuple.of(3, Combinators.combine(platform, via).as(Step.Finish::new)),
            Tuple.of(
                2,
                Combinators.combine(job, Arbitraries.integers().between(0, 5), via)
                    .as(Step.Steal::new)),
            Tuple.of(2, Combinators.combine(platform, via).as(Step.FailLaunch::new)),
            Tuple.of(1, Combinators.combine(job, via).as(Step.Cancel::new)),
            Tuple.of(2, Arbitraries.just(new Step.CancelDuringReservation())),
            Tuple.of(2, Arbitraries.just(new Step.RivalDuringReservation())),
            Tuple.of(
                2,
                Combinators.combine(Arbitraries.integers().between(0, 200), via)
                    .as(Step.Redeliver::new)),
            Tuple.of(
                1,
                Combinators.combine(platform, Arbitraries.integers().between(0, 3))
                    .as(Step.SetCap::new)))
        .list()
        .ofMinSize(4)
        .ofMaxSize(14);
  }
}
