package dev.runfleet.local.explain;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.local.aws.SsmClientParameters;
import dev.runfleet.local.explain.FleetSnapshot.CapSource;
import dev.runfleet.local.explain.FleetSnapshot.GlobalState;
import dev.runfleet.local.explain.FleetSnapshot.LaunchBudgetState;
import dev.runfleet.local.explain.FleetSnapshot.PlatformState;
import dev.runfleet.local.explain.JobDetail.LedgerEvent;
import dev.runfleet.producer.adapter.DynamoDbJobEventStore;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.adapter.ParameterFlowSettings;
import dev.runfleet.publisher.flow.FlowCeilings;
import dev.runfleet.publisher.flow.FlowSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Read-only view of a deployed (or local) fleet for the operator's commands and the local API: the
 * jobs table through GetItem, Query (the item keys, the queue index) and, for listings only, Scan;
 * the runtime parameters through the publisher's own reading ({@link ParameterFlowSettings} under
 * {@link FlowCeilings}), so an effective value here is the value the publisher uses.
 */
public final class FleetReader {

  /** Attempts probed one by one before a listing scan finds a job whose attempt 1 is unknown. */
  private static final int MAX_ATTEMPT_PROBES = 100;

  private final DynamoDbClient dynamo;
  private final SsmClient ssm;
  private final String table;
  private final PublisherConfig config;
  private final FlowSettings settings;
  private final Clock clock;

  public FleetReader(DynamoDbClient dynamo, SsmClient ssm, PublisherConfig config, Clock clock) {
    this.dynamo = dynamo;
    this.ssm = ssm;
    this.table = config.table();
    this.config = config;
    this.settings =
        new FlowCeilings(
            new ParameterFlowSettings(new SsmClientParameters(ssm), config, clock),
            config.maxCapPerPlatform(),
            config.maxLaunchRate());
    this.clock = clock;
  }

  /** The platforms the publisher routes to. */
  public List<String> platformNames() {
    return config.platforms().names();
  }

  // ---- status ----

  public FleetSnapshot status() {
    return status(true);
  }

  /**
   * @param holders whether to read the slot holders (the one Scan of a status): only a queued job's
   *     why names them, so the other jobs are explained by keys and indexes alone
   */
  private FleetSnapshot status(boolean holders) {
    Instant now = clock.instant();
    Map<String, Parameter> parameters = parameters();
    boolean paused = settings.paused();
    Optional<Instant> pausedSince =
        paused
            ? Optional.ofNullable(parameters.get("paused")).map(Parameter::lastModifiedDate)
            : Optional.empty();
    List<Runner> slotHolders =
        !holders
            ? List.of()
            : scan(JobsTable.TYPE_RUNNER, Map.of()).stream()
                .map(JobsTable::toRunner)
                .filter(r -> !r.slotReleased())
                .sorted(Comparator.comparing(Runner::createdAt))
                .toList();
    List<PlatformState> platforms = new ArrayList<>();
    for (Platform platform : config.platforms().all()) {
      List<Runner> mine =
          slotHolders.stream().filter(r -> r.platform().equals(platform.name())).toList();
      platforms.add(
          new PlatformState(
              platform.name(),
              settings.platformCap(platform),
              source(parameters, platform.name()),
              inFlight(platform.name()),
              (int)
                  mine.stream()
                      .filter(
                          r ->
                              r.status() == RunnerStatus.LAUNCHED
                                  || r.status() == RunnerStatus.BUSY)
                      .count(),
              queuedCount(platform.name(), null),
              oldestQueued(platform.name()),
              mine));
    }
    GlobalState global =
        new GlobalState(
            settings.globalCap(),
            source(parameters, RuntimeParameters.GLOBAL),
            inFlight(JobsTable.GLOBAL),
            slotHolders);
    LaunchRate rate = settings.launchRate();
    long wait = rate.waitMicros(launchBudgetTat(), micros(now));
    return new FleetSnapshot(
        paused,
        pausedSince,
        platforms,
        global,
        new LaunchBudgetState(rate, Math.max(0, wait) / 1e6),
        config.platforms(),
        Optional.ofNullable(parameters.get("allow")).map(Parameter::value),
        now);
  }

  private static CapSource source(Map<String, Parameter> parameters, String platformOrGlobal) {
    Parameter p = parameters.get("caps/" + platformOrGlobal);
    return p != null && RuntimeParameters.parseCap(p.value()).isPresent()
        ? CapSource.PARAMETER
        : CapSource.DEFAULT;
  }

  /**
   * The stage's parameters by name relative to its prefix ({@code caps/fargate}, {@code paused}).
   */
  private Map<String, Parameter> parameters() {
    String prefix = RuntimeParameters.prefix(config.stage());
    Map<String, Parameter> out = new HashMap<>();
    for (var page : ssm.getParametersByPathPaginator(b -> b.path(prefix).recursive(true))) {
      page.parameters().forEach(p -> out.put(p.name().substring(prefix.length()), p));
    }
    return out;
  }

  private int inFlight(String platformOrGlobal) {
    Map<String, AttributeValue> item = get(JobsTable.slotsKey(platformOrGlobal));
    return item == null || !item.containsKey(JobsTable.IN_FLIGHT)
        ? 0
        : (int) JobsTable.num(item, JobsTable.IN_FLIGHT);
  }

  private long launchBudgetTat() {
    Map<String, AttributeValue> item = get(JobsTable.launchBudgetKey());
    return item == null || !item.containsKey(JobsTable.TAT)
        ? -1
        : JobsTable.num(item, JobsTable.TAT);
  }

  /**
   * Jobs in a platform's queue, all of them or those whose queue sort key is below {@code before}.
   */
  private int queuedCount(String platform, String before) {
    Map<String, String> names = new HashMap<>(Map.of("#qpk", JobsTable.QUEUE_PK));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", JobsTable.s(platform)));
    String condition = "#qpk = :p";
    if (before != null) {
      names.put("#qsk", JobsTable.QUEUE_SK);
      values.put(":before", JobsTable.s(before));
      condition += " AND #qsk < :before";
    }
    int count = 0;
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .indexName(JobsTable.QUEUE_INDEX)
            .keyConditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .select(Select.COUNT)
            .build();
    for (QueryResponse page : dynamo.queryPaginator(request)) {
      count += page.count();
    }
    return count;
  }

  /** The head of the platform's queue: the index's first item (a Limit without a filter). */
  private Optional<Instant> oldestQueued(String platform) {
    QueryResponse head =
        dynamo.query(
            b ->
                b.tableName(table)
                    .indexName(JobsTable.QUEUE_INDEX)
                    .keyConditionExpression("#qpk = :p")
                    .expressionAttributeNames(Map.of("#qpk", JobsTable.QUEUE_PK))
                    .expressionAttributeValues(Map.of(":p", JobsTable.s(platform)))
                    .scanIndexForward(true)
                    .limit(1));
    return head.items().stream()
        .findFirst()
        .map(item -> Instant.ofEpochMilli(JobsTable.num(item, JobsTable.QUEUED_AT)));
  }

  // ---- listings ----

  /**
   * Jobs matching the filter: queued ones of one status QUEUED from the queue index in FIFO order,
   * every other listing newest first from a scan (no index holds every job).
   */
  public List<Job> jobs(Set<JobStatus> statuses, String platform, Instant since, int limit) {
    Predicate<Job> wanted =
        j ->
            (statuses.isEmpty() || statuses.contains(j.status()))
                && (platform == null || platform.equals(j.platform()))
                && (since == null || !j.queuedAt().isBefore(since));
    if (statuses.equals(Set.of(JobStatus.QUEUED))) {
      List<Job> out = new ArrayList<>();
      for (String name : platform == null ? platformNames() : List.of(platform)) {
        queue(name).stream().filter(wanted).forEach(out::add);
      }
      return out.stream().sorted(Comparator.comparing(Job::queuedAt)).limit(limit).toList();
    }
    return scan(JobsTable.TYPE_JOB, Map.of()).stream()
        .map(JobsTable::toJob)
        .filter(wanted)
        .sorted(Comparator.comparing(Job::queuedAt).reversed())
        .limit(limit)
        .toList();
  }

  private List<Job> queue(String platform) {
    List<Job> out = new ArrayList<>();
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .indexName(JobsTable.QUEUE_INDEX)
            .keyConditionExpression("#qpk = :p")
            .expressionAttributeNames(Map.of("#qpk", JobsTable.QUEUE_PK))
            .expressionAttributeValues(Map.of(":p", JobsTable.s(platform)))
            .build();
    for (QueryResponse page : dynamo.queryPaginator(request)) {
      page.items().stream()
          .filter(i -> JobsTable.typeOf(i).filter(JobsTable.TYPE_JOB::equals).isPresent())
          .map(JobsTable::toJob)
          .forEach(out::add);
    }
    return out;
  }

  /** Runners matching the filter, newest first. */
  public List<Runner> runners(Set<RunnerStatus> statuses, String platform, int limit) {
    return scan(JobsTable.TYPE_RUNNER, Map.of()).stream()
        .map(JobsTable::toRunner)
        .filter(r -> statuses.isEmpty() || statuses.contains(r.status()))
        .filter(r -> platform == null || platform.equals(r.platform()))
        .sorted(Comparator.comparing(Runner::createdAt).reversed())
        .limit(limit)
        .toList();
  }

  // ---- one job ----

  /** The job's given attempt, or its latest when {@code attempt} is null, explained. */
  public Optional<JobDetail> job(long jobId, Integer attempt) {
    Optional<Job> job = attempt != null ? job(new JobKey(jobId, attempt)) : latest(jobId);
    return job.map(j -> explain(j, status(j.status() == JobStatus.QUEUED)));
  }

  /** Many jobs explained against one reading of the fleet (the local API's job list). */
  public Map<JobKey, String> why(List<Job> jobs) {
    FleetSnapshot fleet = status(jobs.stream().anyMatch(j -> j.status() == JobStatus.QUEUED));
    Map<JobKey, String> out = new LinkedHashMap<>();
    for (Job job : jobs) {
      out.put(job.key(), explain(job, fleet).why());
    }
    return out;
  }

  private JobDetail explain(Job job, FleetSnapshot fleet) {
    List<Runner> runners = runnersOf(job);
    List<LedgerEvent> events = events(job.key());
    int ahead =
        job.status() == JobStatus.QUEUED
            ? queuedCount(job.platform(), JobsTable.queueSortKey(job.queuedAt(), job.key()))
            : 0;
    return new JobDetail(
        job, runners, events, JobExplainer.why(job, runners, events, fleet, ahead));
  }

  private Optional<Job> job(JobKey key) {
    return Optional.ofNullable(get(JobsTable.jobKey(key))).map(JobsTable::toJob);
  }

  private Optional<Job> latest(long jobId) {
    Optional<Job> found = Optional.empty();
    for (int attempt = 1; attempt <= MAX_ATTEMPT_PROBES; attempt++) {
      Optional<Job> next = job(new JobKey(jobId, attempt));
      if (next.isEmpty()) {
        break;
      }
      found = next;
    }
    if (found.isPresent()) {
      return found;
    }
    // runfleet may have seen only a re-run: the attempts it knows are in no key it can guess.
    return scan(JobsTable.TYPE_JOB, Map.of(JobsTable.JOB_ID, JobsTable.n(jobId))).stream()
        .map(JobsTable::toJob)
        .max(Comparator.comparingInt(j -> j.key().runAttempt()));
  }

  /** The runners requested on the job's account, by their deterministic names, and its ran-on. */
  private List<Runner> runnersOf(Job job) {
    List<String> names = new ArrayList<>();
    if (job.platform() != null) {
      for (int n = 1; n <= job.dispatchCount(); n++) {
        names.add(Runner.nameFor(job.platform(), job.key(), n));
      }
    }
    if (Runner.isOurs(job.ranOn()) && !names.contains(job.ranOn())) {
      names.add(job.ranOn());
    }
    List<Runner> out = new ArrayList<>();
    for (String name : names) {
      Optional.ofNullable(get(JobsTable.runnerKey(name)))
          .map(JobsTable::toRunner)
          .ifPresent(out::add);
    }
    return out;
  }

  private List<LedgerEvent> events(JobKey key) {
    List<LedgerEvent> out = new ArrayList<>();
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :event)")
            .expressionAttributeNames(Map.of("#pk", JobsTable.PK, "#sk", JobsTable.SK))
            .expressionAttributeValues(
                Map.of(
                    ":pk",
                    JobsTable.jobKey(key).get(JobsTable.PK),
                    ":event",
                    JobsTable.s(JobsTable.SK_EVENT_PREFIX)))
            .consistentRead(true)
            .build();
    for (QueryResponse page : dynamo.queryPaginator(request)) {
      for (Map<String, AttributeValue> item : page.items()) {
        String kind = JobsTable.str(item, DynamoDbJobEventStore.KIND);
        out.add(
            new LedgerEvent(
                kind,
                Instant.ofEpochMilli(JobsTable.num(item, DynamoDbJobEventStore.RECEIVED_AT)),
                JobsTable.optStr(item, DynamoDbJobEventStore.DELIVERY_ID).orElse(null),
                action(kind),
                JobsTable.optStr(item, DynamoDbJobEventStore.RUNNER_NAME),
                JobsTable.optStr(item, DynamoDbJobEventStore.CONCLUSION)));
      }
    }
    out.sort(Comparator.comparing(LedgerEvent::time));
    return out;
  }

  /**
   * GitHub announces a job waiting for approval with action {@code queued} (or {@code waiting}).
   */
  private static String action(String kind) {
    return "waiting".equals(kind) ? "queued" : kind;
  }

  // ---- table helpers ----

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
    Map<String, AttributeValue> item =
        dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
    return item == null || item.isEmpty() ? null : item;
  }

  /**
   * Every item of a type (and with the given attribute values), page by page; no Limit, which
   * DynamoDB would apply before the filter.
   */
  private List<Map<String, AttributeValue>> scan(String type, Map<String, AttributeValue> equal) {
    Map<String, String> names = new HashMap<>(Map.of("#type", JobsTable.TYPE));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":type", JobsTable.s(type)));
    StringBuilder filter = new StringBuilder("#type = :type");
    int i = 0;
    for (var e : equal.entrySet()) {
      names.put("#a" + i, e.getKey());
      values.put(":v" + i, e.getValue());
      filter.append(" AND #a").append(i).append(" = :v").append(i);
      i++;
    }
    ScanRequest request =
        ScanRequest.builder()
            .tableName(table)
            .filterExpression(filter.toString())
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .build();
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    for (ScanResponse page : dynamo.scanPaginator(request)) {
      out.addAll(page.items());
    }
    return out;
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
  }
}
