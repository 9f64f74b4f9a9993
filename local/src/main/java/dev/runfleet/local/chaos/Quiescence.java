package dev.runfleet.local.chaos;

import dev.runfleet.local.runtime.LocalRuntime;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * When a chaos run is over: the fleet is clean (every job concluded at GitHub, no webhook in
 * flight, every runner record terminal with its slot back, no host, registration or hand-over
 * secret left), or every job concluded and nothing changed for the settle time (what is left is a
 * leak the fleet does not heal), or the deadline passed.
 */
final class Quiescence {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration PROGRESS = Duration.ofSeconds(10);

  private Quiescence() {}

  /** What changes while the fleet works; equal twice means nothing moved in between. */
  private record Fingerprint(
      int concluded,
      long liveRunners,
      int inFlight,
      int hosts,
      int registrations,
      int secrets,
      boolean webhooksInFlight) {

    static Fingerprint of(LocalRuntime runtime, Set<Long> jobs) {
      return new Fingerprint(
          (int) runtime.gitHub().conclusions().keySet().stream().filter(jobs::contains).count(),
          runtime.runners().stream()
              .filter(r -> !r.status().isTerminal() || !r.slotReleased())
              .count(),
          runtime.inFlight("global"),
          runtime.hosts().hostsAlive(),
          runtime.hosts().registrationsAlive(),
          runtime.handOff().held().size(),
          !runtime.gitHub().quiet());
    }

    boolean allConcluded(Set<Long> jobs) {
      return concluded == jobs.size();
    }

    boolean clean(Set<Long> jobs) {
      return allConcluded(jobs)
          && liveRunners == 0
          && inFlight == 0
          && hosts == 0
          && registrations == 0
          && secrets == 0
          && !webhooksInFlight;
    }

    String line(int total) {
      return String.format(
          "  %d/%d jobs concluded at GitHub; %d runner records live, %d slots held, %d hosts,"
              + " %d registrations, %d secrets",
          concluded, total, liveRunners, inFlight, hosts, registrations, secrets);
    }
  }

  /** Waits until the fleet is clean, settled or out of time; a progress line every 10 s. */
  static void await(
      LocalRuntime runtime, Set<Long> jobs, Duration settle, long deadlineNanos, PrintWriter out) {
    Fingerprint last = null;
    long unchangedSince = System.nanoTime();
    long nextLine = System.nanoTime() + PROGRESS.toNanos();
    while (System.nanoTime() < deadlineNanos) {
      Fingerprint now = Fingerprint.of(runtime, jobs);
      if (now.clean(jobs)) {
        return;
      }
      if (!Objects.equals(now, last)) {
        last = now;
        unchangedSince = System.nanoTime();
      } else if (now.allConcluded(jobs) && System.nanoTime() - unchangedSince > settle.toNanos()) {
        out.println("  settled with leftovers: " + now.line(jobs.size()).strip());
        out.flush();
        return;
      }
      if (System.nanoTime() >= nextLine) {
        out.println(now.line(jobs.size()));
        out.flush();
        nextLine = System.nanoTime() + PROGRESS.toNanos();
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    out.println("  deadline passed: " + List.of(Fingerprint.of(runtime, jobs).line(jobs.size())));
    out.flush();
  }
}
