package dev.runfleet.local.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Rates over recorded instants. */
final class Rates {

  private static final long SECOND_NANOS = 1_000_000_000L;

  private Rates() {}

  /** {@code (n - 1) / (last - first)} per second over sorted instants; 0 for fewer than two. */
  static double achieved(List<Instant> sorted) {
    if (sorted.size() < 2) {
      return 0;
    }
    long nanos = Duration.between(sorted.get(0), sorted.get(sorted.size() - 1)).toNanos();
    return nanos <= 0 ? Double.POSITIVE_INFINITY : (sorted.size() - 1) * 1e9 / nanos;
  }

  /**
   * The most instants in any one-second window {@code [t, t + 1 s)}, over sorted instants. A window
   * holding the most can always start at one of them, so only those starts are tried.
   */
  static int peakPerSecond(List<Instant> sorted) {
    int peak = 0;
    int end = 0;
    for (int start = 0; start < sorted.size(); start++) {
      Instant limit = sorted.get(start).plusNanos(SECOND_NANOS);
      while (end < sorted.size() && sorted.get(end).isBefore(limit)) {
        end++;
      }
      peak = Math.max(peak, end - start);
    }
    return peak;
  }

  /**
   * The most a GCRA of {@code perSecond} with burst {@code burst} lets through in one such window:
   * the burst at once, then one every {@code 1 / perSecond}.
   */
  static int peakLimit(double perSecond, int burst) {
    return burst + (int) Math.ceil(perSecond) - 1;
  }

  /** {@code value} rounded to {@code digits} decimals, for reports. */
  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /** The median of {@code values} (sorted in place). */
  static double median(double[] values) {
    Arrays.sort(values);
    int n = values.length;
    if (n == 0) {
      return 0;
    }
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** The {@code q} quantile of sorted values (nearest rank). */
  static long percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The one-minute load average now, for reports: other work slows every measurement. */
  static double loadAverage() {
    return round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
  }
}
