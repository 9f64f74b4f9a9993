package dev.runfleet.it;

import static dev.runfleet.it.support.Fleets.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.it.support.FleetApi;
import dev.runfleet.it.support.Fleets;
import dev.runfleet.it.support.Jobs;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.SimulatedHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst far above the caps: every runnable job still completes, and at no moment do more hosts
 * run than a platform's cap or the fleet's global cap, counted in the simulated compute itself, not
 * in the table.
 */
class CapsUnderBurstTest {

  private static final Map<String, Integer> CAPS =
      Map.of("fargate", 2, "ec2-linux-x64", 2, "ec2-linux-arm64", 1);
  private static final int GLOBAL_CAP = 4;
  private static final int JOBS = 60;

  private static final List<List<String>> SHAPES =
      List.of(Jobs.FARGATE, Jobs.EC2_X64, Jobs.EC2_ARM64, Jobs.GITHUB_HOSTED);

  private static LocalRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = Fleets.start(Fleets.newSecret(), CAPS, GLOBAL_CAP);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void burstAcrossPlatforms_completesEveryRunnableJob_withinEveryCap() {
    Random random = new Random(20_260_623L);
    List<SimJob> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      // Mostly runnable work, with GitHub-hosted jobs mixed in.
      List<String> labels = SHAPES.get(i % 10 == 9 ? 3 : random.nextInt(3));
      jobs.add(Jobs.job(Jobs.nextId(), labels, Duration.ofMillis(40 + random.nextInt(120))));
    }
    Set<Long> hosted =
        jobs.stream()
            .filter(j -> j.labels().equals(Jobs.GITHUB_HOSTED))
            .map(SimJob::jobId)
            .collect(Collectors.toSet());
    int runnable = JOBS - hosted.size();

    jobs.forEach(runtime.gitHub()::queue);

    within(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Map<Long, JobStatus> status = statusById();
              assertThat(status).hasSize(JOBS);
              status.forEach(
                  (id, s) ->
                      assertThat(s)
                          .as("job %d", id)
                          .isEqualTo(
                              hosted.contains(id) ? JobStatus.IGNORED : JobStatus.COMPLETED));
            });
    within(Fleets.PIPELINE).until(() -> Fleets.drained(runtime));

    Map<String, Integer> peak = runtime.hosts().peak();
    Map<String, Integer> caps = new TreeMap<>(CAPS);
    caps.put(SimulatedHosts.GLOBAL, GLOBAL_CAP);
    caps.forEach(
        (name, cap) ->
            assertThat(peak.getOrDefault(name, 0)).as("peak of %s", name).isLessThanOrEqualTo(cap));

    assertThat(runtime.gitHub().conclusions())
        .as("a job whose runner was killed under it fails")
        .hasSize(JOBS)
        .allSatisfy((id, conclusion) -> assertThat(conclusion).isEqualTo("success"));
    List<Runner> runners = runtime.runners();
    assertThat(runners).hasSizeGreaterThanOrEqualTo(runnable);
    assertThat(runners)
        .allSatisfy(
            r -> {
              assertThat(r.status()).as("runner %s", r.name()).isEqualTo(RunnerStatus.STOPPED);
              assertThat(r.slotReleased()).as("slot of %s", r.name()).isTrue();
            });
    int launched = runtime.hosts().launched().values().stream().mapToInt(Integer::intValue).sum();
    assertThat(launched).isEqualTo(runners.size());
    assertThat(runtime.hosts().alive()).allSatisfy((name, alive) -> assertThat(alive).isZero());
    assertThat(runtime.inFlight(SimulatedHosts.GLOBAL)).isZero();
    List<JsonNode> platforms = new FleetApi(runtime.baseUri()).platforms();
    assertThat(platforms).hasSize(3);
    for (JsonNode platform : platforms) {
      String name = platform.path("name").asText();
      assertThat(platform.path("cap").asInt()).as("cap of %s", name).isEqualTo(CAPS.get(name));
      assertThat(platform.path("inFlight").asInt()).as("in flight on %s", name).isZero();
      assertThat(platform.path("hostsAlive").asInt()).as("hosts alive on %s", name).isZero();
    }
  }

  private static Map<Long, JobStatus> statusById() {
    Map<Long, JobStatus> out = new TreeMap<>();
    for (Job job : runtime.jobs()) {
      out.put(job.key().jobId(), job.status());
    }
    return out;
  }
}
