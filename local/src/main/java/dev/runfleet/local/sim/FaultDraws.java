package dev.runfleet.local.sim;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One simulated party's seeded fault draws and their tally. A zero rate draws nothing, so with
 * faults off the generator is never touched and behaviour is exactly as without it; with the same
 * seed, the same sequence of questions gets the same answers.
 */
final class FaultDraws {

  private SplittableRandom random = new SplittableRandom(0);
  private final Map<String, Integer> counts = new TreeMap<>();

  /** Starts the sequence again from {@code seed}; the tally stays. */
  synchronized void reseed(long seed) {
    random = new SplittableRandom(seed);
  }

  /** True with probability {@code rate}; a hit is counted under {@code kind}. */
  synchronized boolean roll(String kind, double rate) {
    if (rate <= 0) {
      return false;
    }
    boolean hit = random.nextDouble() < rate;
    if (hit) {
      count(kind);
    }
    return hit;
  }

  /**
   * Picks at most one outcome: index {@code i} with probability {@code rates[i]} (their sum at most
   * 1), or -1 for none. Draws nothing when every rate is zero.
   */
  synchronized int pick(double... rates) {
    double sum = 0;
    for (double rate : rates) {
      sum += rate;
    }
    if (sum <= 0) {
      return -1;
    }
    double u = random.nextDouble();
    double edge = 0;
    for (int i = 0; i < rates.length; i++) {
      edge += rates[i];
      if (u < edge) {
        return i;
      }
    }
    return -1;
  }

  /** A uniform draw in {@code [min, max]}. */
  synchronized long between(long min, long max) {
    return min >= max ? min : random.nextLong(min, max + 1);
  }

  /** One of {@code choices}, uniformly. */
  synchronized int oneOf(int... choices) {
    return choices[random.nextInt(choices.length)];
  }

  synchronized void count(String kind) {
    counts.merge(kind, 1, Integer::sum);
  }

  synchronized Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }
}
