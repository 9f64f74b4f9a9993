package dev.runfleet.local.chaos;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.runtime.LocalRuntime;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges a chaos run, each invariant from the truth it concerns: GitHub for lost and stuck jobs,
 * the hosts for cap breaches and leaked compute, the table and GitHub for leaked runners, the
 * hand-over store for leaked secrets.
 */
public final class ChaosVerdict {

  private ChaosVerdict() {}

  /**
   * The truths, read once the run is over.
   *
   * @param jobs the workload's job ids
   * @param conclusions GitHub's conclusion per job it completed
   * @param queueWaits per job a runner took at GitHub: from queued to taken
   * @param queuedAt per workload job, when GitHub queued it
   * @param now when the truths were read (a job never taken waited until then)
   * @param caps each platform's cap and the global cap
   * @param peaks hosts alive at most, per platform and globally
   * @param runners the table's runner records
   * @param registrations runner registrations GitHub still holds
   * @param hosts hosts still up
   * @param secrets hand-over secrets still held
   */
  public record Observed(
      Set<Long> jobs,
      Map<Long, String> conclusions,
      Map<Long, Duration> queueWaits,
      Map<Long, Instant> queuedAt,
      Instant now,
      Map<String, Integer> caps,
      Map<String, Integer> peaks,
      List<Runner> runners,
      int registrations,
      int hosts,
      int secrets) {

    static Observed of(LocalRuntime runtime, Map<Long, Instant> queuedAt) {
      return new Observed(
          Set.copyOf(queuedAt.keySet()),
          runtime.gitHub().conclusions(),
          runtime.gitHub().queueTimes(),
          queuedAt,
          Instant.now(),
          Demo.caps(runtime),
          runtime.hosts().peak(),
          runtime.runners(),
          runtime.hosts().registrationsAlive(),
          runtime.hosts().hostsAlive(),
          runtime.handOff().held().size());
    }
  }

  /** The JSON line's fields, in the order the issue lists them. */
  @JsonPropertyOrder({
    "jobs",
    "completed",
    "lost",
    "capBreaches",
    "leakedRunners",
    "leakedHosts",
    "leakedSecrets",
    "maxStuckSeconds",
    "faults",
    "seconds",
    "passed"
  })
  public record Report(
      int jobs,
      int completed,
      int lost,
      int capBreaches,
      int leakedRunners,
      int leakedHosts,
      int leakedSecrets,
      long maxStuckSeconds,
      Map<String, Integer> faults,
      double seconds,
      boolean passed,
      @com.fasterxml.jackson.annotation.JsonIgnore List<String> findings) {}

  /** The verdict: passed only when nothing is lost, no cap was exceeded and nothing leaked. */
  public static Report judge(Observed seen, Map<String, Integer> faults, Duration took) {
    int completed =
        (int) seen.jobs().stream().filter(id -> seen.conclusions().containsKey(id)).count();
    int lost = seen.jobs().size() - completed;
    List<String> breaches = Demo.capBreaches(seen.caps(), seen.peaks());
    List<Runner> live =
        seen.runners().stream().filter(r -> !r.status().isTerminal() || !r.slotReleased()).toList();
    int leakedRunners = live.size() + seen.registrations();
    long maxStuck = 0;
    for (long id : seen.jobs()) {
      Duration waited = seen.queueWaits().get(id);
      if (waited == null && seen.queuedAt().get(id) != null) {
        waited = Duration.between(seen.queuedAt().get(id), seen.now());
      }
      if (waited != null) {
        maxStuck = Math.max(maxStuck, waited.toSeconds());
      }
    }
    List<String> findings = new java.util.ArrayList<>();
    if (lost > 0) {
      findings.add(
          lost
              + " jobs not completed at GitHub, e.g. "
              + seen.jobs().stream()
                  .filter(id -> !seen.conclusions().containsKey(id))
                  .sorted()
                  .limit(5)
                  .toList());
    }
    findings.addAll(breaches);
    if (!live.isEmpty()) {
      findings.add(
          live.size()
              + " runner records not terminal or holding a slot, e.g. "
              + live.stream()
                  .limit(5)
                  .map(r -> r.name() + " " + r.status() + (r.slotReleased() ? "" : " (slot held)"))
                  .toList());
    }
    if (seen.registrations() > 0) {
      findings.add(seen.registrations() + " runner registrations left at GitHub");
    }
    if (seen.hosts() > 0) {
      findings.add(seen.hosts() + " hosts still up");
    }
    if (seen.secrets() > 0) {
      findings.add(seen.secrets() + " hand-over secrets left");
    }
    return new Report(
        seen.jobs().size(),
        completed,
        lost,
        breaches.size(),
        leakedRunners,
        seen.hosts(),
        seen.secrets(),
        maxStuck,
        java.util.Collections.unmodifiableMap(new TreeMap<>(faults)),
        Math.round(took.toMillis() / 100.0) / 10.0,
        findings.isEmpty(),
        List.copyOf(findings));
  }

  /** A summary for a person, then the JSON line last. */
  public static void print(Report report, PrintWriter out) {
    out.printf(
        "jobs %d: %d completed at GitHub, %d lost; cap breaches %d; leaked runners %d, hosts %d,"
            + " secrets %d; longest queue wait %d s; %.1f s%n",
        report.jobs(),
        report.completed(),
        report.lost(),
        report.capBreaches(),
        report.leakedRunners(),
        report.leakedHosts(),
        report.leakedSecrets(),
        report.maxStuckSeconds(),
        report.seconds());
    out.println("faults injected: " + new TreeMap<>(report.faults()));
    out.println(
        report.passed()
            ? "result: PASS — nothing lost, no cap exceeded, nothing leaked"
            : "result: FAIL — " + String.join("; ", report.findings()));
    try {
      out.println(new ObjectMapper().writeValueAsString(report));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the chaos report did not serialise", e);
    }
    out.flush();
  }
}
