package dev.runfleet.common.domain;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A kind of runner runfleet can start: its name (also the SNS filter value and queue suffix), the
 * labels its runners register with, where they run, and how many may be in flight at once.
 *
 * @param rerunOnInterruption whether a job running on a runner whose spot host is interrupted is
 *     re-run at GitHub (a new attempt) instead of being left to fail
 */
public record Platform(
    String name,
    Set<String> runnerLabels,
    HostKind hostKind,
    String arch,
    int cap,
    boolean rerunOnInterruption) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

  public Platform {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hostKind, "hostKind");
    Objects.requireNonNull(arch, "arch");
    if (!NAME.matcher(name).matches() || "global".equals(name)) {
      throw new IllegalArgumentException(
          "platform name must match " + NAME + " and not be 'global': " + name);
    }
    if (cap < 0) {
      throw new IllegalArgumentException("cap of " + name + " must be >= 0: " + cap);
    }
    runnerLabels = normalise(runnerLabels);
    if (runnerLabels.isEmpty()) {
      throw new IllegalArgumentException("platform " + name + " has no runner labels");
    }
  }

  public Platform(String name, Set<String> runnerLabels, HostKind hostKind, String arch, int cap) {
    this(name, runnerLabels, hostKind, arch, cap, false);
  }

  /**
   * GitHub's own rule: a runner can take a job when the runner's labels include every label of the
   * job, compared case-insensitively.
   */
  public boolean serves(Collection<String> jobLabels) {
    if (jobLabels.isEmpty()) {
      return false;
    }
    for (String label : jobLabels) {
      if (!runnerLabels.contains(label.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  public Platform withCap(int newCap) {
    return new Platform(name, runnerLabels, hostKind, arch, newCap, rerunOnInterruption);
  }

  static Set<String> normalise(Collection<String> labels) {
    Set<String> out = new LinkedHashSet<>();
    for (String label : labels) {
      String trimmed = label.trim().toLowerCase(Locale.ROOT);
      if (!trimmed.isEmpty()) {
        out.add(trimmed);
      }
    }
    return Set.copyOf(out);
  }
}
