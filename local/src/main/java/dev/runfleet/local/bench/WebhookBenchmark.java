package dev.runfleet.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.SsmStub;
import dev.runfleet.local.aws.LocalContext;
import dev.runfleet.local.runtime.LocalMetrics;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.ProducerHandler;
import dev.runfleet.producer.di.ProducerModule;
import dev.runfleet.producer.intake.SignatureVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The producer's cost per webhook: the real {@link ProducerHandler}, wired from its configuration,
 * handles API Gateway HTTP API events built from GitHub's official example payloads (each request a
 * new delivery of a new job, signed as GitHub signs it) from several threads at once, in two modes:
 *
 * <ul>
 *   <li>{@code stub}: DynamoDB stubbed at its client interface in this JVM, so the numbers are the
 *       handler's own work (verify, parse, route, build the items, log);
 *   <li>{@code sdk}: the real SDK client, as the function builds it, over HTTP to the embedded
 *       DynamoDB emulator in this JVM (whose work is therefore included).
 * </ul>
 *
 * The SSM allow-list is read from an SSM emulator, once per cache period as in the function. Log
 * lines are formatted at the chosen level and discarded, so they cost what they cost without
 * flooding the report; metrics are kept in memory (as the local runtime keeps them).
 */
public final class WebhookBenchmark {

  /** The two ways to reach DynamoDB. */
  public enum Mode {
    STUB,
    SDK;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code label} ({@code stub} or {@code sdk}). */
    public static Mode parse(String label) {
      for (Mode mode : values()) {
        if (mode.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
          return mode;
        }
      }
      throw new IllegalArgumentException("--modes takes stub and sdk; was '" + label + "'");
    }
  }

  /**
   * What to run.
   *
   * @param requests measured requests per mode
   * @param threads requests handled at once
   * @param warmup unmeasured requests per mode first (JIT, connections)
   * @param modes the modes, in order
   * @param logLevel the producer's log level while measuring
   * @param fixtures the directory of GitHub's example payloads
   */
  public record Options(
      int requests, int threads, int warmup, List<Mode> modes, Level logLevel, Path fixtures) {
    public Options {
      if (requests < 1 || requests > 1_000_000) {
        throw new IllegalArgumentException("--requests must be in [1, 1000000]; was " + requests);
      }
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("--threads must be in [1, 64]; was " + threads);
      }
      if (warmup < 0 || warmup > 1_000_000) {
        throw new IllegalArgumentException("--warmup must be in [0, 1000000]; was " + warmup);
      }
      if (modes.isEmpty()) {
        throw new IllegalArgumentException("--modes must name stub, sdk or both");
      }
      modes = List.copyOf(modes);
      if (logLevel == null) {
        throw new IllegalArgumentException(
            "--log-level must be OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL");
      }
    }

    public static Options defaults() {
      // Warm means the SDK's call path compiled: with C2 on two busy cores that took about 20,000
      // webhooks (with 5,000 the sdk mode measured half again as much CPU per request).
      return new Options(
          10_000,
          8,
          20_000,
          List.of(Mode.STUB, Mode.SDK),
          Level.INFO,
          findFixtures().orElse(Path.of("shared/fixtures/github")));
    }
  }

  /**
   * One mode's numbers; latencies in microseconds of one {@code handle}.
   *
   * @param requestsPerSecond measured requests over the wall time of the measured phase
   * @param cpuMicrosPerRequest CPU time of the whole JVM per request (in {@code sdk} mode the
   *     emulator's too)
   * @param results responses by status and result ({@code 200 recorded})
   * @param callsPerEvent DynamoDB calls per webhook, by operation
   * @param callsPerEventByKind the same by the webhook's action
   */
  public record ModeResult(
      int requests,
      double requestsPerSecond,
      double p50Micros,
      double p99Micros,
      double maxMicros,
      double cpuMicrosPerRequest,
      Map<String, Long> results,
      Map<String, Double> callsPerEvent,
      Map<String, Map<String, Double>> callsPerEventByKind,
      long logLines) {}

  /**
   * The result; {@code loadAverage} is the one-minute load average at the end, {@code
   * tieredStopAtLevel} the JVM's highest JIT tier (1, C1 only, as the functions are deployed).
   */
  public record Report(
      Map<String, ModeResult> modes,
      int threads,
      String logLevel,
      int cores,
      double loadAverage,
      double elapsedSeconds,
      int tieredStopAtLevel) {}

  /** The {@code workflow_job} payloads, by the action each carries. */
  static final Map<String, String> FIXTURES =
      Map.of(
          "queued", "queued.payload.json",
          "waiting", "waiting.payload.json",
          "in_progress", "in_progress.payload.json",
          "completed", "completed.success.with-organization.payload.json");

  private static final List<String> KINDS =
      List.of("queued", "waiting", "in_progress", "completed");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\\d+");
  private static final Pattern RESULT = Pattern.compile("^\\{\"result\":\"([a-z]+)\"");
  private static final String TABLE = "bench-jobs";
  private static final String SECRET = "runfleet bench webhook secret";

  /** Job ids far above GitHub's example ones, unique across the run. */
  private final AtomicLong jobIds = new AtomicLong(900_000_000_000L);

  private final Options options;
  private final Map<String, String> payloads = new HashMap<>();

  /**
   * @throws IllegalArgumentException when the fixtures directory lacks one of the payloads
   */
  public WebhookBenchmark(Options options) {
    this.options = options;
    if (!Files.isDirectory(options.fixtures())) {
      throw new IllegalArgumentException(
          "--fixtures must be the directory of GitHub's example payloads (shared/fixtures/github);"
              + " "
              + options.fixtures()
              + " is not a directory");
    }
    for (Map.Entry<String, String> fixture : FIXTURES.entrySet()) {
      try {
        payloads.put(
            fixture.getKey(),
            Files.readString(
                options.fixtures().resolve(fixture.getValue()), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("fixture " + fixture.getValue() + " not readable", e);
      }
    }
  }

  /** {@code shared/fixtures/github} in the working directory or the nearest parent holding it. */
  static Optional<Path> findFixtures() {
    return WorkingTree.find("shared/fixtures/github", Files::isDirectory);
  }

  public Report run(PrintStream out) {
    long started = System.nanoTime();
    out.printf(
        "runfleet bench webhook: the producer handler in this JVM (JIT %s), %d requests per mode"
            + " (after %d warmup) from %d threads, %s logging%n",
        ChildJvm.jit(ChildJvm.tieredStopAtLevel()),
        options.requests(),
        options.warmup(),
        options.threads(),
        options.logLevel());
    LocalMetrics.install();
    Map<String, ModeResult> results = new LinkedHashMap<>();
    for (Mode mode : options.modes()) {
      ModeResult result = mode == Mode.STUB ? stub() : sdk();
      results.put(mode.label(), result);
      out.printf(
          "  %-5s %8.0f req/s   p50 %6.0f µs   p99 %7.0f µs   CPU %6.0f µs/req   DynamoDB calls"
              + " per event %s   %s%n",
          mode.label(),
          result.requestsPerSecond(),
          result.p50Micros(),
          result.p99Micros(),
          result.cpuMicrosPerRequest(),
          result.callsPerEvent(),
          result.results());
    }
    return new Report(
        results,
        options.threads(),
        options.logLevel().name(),
        Runtime.getRuntime().availableProcessors(),
        Rates.loadAverage(),
        Rates.round((System.nanoTime() - started) / 1e9, 1),
        ChildJvm.tieredStopAtLevel());
  }

  /** The report as one JSON line. */
  public static void print(Report report, PrintStream out) {
    JsonLine.print(report, out);
  }

  private ModeResult stub() {
    try (SsmStub ssm = new SsmStub()) {
      CountingDynamoDb dynamoDb = CountingDynamoDb.stub();
      return measure(
          new ProducerHandler(config(ssm.endpoint(), ssm.endpoint()), dynamoDb), dynamoDb);
    }
  }

  private ModeResult sdk() {
    try (EmbeddedDynamoDb emulator = EmbeddedDynamoDb.start(0);
        DynamoDbClient admin = emulator.client();
        SsmStub ssm = new SsmStub()) {
      EmbeddedDynamoDb.createJobsTable(admin, TABLE);
      ProducerConfig config = config(emulator.endpoint(), ssm.endpoint());
      // The client the function builds, counted on its way.
      CountingDynamoDb dynamoDb =
          new CountingDynamoDb(ProducerModule.dynamoDbClient(new AwsClients(config.aws())));
      try (dynamoDb) {
        return measure(new ProducerHandler(config, dynamoDb), dynamoDb);
      }
    }
  }

  private static ProducerConfig config(URI dynamoDb, URI ssm) {
    Map<String, String> env = new HashMap<>();
    env.put(AwsSettings.ENV_REGION, "us-east-1");
    env.put(AwsSettings.ENV_ENDPOINT, dynamoDb.toString());
    env.put(AwsSettings.ENV_ENDPOINT + "_SSM", ssm.toString());
    env.put(ProducerConfig.ENV_TABLE, TABLE);
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET, SECRET);
    env.put(ProducerConfig.ENV_STAGE, "bench");
    env.put(
        ProducerConfig.ENV_PLATFORMS,
        "[{\"name\":\"k8s\",\"labels\":[\"self-hosted\",\"k8s\"],"
            + "\"hostKind\":\"ECS_FARGATE\",\"arch\":\"x64\"}]");
    // GitHub's example payloads are years old: replayed here as fresh deliveries.
    env.put(
        ProducerConfig.ENV_MAX_EVENT_AGE_SECONDS,
        Integer.toString(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS));
    return ProducerConfig.from(env);
  }

  /** One webhook as API Gateway hands it to the function, and the Lambda context it runs in. */
  private record Request(String kind, APIGatewayV2HTTPEvent event, LocalContext context) {}

  private ModeResult measure(ProducerHandler handler, CountingDynamoDb dynamoDb) {
    try (DiscardedLogs logs = DiscardedLogs.install("dev.runfleet.producer", options.logLevel())) {
      run(handler, requests(options.warmup()), new ConcurrentHashMap<>());
      dynamoDb.reset();
      logs.reset();
      List<Request> requests = requests(options.requests());
      Map<String, LongAdder> results = new ConcurrentHashMap<>();
      long cpuBefore = processCpuNanos();
      long started = System.nanoTime();
      long[] nanos = run(handler, requests, results);
      double seconds = (System.nanoTime() - started) / 1e9;
      long cpu = processCpuNanos() - cpuBefore;
      int count = requests.size();
      Arrays.sort(nanos);
      return new ModeResult(
          count,
          Rates.round(count / seconds, 1),
          Rates.round(Rates.percentile(nanos, 0.50) / 1e3, 1),
          Rates.round(Rates.percentile(nanos, 0.99) / 1e3, 1),
          Rates.round(nanos[count - 1] / 1e3, 1),
          Rates.round(cpu / 1e3 / count, 1),
          totals(results),
          perEvent(dynamoDb.calls(), count, ""),
          byKind(dynamoDb.calls(), requests),
          logs.lines());
    }
  }

  private long[] run(
      ProducerHandler handler, List<Request> requests, Map<String, LongAdder> results) {
    APIGatewayV2HTTPResponse[] responses = new APIGatewayV2HTTPResponse[requests.size()];
    long[] nanos =
        TimedCalls.run(
            options.threads(),
            requests.size(),
            "a webhook",
            n -> {
              Request request = requests.get(n);
              CountingDynamoDb.label(request.kind());
              responses[n] = handler.handle(request.event(), request.context());
            });
    // Tallied after the run, so the timed calls pay only for the handler.
    for (APIGatewayV2HTTPResponse response : responses) {
      results.computeIfAbsent(outcome(response), key -> new LongAdder()).increment();
    }
    return nanos;
  }

  /** {@code 200 recorded}: the status and the result the producer answered. */
  private static String outcome(APIGatewayV2HTTPResponse response) {
    Matcher result = RESULT.matcher(response.getBody() == null ? "" : response.getBody());
    return response.getStatusCode() + " " + (result.find() ? result.group(1) : "?");
  }

  /**
   * {@code count} webhooks cycling through the four actions, each a new delivery id and a new job
   * id, signed with the producer's secret. Built before they are measured.
   */
  private List<Request> requests(int count) {
    List<Request> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String kind = KINDS.get(i % KINDS.size());
      String body = withJobId(payloads.get(kind), jobIds.incrementAndGet());
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers = new HashMap<>();
      // API Gateway's HTTP API hands header names to the function in lower case.
      headers.put("content-type", "application/json");
      headers.put("user-agent", "GitHub-Hookshot/bench");
      headers.put("x-github-event", "workflow_job");
      headers.put("x-github-delivery", UUID.randomUUID().toString());
      headers.put("x-hub-signature-256", SignatureVerifier.signatureHeader(SECRET, bytes));
      APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
      event.setVersion("2.0");
      event.setRouteKey("POST /webhook");
      event.setRawPath("/webhook");
      event.setHeaders(headers);
      event.setBody(body);
      event.setIsBase64Encoded(false);
      requests.add(
          new Request(kind, event, new LocalContext("runfleet-producer", Duration.ofSeconds(10))));
    }
    return requests;
  }

  /** {@code payload} with its {@code workflow_job.id} replaced, the rest byte for byte. */
  static String withJobId(String payload, long jobId) {
    int job = payload.indexOf("\"workflow_job\"");
    Matcher id = ID.matcher(payload);
    if (job < 0 || !id.find(job)) {
      throw new IllegalArgumentException("the payload has no workflow_job.id");
    }
    return payload.substring(0, id.start()) + "\"id\": " + jobId + payload.substring(id.end());
  }

  private static Map<String, Long> totals(Map<String, LongAdder> adders) {
    Map<String, Long> out = new TreeMap<>();
    adders.forEach((key, n) -> out.put(key, n.sum()));
    return out;
  }

  /** Calls per event of the keys starting with {@code prefix} (the prefix dropped). */
  private static Map<String, Double> perEvent(Map<String, Long> calls, int events, String prefix) {
    Map<String, Double> out = new TreeMap<>();
    calls.forEach(
        (key, n) -> {
          String operation = key.startsWith(prefix) ? key.substring(prefix.length()) : null;
          if (operation != null && !operation.contains("/")) {
            out.put(operation, Rates.round((double) n / events, 3));
          }
        });
    return out;
  }

  private static Map<String, Map<String, Double>> byKind(
      Map<String, Long> calls, List<Request> requests) {
    Map<String, Long> events = new TreeMap<>();
    requests.forEach(r -> events.merge(r.kind(), 1L, Long::sum));
    Map<String, Map<String, Double>> out = new TreeMap<>();
    events.forEach((kind, n) -> out.put(kind, perEvent(calls, Math.toIntExact(n), kind + "/")));
    return out;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }
}
