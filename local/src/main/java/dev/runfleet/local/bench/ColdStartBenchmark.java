package dev.runfleet.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.EmbeddedSqs;
import dev.runfleet.emulators.dynamodb.DynamoDbApi;
import dev.runfleet.emulators.dynamodb.DynamoDbEngine;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeServer;
import dev.runfleet.emulators.sns.SnsEmulator;
import dev.runfleet.emulators.ssm.SsmEmulator;
import dev.runfleet.local.aws.LocalContext;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.ProducerHandler;
import dev.runfleet.producer.intake.SignatureVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Cold start of each Lambda jar: fresh JVMs, started with the flags the functions run with, each
 * running one function's handler as Lambda's Java runtime would ({@link ColdStartProbe}: no-arg
 * constructor, environment pointing at the AWS emulators started in this JVM, one event),
 * alternating with as many bare-JVM runs (a main that prints and exits). The time of a run is from
 * the process's start to the probe's line, which it prints after the handler answered.
 */
public final class ColdStartBenchmark {

  /**
   * The JAVA_TOOL_OPTIONS Terraform sets on every function in {@code modules/lambda}: the C1
   * compiler only, which reaches its code quickly and spends little CPU compiling.
   */
  public static final List<String> DEPLOYED_JIT_FLAGS =
      List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

  /**
   * What a Lambda function's JVM runs with: {@link #DEPLOYED_JIT_FLAGS}, and the serial collector,
   * which Lambda's Java runtime selects itself.
   */
  public static final List<String> DEPLOYED_FLAGS =
      Stream.concat(DEPLOYED_JIT_FLAGS.stream(), Stream.of("-XX:+UseSerialGC")).toList();

  /** A Lambda jar, its handler as Terraform names it, and what it is fed. */
  public enum Function {
    PRODUCER("producer", "runfleet-producer-lambda.jar", "dev.runfleet.producer.ProducerHandler"),
    PUBLISHER(
        "publisher", "runfleet-publisher-lambda.jar", "dev.runfleet.publisher.PublisherHandler"),
    ORCHESTRATORS(
        "orchestrators",
        "runfleet-orchestrator-ecs-lambda.jar",
        "dev.runfleet.orchestrators.FargateOrchestratorHandler");

    private final String label;
    private final String jar;
    private final String handler;

    Function(String label, String jar, String handler) {
      this.label = label;
      this.jar = jar;
      this.handler = handler;
    }

    public String label() {
      return label;
    }

    public String jar() {
      return jar;
    }

    public String handler() {
      return handler;
    }

    public static Function parse(String label) {
      for (Function f : values()) {
        if (f.label.equals(label)) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "function must be producer, publisher or orchestrators; was '" + label + "'");
    }
  }

  /**
   * @param runs cold starts per function, and as many bare-JVM runs alternating with them
   * @param functions the functions measured, in order
   * @param jars the directory holding the shaded jars, or null for each module's {@code target/}
   *     under the working directory or a parent
   * @param fixtures the directory of GitHub's example payloads
   * @param java the {@code java} executable of the child JVMs
   * @param jvmOptions extra options of the function's child JVMs (not the bare ones), e.g. {@code
   *     -Xlog:class+load:file=classes.log} to see what a cold start loads
   * @param primed run each handler's SnapStart priming between its construction and the timed
   *     invocation, as a snapshot restored by SnapStart has it done
   */
  public record Options(
      int runs,
      List<Function> functions,
      Path jars,
      Path fixtures,
      Path java,
      List<String> jvmOptions,
      boolean primed) {

    public Options {
      if (runs < 1 || runs > 200) {
        throw new IllegalArgumentException("--runs must be in [1, 200]; was " + runs);
      }
      if (functions.isEmpty()) {
        throw new IllegalArgumentException("--functions must name at least one function");
      }
      functions = List.copyOf(functions);
      jvmOptions = List.copyOf(jvmOptions);
    }

    public static Options defaults() {
      return new Options(
          5,
          List.of(Function.values()),
          null,
          WebhookBenchmark.findFixtures().orElse(Path.of("shared/fixtures/github")),
          Path.of(System.getProperty("java.home"), "bin", "java"),
          List.of(),
          false);
    }
  }

  /**
   * One function's cold starts.
   *
   * @param medianMs median from process start to the handler's answer
   * @param ratioToBareJvm {@code medianMs} over the bare JVM's median
   * @param minMs fastest run
   * @param maxMs slowest run
   * @param cpuMedianMs median CPU time of the function's JVM (all its threads: JIT and GC too) from
   *     its start to its answer, read from the operating system while the JVM still runs: steadier
   *     than {@code medianMs} when other work shares the machine
   * @param invocationMedianMs median of the first invocation alone, from the constructed (and, with
   *     {@code --primed}, primed) handler to its answer: what a SnapStart restore's first
   *     invocation pays after the restore itself
   */
  public record FunctionResult(
      double medianMs,
      double ratioToBareJvm,
      double minMs,
      double maxMs,
      double cpuMedianMs,
      double invocationMedianMs) {}

  /**
   * The JSON line.
   *
   * @param bench always {@code coldstart}
   * @param runs cold starts per function
   * @param flags the child JVMs' flags
   * @param primed whether each handler's SnapStart priming ran before its invocation
   * @param bareJvmMedianMs median of the bare-JVM runs
   * @param functions results by function
   * @param loadAverage the one-minute load average at the end
   */
  public record Report(
      String bench,
      int runs,
      List<String> flags,
      boolean primed,
      double bareJvmMedianMs,
      Map<String, FunctionResult> functions,
      double loadAverage) {}

  private static final String STAGE = "bench";
  private static final String TABLE = "runfleet-jobs";
  private static final String PLATFORM = "fargate";
  private static final String SECRET_PARAMETER = "/runfleet/bench/webhook-secret";
  private static final String SECRET = "runfleet coldstart bench secret";
  private static final String PLATFORMS =
      "[{\"name\":\"fargate\",\"labels\":[\"self-hosted\",\"linux\",\"x64\",\"fargate\"],"
          + "\"hostKind\":\"ECS_FARGATE\",\"arch\":\"x64\",\"cap\":1000}]";
  private static final String LABELS = "[\"self-hosted\", \"linux\", \"x64\", \"fargate\"]";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Options options;
  private final String queuedPayload;
  private final AtomicLong jobIds = new AtomicLong(800_000_000_000L);

  /**
   * @throws IllegalArgumentException when a jar or the fixtures cannot be found
   */
  public ColdStartBenchmark(Options options) {
    this.options = options;
    for (Function f : options.functions()) {
      jar(f);
    }
    Path queued = options.fixtures().resolve("queued.payload.json");
    if (!Files.isRegularFile(queued)) {
      throw new IllegalArgumentException(
          "--fixtures must be the directory of GitHub's example payloads; "
              + queued
              + " is missing");
    }
    try {
      queuedPayload = Files.readString(queued, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("fixture " + queued + " not readable", e);
    }
  }

  /** The shaded jar of {@code function}. */
  Path jar(Function function) {
    if (options.jars() != null) {
      return existing(options.jars().resolve(function.jar()), function);
    }
    return WorkingTree.find(function.label() + "/target/" + function.jar(), Files::isRegularFile)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    function.jar()
                        + " not found under "
                        + function.label()
                        + "/target in the working directory or a parent: build it first (mvn -o -q -pl"
                        + " producer,publisher,orchestrators -am package -DskipTests) or name its directory"
                        + " with --jars"));
  }

  private static Path existing(Path jar, Function function) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "--jars: " + jar + " is missing (the " + function.label() + "'s shaded jar)");
    }
    return jar;
  }

  public Report run(PrintStream out) {
    out.printf(
        "runfleet bench coldstart: %d cold starts of each of %s, alternating with as many bare"
            + " JVMs, flags %s%n",
        options.runs(),
        options.functions().stream().map(Function::label).toList(),
        String.join(" ", DEPLOYED_FLAGS));
    Path work = null;
    try (Bed bed = Bed.start()) {
      work = Files.createTempDirectory("runfleet-coldstart");
      Path probe = ProbeClasses.jar();
      Map<Function, List<Double>> times = new LinkedHashMap<>();
      Map<Function, List<Double>> cpu = new LinkedHashMap<>();
      Map<Function, List<Double>> invocations = new LinkedHashMap<>();
      List<Double> bare = new ArrayList<>();
      for (int run = 0; run < options.runs(); run++) {
        for (Function function : options.functions()) {
          Path event = work.resolve(function.label() + "-" + run + ".json");
          Files.writeString(event, event(bed, function));
          Child child = child(probe, function, event, bed.environment(function));
          times.computeIfAbsent(function, f -> new ArrayList<>()).add(child.millis());
          cpu.computeIfAbsent(function, f -> new ArrayList<>()).add(child.cpuMillis());
          invocations
              .computeIfAbsent(function, f -> new ArrayList<>())
              .add(child.invocationMillis());
          Child plain = bareJvm(probe);
          bare.add(plain.millis());
          out.printf(
              Locale.ROOT,
              "  run %d %-13s %7.1f ms (CPU %6.0f ms, invocation %6.1f ms)   bare JVM %6.1f ms"
                  + "   answer %s%n",
              run + 1,
              function.label(),
              child.millis(),
              child.cpuMillis(),
              child.invocationMillis(),
              plain.millis(),
              abbreviate(child.answer()));
        }
      }
      double bareMedian = Rates.median(bare.stream().mapToDouble(Double::doubleValue).toArray());
      Map<String, FunctionResult> results = new LinkedHashMap<>();
      times.forEach(
          (function, ms) -> {
            double[] values = ms.stream().mapToDouble(Double::doubleValue).toArray();
            double median = Rates.median(values);
            results.put(
                function.label(),
                new FunctionResult(
                    Rates.round(median, 1),
                    Rates.round(median / bareMedian, 2),
                    Rates.round(values[0], 1),
                    Rates.round(values[values.length - 1], 1),
                    Rates.round(medianOf(cpu.get(function)), 1),
                    Rates.round(medianOf(invocations.get(function)), 1)));
          });
      return new Report(
          "coldstart",
          options.runs(),
          DEPLOYED_FLAGS,
          options.primed(),
          Rates.round(bareMedian, 1),
          results,
          Rates.loadAverage());
    } catch (IOException e) {
      throw new UncheckedIOException("the cold-start runs could not be prepared", e);
    } finally {
      deleteQuietly(work);
    }
  }

  private static double medianOf(List<Double> values) {
    return Rates.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public static void print(Report report, PrintStream out) {
    report
        .functions()
        .forEach(
            (name, r) ->
                out.printf(
                    Locale.ROOT,
                    "%-13s median %7.1f ms = %5.2f x bare JVM (%.1f ms); min %.1f, max %.1f;"
                        + " CPU median %.0f ms; first invocation%s %.1f ms%n",
                    name,
                    r.medianMs(),
                    r.ratioToBareJvm(),
                    report.bareJvmMedianMs(),
                    r.minMs(),
                    r.maxMs(),
                    r.cpuMedianMs(),
                    report.primed() ? " after priming" : "",
                    r.invocationMedianMs()));
    JsonLine.print(report, out);
  }

  // ---- the events, one new one per run ----

  private String event(Bed bed, Function function) {
    return switch (function) {
      case PRODUCER -> apiGatewayEvent(webhook());
      case PUBLISHER -> bed.streamBatchOf(webhook());
      case ORCHESTRATORS -> sqsEvent();
    };
  }

  /** GitHub's queued example as a new delivery of a new job for the bench platform, signed. */
  private Webhook webhook() {
    String body =
        withLabels(WebhookBenchmark.withJobId(queuedPayload, jobIds.incrementAndGet()), LABELS);
    return new Webhook(
        body,
        UUID.randomUUID().toString(),
        SignatureVerifier.signatureHeader(SECRET, body.getBytes(StandardCharsets.UTF_8)));
  }

  private record Webhook(String body, String delivery, String signature) {}

  /** {@code payload} with its {@code workflow_job.labels} replaced by {@code labels}. */
  static String withLabels(String payload, String labels) {
    int job = payload.indexOf("\"workflow_job\"");
    int at = payload.indexOf("\"labels\"", job);
    int end = at < 0 ? -1 : payload.indexOf(']', at);
    if (job < 0 || at < 0 || end < 0) {
      throw new IllegalArgumentException("the payload has no workflow_job.labels");
    }
    return payload.substring(0, at) + "\"labels\": " + labels + payload.substring(end + 1);
  }

  /** The webhook as API Gateway's HTTP API (payload 2.0) hands it to the function. */
  private static String apiGatewayEvent(Webhook webhook) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "POST /webhook");
    event.put("rawPath", "/webhook");
    event.put("rawQueryString", "");
    ObjectNode headers = event.putObject("headers");
    headers.put("content-type", "application/json");
    headers.put("user-agent", "GitHub-Hookshot/coldstart");
    headers.put("x-github-event", "workflow_job");
    headers.put("x-github-delivery", webhook.delivery());
    headers.put("x-hub-signature-256", webhook.signature());
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "000000000000");
    context.put("apiId", "coldstart");
    context.put("domainName", "coldstart.execute-api.us-east-1.amazonaws.com");
    context.put("requestId", UUID.randomUUID().toString());
    context.put("routeKey", "POST /webhook");
    context.put("stage", "$default");
    context.put("timeEpoch", Instant.now().toEpochMilli());
    ObjectNode http = context.putObject("http");
    http.put("method", "POST");
    http.put("path", "/webhook");
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "140.82.115.10");
    http.put("userAgent", "GitHub-Hookshot/coldstart");
    event.put("body", webhook.body());
    event.put("isBase64Encoded", false);
    return event.toString();
  }

  /**
   * A tear-down for a runner that has no record (a duplicate, as SQS and SNS deliver): the
   * orchestrator decodes it, reads the runner's record and answers done.
   */
  private static String sqsEvent() {
    RunnerCommand command =
        new RunnerCommand.TearDown(
            1,
            UUID.randomUUID().toString(),
            "rf-coldstart-" + UUID.randomUUID(),
            PLATFORM,
            "job-completed",
            Instant.now());
    ObjectNode event = JSON.createObjectNode();
    ObjectNode message = event.putArray("Records").addObject();
    message.put("messageId", UUID.randomUUID().toString());
    message.put("receiptHandle", "coldstart");
    message.put("body", new CommandCodec().toJson(command));
    ObjectNode attributes = message.putObject("attributes");
    attributes.put("ApproximateReceiveCount", "1");
    attributes.put("SentTimestamp", Long.toString(Instant.now().toEpochMilli()));
    message.putObject("messageAttributes");
    message.put("eventSource", "aws:sqs");
    message.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:runfleet-" + PLATFORM);
    message.put("awsRegion", "us-east-1");
    return event.toString();
  }

  // ---- child JVMs ----

  /**
   * One child JVM's run: wall time and CPU time to its answer (NaN when unreadable), and the first
   * invocation's own time as the child measured it (NaN for the bare JVM).
   */
  private record Child(double millis, double cpuMillis, double invocationMillis, String answer) {}

  private Child child(Path probe, Function function, Path event, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(options.java().toString());
    command.addAll(DEPLOYED_FLAGS);
    command.addAll(options.jvmOptions());
    command.add("-cp");
    command.add(probe + java.io.File.pathSeparator + jar(function));
    command.add(ColdStartProbe.class.getName());
    command.add(function.handler());
    command.add(event.toString());
    if (options.primed()) {
      command.add(ColdStartProbe.PRIMED);
    }
    Child child = launch(command, env);
    if (!answered(function, child.answer())) {
      throw new IllegalStateException(
          "the " + function.label() + " did not handle its event: " + abbreviate(child.answer()));
    }
    return child;
  }

  private Child bareJvm(Path probe) {
    List<String> command = new ArrayList<>();
    command.add(options.java().toString());
    command.addAll(DEPLOYED_FLAGS);
    command.add("-cp");
    command.add(probe.toString());
    command.add(ColdStartProbe.Bare.class.getName());
    return launch(command, Map.of());
  }

  /** A good answer: 200 recorded for the webhook, no batch item failure for the batches. */
  static boolean answered(Function function, String answer) {
    return switch (function) {
      case PRODUCER -> answer.contains("\"statusCode\":200") && answer.contains("recorded");
      case PUBLISHER, ORCHESTRATORS -> answer.replace(" ", "").contains("\"batchItemFailures\":[]");
    };
  }

  private static Child launch(List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
    String answer = null;
    double millis = 0;
    double cpuMillis = Double.NaN;
    double invocationMillis = Double.NaN;
    StringBuilder output = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(ColdStartProbe.INVOCATION_MARKER)) {
          invocationMillis =
              Double.parseDouble(line.substring(ColdStartProbe.INVOCATION_MARKER.length()).trim());
        } else if (answer == null && line.startsWith(ColdStartProbe.MARKER)) {
          millis = (System.nanoTime() - started) / 1e6;
          cpuMillis = cpuMillis(process);
          answer = line.substring(ColdStartProbe.MARKER.length()).trim();
        } else if (output.length() < 4000) {
          output.append(line).append('\n');
        }
      }
      int exit = process.waitFor();
      if (answer == null || exit != 0) {
        throw new IllegalStateException(
            "the child JVM exited "
                + exit
                + " without an answer; its output: "
                + output.toString().strip().replace('\n', ' '));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the child JVM's output could not be read", e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new Child(millis, cpuMillis, invocationMillis, answer);
  }

  /** The CPU the process has used so far, as the operating system counts it; NaN if unknown. */
  private static double cpuMillis(Process process) {
    return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
  }

  private static String abbreviate(String text) {
    return text.length() <= 160 ? text : text.substring(0, 157) + "...";
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind costs nothing; the report stands.
    }
  }

  /**
   * The probe's classes and the Lambda runtime's serialisation library, copied from this JVM's
   * class path into one jar: the child's class path besides the function's jar. A jar, not a
   * directory, and kept under the temporary directory by the hash of its content, so that
   * class-data sharing options work through {@code --jvm-option}: the JVM archives classes from
   * jars only, refuses a class path holding a non-empty directory, and uses an archive only with
   * the same jars at the same paths, unmodified since it was made.
   */
  static final class ProbeClasses {

    private static final List<String> PREFIXES =
        List.of(
            ColdStartProbe.class.getName().replace('.', '/'),
            LocalContext.class.getName().replace('.', '/'),
            "com/amazonaws/services/lambda/runtime/serialization/",
            "com/amazonaws/lambda/thirdparty/");

    private static final long FIXED_ENTRY_TIME = 946_684_800_000L; // 2000-01-01T00:00:00Z

    private ProbeClasses() {}

    /**
     * The probe's jar, {@code runfleet-coldstart-probe-<sha-256>.jar} in the temporary directory:
     * its classes read from this JVM's class path and packed in name order with fixed entry times,
     * so the same classes make the same bytes; a jar already there with that content is used as it
     * is.
     */
    static Path jar() throws IOException {
      SortedMap<String, byte[]> classes = new TreeMap<>();
      Set<Path> sources = new LinkedHashSet<>();
      for (Class<?> owner :
          List.of(ColdStartProbe.class, LocalContext.class, LambdaEventSerializers.class)) {
        sources.add(codeSource(owner));
      }
      for (Path source : sources) {
        read(source, classes);
      }
      byte[] jar = pack(classes);
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      Path kept = tmp.resolve("runfleet-coldstart-probe-" + sha256(jar) + ".jar");
      if (!Files.exists(kept)) {
        Path written =
            Files.write(Files.createTempFile(tmp, "runfleet-coldstart-probe-", ".part"), jar);
        Files.move(written, kept, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return kept;
    }

    private static String sha256(byte[] bytes) {
      try {
        return java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 unavailable", e);
      }
    }

    private static byte[] pack(SortedMap<String, byte[]> classes) throws IOException {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(bytes)) {
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
          JarEntry entry = new JarEntry(e.getKey());
          entry.setTime(FIXED_ENTRY_TIME);
          out.putNextEntry(entry);
          out.write(e.getValue());
          out.closeEntry();
        }
      }
      return bytes.toByteArray();
    }

    private static Path codeSource(Class<?> type) {
      try {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("the class path of " + type.getName() + " is no path", e);
      }
    }

    /** The wanted files of a class-path entry (a directory or a jar), by their names in a jar. */
    private static void read(Path source, Map<String, byte[]> classes) throws IOException {
      if (Files.isDirectory(source)) {
        try (Stream<Path> files = Files.walk(source)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            String name = source.relativize(file).toString().replace('\\', '/');
            if (Files.isRegularFile(file) && wanted(name)) {
              classes.put(name, Files.readAllBytes(file));
            }
          }
        }
        return;
      }
      try (JarFile jar = new JarFile(source.toFile())) {
        for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
          if (!entry.isDirectory() && wanted(entry.getName())) {
            try (InputStream in = jar.getInputStream(entry)) {
              classes.put(entry.getName(), in.readAllBytes());
            }
          }
        }
      }
    }

    private static boolean wanted(String name) {
      return PREFIXES.stream().anyMatch(name::startsWith);
    }
  }

  /**
   * The AWS APIs the functions call, emulated behind one port in this JVM: DynamoDB with its stream
   * and the jobs table, SSM with the webhook secret and the caps, SNS with the commands topic (over
   * ElasticMQ).
   */
  private static final class Bed implements AutoCloseable {

    private final EmbeddedSqs sqsServer;
    private final SqsClient sqs;
    private final EdgeServer edge;
    private final DynamoDbApi dynamoDbApi;
    private final String topicArn;
    private final String streamArn;
    private ProducerHandler producer;

    private Bed(
        EmbeddedSqs sqsServer,
        SqsClient sqs,
        EdgeServer edge,
        DynamoDbApi dynamoDbApi,
        String topicArn,
        String streamArn) {
      this.sqsServer = sqsServer;
      this.sqs = sqs;
      this.edge = edge;
      this.dynamoDbApi = dynamoDbApi;
      this.topicArn = topicArn;
      this.streamArn = streamArn;
    }

    static Bed start() {
      EmbeddedSqs sqsServer = EmbeddedSqs.start(0);
      SqsClient sqs = new AwsClients(sqsServer.settings()).configure(SqsClient.builder()).build();
      SnsEmulator sns = new SnsEmulator(sqs, "us-east-1");
      String topicArn = sns.createTopic("runfleet-commands");
      String queueUrl =
          sqs.createQueue(b -> b.queueName("runfleet-coldstart-" + PLATFORM)).queueUrl();
      sns.subscribe(topicArn, "{\"platform\":[\"" + PLATFORM + "\"]}", queueUrl);
      SsmEmulator ssm = new SsmEmulator("us-east-1", Clock.systemUTC());
      ssm.put(SECRET_PARAMETER, SECRET);
      ssm.put(RuntimeParameters.cap(STAGE, PLATFORM), "1000");
      ssm.put(RuntimeParameters.cap(STAGE, RuntimeParameters.GLOBAL), "1000");
      DynamoDbApi dynamoDbApi = new DynamoDbApi(new DynamoDbEngine(Clock.systemUTC(), "us-east-1"));
      EdgeServer edge = EdgeServer.start(0, AwsEdge.of(dynamoDbApi, ssm, sns));
      String streamArn;
      try (DynamoDbClient dynamo =
          new AwsClients(AwsSettings.emulator(edge.endpoint()))
              .configure(DynamoDbClient.builder())
              .build()) {
        streamArn = EmbeddedDynamoDb.createJobsTable(dynamo, TABLE);
      }
      return new Bed(sqsServer, sqs, edge, dynamoDbApi, topicArn, streamArn);
    }

    /** What Terraform sets for {@code function}, pointed at the emulators. */
    Map<String, String> environment(Function function) {
      Map<String, String> env = new HashMap<>();
      String endpoint = edge.endpoint().toString();
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_DEFAULT_REGION", "us-east-1");
      env.put("AWS_ENDPOINT_URL", endpoint);
      env.put(AwsSettings.ENV_ENDPOINT, endpoint);
      env.put("AWS_ACCESS_KEY_ID", "runfleet");
      env.put("AWS_SECRET_ACCESS_KEY", "runfleet");
      env.put("AWS_LAMBDA_FUNCTION_NAME", "runfleet-" + function.label());
      env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
      env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
      env.put(AwsSettings.ENV_CALL_TIMEOUT_MS, "8000");
      env.put("RUNFLEET_TABLE", TABLE);
      env.put("RUNFLEET_STAGE", STAGE);
      env.put("RUNFLEET_PLATFORMS", PLATFORMS);
      env.put("RUNFLEET_PARAMETER_CACHE_SECONDS", "30");
      switch (function) {
        case PRODUCER -> {
          env.put(ProducerConfig.ENV_WEBHOOK_SECRET_PARAM, SECRET_PARAMETER);
          // GitHub's example payloads are years old: replayed here as fresh deliveries.
          env.put(
              ProducerConfig.ENV_MAX_EVENT_AGE_SECONDS,
              Integer.toString(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS));
        }
        case PUBLISHER -> {
          env.put("RUNFLEET_TOPIC_ARN", topicArn);
          env.put("RUNFLEET_GLOBAL_CAP", "1000");
        }
        case ORCHESTRATORS -> {
          env.put("RUNFLEET_PLATFORM", PLATFORM);
          env.put("RUNFLEET_GITHUB_APP_ID", "1");
          env.put(
              "RUNFLEET_GITHUB_PRIVATE_KEY_ARN",
              "arn:aws:secretsmanager:us-east-1:000000000000:secret:runfleet-app-key");
          env.put("RUNFLEET_GITHUB_API_URL", "https://api.github.com");
          env.put("RUNFLEET_JIT_SECRET_PREFIX", "runfleet/bench/jit");
          env.put("RUNFLEET_RUNNER_ROLE_ID", "AROAEXAMPLEROLEID1234");
          env.put("RUNFLEET_SPOT_MODE", "spotPreferred");
          env.put("RUNFLEET_SUBNETS", "subnet-0123456789abcdef0");
          env.put("RUNFLEET_ECS_CLUSTER", "arn:aws:ecs:us-east-1:000000000000:cluster/runfleet");
          env.put("RUNFLEET_ECS_TASK_DEFINITION", "runfleet-runner:1");
        }
      }
      return env;
    }

    /**
     * The stream records the producer's append of {@code webhook} wrote, as Lambda's event source
     * mapping hands them to the publisher: the producer runs in this JVM, its records are read from
     * the stream as GetRecords returns them, with the source ARN Lambda adds.
     */
    String streamBatchOf(Webhook webhook) {
      String shard =
          call("DescribeStream", Map.of("StreamArn", streamArn))
              .path("StreamDescription")
              .path("Shards")
              .path(0)
              .path("ShardId")
              .asText();
      String iterator =
          call(
                  "GetShardIterator",
                  Map.of("StreamArn", streamArn, "ShardId", shard, "ShardIteratorType", "LATEST"))
              .path("ShardIterator")
              .asText();
      APIGatewayV2HTTPResponse answer =
          producer()
              .handle(
                  webhookEvent(webhook),
                  new LocalContext("runfleet-producer", java.time.Duration.ofSeconds(10)));
      if (answer.getStatusCode() != 200) {
        throw new IllegalStateException("the producer in this JVM answered " + answer.getBody());
      }
      JsonNode records = call("GetRecords", Map.of("ShardIterator", iterator)).path("Records");
      ArrayNode batch = JSON.createArrayNode();
      for (JsonNode record : records) {
        ObjectNode copy = ((ObjectNode) record).deepCopy();
        copy.put("eventSourceARN", streamArn);
        batch.add(copy);
      }
      if (batch.isEmpty()) {
        throw new IllegalStateException("the producer's append wrote no stream record");
      }
      ObjectNode event = JSON.createObjectNode();
      event.set("Records", batch);
      return event.toString();
    }

    private ProducerHandler producer() {
      if (producer == null) {
        producer = new ProducerHandler(ProducerConfig.from(environment(Function.PRODUCER)));
      }
      return producer;
    }

    private static APIGatewayV2HTTPEvent webhookEvent(Webhook webhook) {
      APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
      event.setHeaders(
          Map.of(
              "content-type",
              "application/json",
              "x-github-event",
              "workflow_job",
              "x-github-delivery",
              webhook.delivery(),
              "x-hub-signature-256",
              webhook.signature()));
      event.setBody(webhook.body());
      event.setIsBase64Encoded(false);
      return event;
    }

    private JsonNode call(String operation, Map<String, String> request) {
      try {
        DynamoDbApi.Reply reply =
            dynamoDbApi.handle(
                DynamoDbApi.STREAMS_PREFIX + operation, JSON.writeValueAsBytes(request));
        JsonNode body = JSON.readTree(reply.body());
        if (reply.status() != 200) {
          throw new IllegalStateException(operation + " failed: " + body);
        }
        return body;
      } catch (IOException e) {
        throw new UncheckedIOException(operation + " could not be read", e);
      }
    }

    @Override
    public void close() {
      edge.close();
      sqs.close();
      sqsServer.close();
    }
  }
}
