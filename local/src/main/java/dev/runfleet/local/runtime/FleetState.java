package dev.runfleet.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.local.explain.FleetJson;
import dev.runfleet.publisher.flow.FlowSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows at one instant, read from the runtime: the fleet's totals, one item per
 * platform, job and runner (each keyed, so two states can be compared item by item), and the
 * launches and queue times of the last {@link #WINDOW}.
 *
 * @param fleet paused, global cap and in flight, launch rate, hosts and the time series
 * @param platforms by name, in configuration order
 * @param jobs the {@link #ITEMS} most recently changed, by {@code id:attempt}, newest first
 * @param runners the {@link #ITEMS} most recently created, by name, newest first
 */
record FleetState(
    ObjectNode fleet,
    Map<String, ObjectNode> platforms,
    Map<String, ObjectNode> jobs,
    Map<String, ObjectNode> runners) {

  /** The span of the charts, in {@link #BUCKET}s. */
  static final Duration WINDOW = Duration.ofMinutes(5);

  static final Duration BUCKET = Duration.ofSeconds(10);

  /**
   * Jobs and runners the dashboard lists. Only these are rendered (a job's {@code why} is worked
   * out per job): a job that changes becomes the most recently changed, so no change is missed.
   */
  static final int ITEMS = 50;

  /**
   * A queue time longer than GitHub keeps a job queued comes from a recorded or example payload
   * (years old), not from this fleet: it is left out of the chart rather than flatten it.
   */
  private static final Duration LONGEST_QUEUE = Duration.ofHours(24);

  /**
   * Reads the runtime now; jobs and runners are rendered as {@code /api/jobs} and {@code
   * /api/runners} render them ({@link FleetJson}), each listed job with its why, worked out for the
   * listed jobs together (one read of the fleet's state per tick).
   */
  static FleetState read(LocalRuntime runtime, ObjectMapper json, Instant now) {
    List<Job> jobs = runtime.jobs();
    List<Runner> runners = runtime.runners();
    FlowSettings settings = runtime.flowSettings();
    Map<String, Integer> alive = runtime.hosts().alive();

    Map<String, ObjectNode> platforms = new LinkedHashMap<>();
    for (Platform p : runtime.options().platforms().all()) {
      List<Job> queued =
          jobs.stream()
              .filter(j -> j.status() == JobStatus.QUEUED && p.name().equals(j.platform()))
              .toList();
      ObjectNode node = json.createObjectNode();
      node.put("name", p.name());
      node.put("cap", settings.platformCap(p));
      node.put("configuredCap", p.cap());
      node.put("inFlight", runtime.inFlight(p.name()));
      node.put("queued", queued.size());
      queued.stream()
          .map(Job::queuedAt)
          .min(Comparator.naturalOrder())
          .ifPresentOrElse(
              oldest ->
                  node.put(
                      "oldestQueuedSeconds",
                      Math.max(0, Duration.between(oldest, now).toSeconds())),
              () -> node.putNull("oldestQueuedSeconds"));
      node.put("hostsAlive", alive.getOrDefault(p.name(), 0));
      platforms.put(p.name(), node);
    }

    List<Job> listed =
        jobs.stream().sorted(Comparator.comparing(Job::updatedAt).reversed()).limit(ITEMS).toList();
    Map<JobKey, String> why = listed.isEmpty() ? Map.of() : runtime.fleet().why(listed);
    Map<String, ObjectNode> jobItems = new LinkedHashMap<>();
    for (Job j : listed) {
      ObjectNode node = FleetJson.job(j, why.get(j.key()));
      node.put("updatedAt", j.updatedAt().toString());
      jobItems.put(j.key().asString(), node);
    }
    Map<String, ObjectNode> runnerItems = new LinkedHashMap<>();
    runners.stream()
        .sorted(Comparator.comparing(Runner::createdAt).reversed())
        .limit(ITEMS)
        .forEach(r -> runnerItems.put(r.name(), FleetJson.runner(r)));

    ObjectNode fleet = json.createObjectNode();
    fleet.put("paused", settings.paused());
    fleet.put("launchRate", settings.launchRate().toString());
    ObjectNode global = fleet.putObject("global");
    global.put("cap", settings.globalCap());
    global.put("inFlight", runtime.inFlight(RuntimeParameters.GLOBAL));
    global.put("hostsAlive", alive.values().stream().mapToInt(Integer::intValue).sum());
    fleet.set("series", series(jobs, runners, json, now));
    return new FleetState(fleet, platforms, jobItems, runnerItems);
  }

  /**
   * Launches (runners created) and the queue time of the jobs they were launched for, per {@link
   * #BUCKET} of the last {@link #WINDOW}, oldest bucket first. Bucket bounds are aligned to the
   * epoch, so a state read a second later has the same buckets.
   */
  private static ObjectNode series(
      List<Job> jobs, List<Runner> runners, ObjectMapper json, Instant now) {
    long bucketMs = BUCKET.toMillis();
    int count = (int) (WINDOW.toMillis() / bucketMs);
    long last = Math.floorDiv(now.toEpochMilli(), bucketMs);
    long first = last - count + 1;
    int[] launches = new int[count];
    long[] queueSum = new long[count];
    long[] queueMax = new long[count];
    int[] queueCount = new int[count];
    Map<String, Runner> byName = new HashMap<>();
    for (Runner r : runners) {
      byName.put(r.name(), r);
      int i = (int) (Math.floorDiv(r.createdAt().toEpochMilli(), bucketMs) - first);
      if (i >= 0 && i < count) {
        launches[i]++;
      }
    }
    for (Job j : jobs) {
      Runner r = j.dispatchedRunner() == null ? null : byName.get(j.dispatchedRunner());
      if (r == null) {
        continue;
      }
      Duration waited = Duration.between(j.queuedAt(), r.createdAt());
      int i = (int) (Math.floorDiv(r.createdAt().toEpochMilli(), bucketMs) - first);
      if (i < 0 || i >= count || waited.isNegative() || waited.compareTo(LONGEST_QUEUE) > 0) {
        continue;
      }
      long ms = waited.toMillis();
      queueSum[i] += ms;
      queueMax[i] = Math.max(queueMax[i], ms);
      queueCount[i]++;
    }
    ObjectNode series = json.createObjectNode();
    series.put("bucketSeconds", BUCKET.toSeconds());
    ArrayNode buckets = series.putArray("buckets");
    for (int i = 0; i < count; i++) {
      ObjectNode b = buckets.addObject();
      b.put("start", Instant.ofEpochMilli((first + i) * bucketMs).toString());
      b.put("launches", launches[i]);
      b.put("queueSecondsAvg", queueCount[i] == 0 ? 0 : queueSum[i] / queueCount[i] / 1000.0);
      b.put("queueSecondsMax", queueMax[i] / 1000.0);
    }
    return series;
  }

  /** The whole state as one {@code snapshot} event's payload. */
  ObjectNode snapshot(ObjectMapper json) {
    ObjectNode node = fleet.deepCopy();
    node.set("platforms", json.createArrayNode().addAll(platforms.values()));
    node.set("jobs", json.createArrayNode().addAll(jobs.values()));
    node.set("runners", json.createArrayNode().addAll(runners.values()));
    return node;
  }
}
