package dev.runfleet.local.demo;

import dev.runfleet.local.sim.SimJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/** A seeded workload of jobs with the label shapes users write, for the demo and chaos runs. */
public final class Workload {

  /** {@code runs-on} label sets as users write them, one GitHub-hosted. */
  public static final List<List<String>> SHAPES =
      List.of(
          List.of("self-hosted", "fargate"),
          List.of("self-hosted", "linux", "x64", "fargate"),
          List.of("self-hosted", "linux", "x64", "ec2"),
          List.of("self-hosted", "Linux", "ec2", "X64"),
          List.of("self-hosted", "linux", "arm64"),
          List.of("self-hosted", "arm64", "ec2"),
          List.of("ubuntu-latest"));

  private Workload() {}

  /**
   * {@code count} jobs with ids from 100000, labels drawn from {@code shapes} and durations between
   * {@code jobMin} and {@code jobMax}; not yet queued ({@code createdAt} is the epoch).
   */
  public static List<SimJob> jobs(
      int count, long seed, Duration jobMin, Duration jobMax, List<List<String>> shapes) {
    return jobs(0, count, seed, jobMin, jobMax, shapes);
  }

  /**
   * As {@link #jobs(int, long, Duration, Duration, List)}, numbered from the {@code first}-th job
   * on (ids from {@code 100000 + first}): a second round on the same runtime, after a first of
   * {@code first} jobs, shares none of its jobs or runs.
   */
  public static List<SimJob> jobs(
      int first,
      int count,
      long seed,
      Duration jobMin,
      Duration jobMax,
      List<List<String>> shapes) {
    Random random = new Random(seed);
    List<SimJob> jobs = new ArrayList<>();
    long min = jobMin.toMillis();
    long span = Math.max(1, jobMax.toMillis() - min);
    for (int i = first; i < first + count; i++) {
      List<String> labels = shapes.get(random.nextInt(shapes.size()));
      jobs.add(
          new SimJob(
              100_000L + i,
              50_000L + i / 3,
              1,
              labels,
              "octo-org/service-" + (i % 7),
              "octo-org",
              4242,
              Duration.ofMillis(min + (long) (random.nextDouble() * span)),
              Instant.EPOCH));
    }
    return jobs;
  }

  /**
   * Hands the jobs to {@code queue} {@code spacing} apart, each stamped with its real queue time.
   */
  public static void queueSpaced(List<SimJob> jobs, Duration spacing, Consumer<SimJob> queue) {
    long step = spacing.toNanos();
    long start = System.nanoTime();
    for (int i = 0; i < jobs.size(); i++) {
      long due = start + i * step;
      while (System.nanoTime() < due) {
        LockSupport.parkNanos(due - System.nanoTime());
      }
      queue.accept(jobs.get(i).withCreatedAt(Instant.now()));
    }
  }
}
