package dev.runfleet.local.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Two builds' runs of one bench alternated within one run, so that both see the same load: a fresh
 * child process per run ({@code java -jar DIR/runfleet.jar bench NAME ARGS}, environment and
 * working directory passed through), in ABBA order (before, after, after, before, before, after,
 * ...) so that load drifting during the run weighs on both alike. Each child's report is the last
 * line of its stdout that is a whole JSON object; its stderr and stdout go to one log file. The
 * summary gives, per key metric of the bench, each build's median, min and max and the after/before
 * ratio of the medians.
 */
public final class BuildComparison {

  /** The benches that can be compared, the key metrics of their JSON lines, and default rounds. */
  public enum Bench {
    PIPELINE(
        "pipeline",
        3,
        List.of(
            "jobsPerSecond",
            "concludedJobsPerSecond",
            "cpuMillisPerJob",
            "callsPerJob.total",
            "seconds",
            "queuedToDispatchedP50Ms",
            "queuedToCompletedP50Ms"),
        "callsPerJob.byStage",
        List.of("total")),
    /** Per function; {@code cpuMedianMs} where the build reports it (steadier under load). */
    COLDSTART(
        "coldstart",
        5,
        List.of("bareJvmMedianMs"),
        "functions",
        List.of("medianMs", "ratioToBareJvm", "cpuMedianMs", "invocationMedianMs")),
    WEBHOOK("webhook", 5, List.of(), "modes", List.of("requestsPerSecond", "cpuMicrosPerRequest"));

    private final String label;
    private final int defaultRounds;
    private final List<String> metrics;
    private final String group;
    private final List<String> groupMetrics;

    Bench(
        String label,
        int defaultRounds,
        List<String> metrics,
        String group,
        List<String> groupMetrics) {
      this.label = label;
      this.defaultRounds = defaultRounds;
      this.metrics = metrics;
      this.group = group;
      this.groupMetrics = groupMetrics;
    }

    public String label() {
      return label;
    }

    public int defaultRounds() {
      return defaultRounds;
    }

    public static Bench parse(String label) {
      for (Bench b : values()) {
        if (b.label.equals(label)) {
          return b;
        }
      }
      throw new IllegalArgumentException(
          "--bench must be pipeline, coldstart or webhook; was '" + label + "'");
    }

    /**
     * The key metrics of one report, by name: top-level ones as named (a dotted name is a path:
     * {@code callsPerJob.total}), those of each function, mode or stage as {@code ENTRY.METRIC}
     * ({@code producer.medianMs}, {@code stub.requestsPerSecond}, {@code publisher.total}). A
     * metric the report lacks or holds as no number is left out.
     */
    Map<String, Double> metrics(JsonNode report) {
      Map<String, Double> found = new LinkedHashMap<>();
      metrics.forEach(name -> putNumber(found, name, at(report, name)));
      if (group != null) {
        at(report, group)
            .fields()
            .forEachRemaining(
                entry ->
                    groupMetrics.forEach(
                        name ->
                            putNumber(
                                found, entry.getKey() + "." + name, entry.getValue().get(name))));
      }
      return found;
    }

    /**
     * Every metric name {@link #metrics} can give for {@code reports}, in the order a report lists
     * them: the top-level ones, then each function's or mode's together, in order of first sight.
     */
    List<String> names(List<JsonNode> reports) {
      List<String> names = new ArrayList<>(metrics);
      if (group != null) {
        Set<String> entries = new LinkedHashSet<>();
        reports.forEach(report -> at(report, group).fieldNames().forEachRemaining(entries::add));
        entries.forEach(entry -> groupMetrics.forEach(name -> names.add(entry + "." + name)));
      }
      return names;
    }

    private static JsonNode at(JsonNode report, String dottedPath) {
      JsonNode node = report;
      for (String field : dottedPath.split("\\.")) {
        node = node.path(field);
      }
      return node;
    }

    private static void putNumber(Map<String, Double> into, String name, JsonNode value) {
      if (value != null && value.isNumber()) {
        into.put(name, value.asDouble());
      }
    }
  }

  /** Which of the two builds a run belongs to. */
  public enum Build {
    BEFORE,
    AFTER;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How one build's bench starts as a process: its command line. */
  @FunctionalInterface
  public interface Launcher {

    /**
     * @throws IllegalArgumentException when {@code build} lacks what the bench needs
     */
    List<String> command(Path build, Bench bench, List<String> args);

    /**
     * {@code java -jar BUILD/runfleet.jar bench NAME ARGS} with this JVM's {@code java}; for the
     * cold start, {@code --jars BUILD} first, so that each build's run starts its own Lambda jars;
     * for the pipeline and the webhook, the JIT flags the functions are deployed with.
     */
    Launcher JAR =
        (build, bench, args) -> {
          Path jar = build.resolve("runfleet.jar");
          if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                build
                    + " holds no runfleet.jar (build it: mvn -o -q -pl local -am package"
                    + " -DskipTests, then copy local/target/runfleet.jar there)");
          }
          List<String> command =
              new ArrayList<>(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-jar",
                      jar.toString(),
                      "bench",
                      bench.label()));
          if (bench == Bench.PIPELINE || bench == Bench.WEBHOOK) {
            // Both builds' runs with the JIT as deployed, whether or not a build's own bench
            // would start itself that way (those before its --jit do not).
            command.addAll(1, ColdStartBenchmark.DEPLOYED_JIT_FLAGS);
          }
          if (bench == Bench.COLDSTART) {
            for (ColdStartBenchmark.Function f : ColdStartBenchmark.Function.values()) {
              if (!Files.isRegularFile(build.resolve(f.jar()))) {
                throw new IllegalArgumentException(
                    build + " holds no " + f.jar() + ", which bench coldstart starts");
              }
            }
            command.addAll(List.of("--jars", build.toString()));
          }
          command.addAll(args);
          return command;
        };
  }

  /**
   * What to compare.
   *
   * @param before the directory of the first build
   * @param after the directory of the second build
   * @param bench the bench both run
   * @param rounds runs per build
   * @param timeout how long one child may run before it is ended
   * @param args passed to every child's bench after its name
   * @param log where the children's stderr and stdout go
   */
  public record Options(
      Path before,
      Path after,
      Bench bench,
      int rounds,
      Duration timeout,
      List<String> args,
      Path log) {

    public Options {
      if (rounds < 1 || rounds > 100) {
        throw new IllegalArgumentException("--rounds must be in [1, 100]; was " + rounds);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "--timeout must be at least 1 s; was " + timeout.toSeconds() + " s");
      }
      if (bench == Bench.COLDSTART && args.stream().anyMatch(a -> a.startsWith("--jars"))) {
        throw new IllegalArgumentException(
            "--jars is compare's to set: each build's coldstart runs the Lambda jars of its own"
                + " directory");
      }
      args = List.copyOf(args);
    }

    Path dir(Build build) {
      return build == Build.BEFORE ? before : after;
    }
  }

  /** One child run's place in the order. */
  record Slot(int round, Build build) {}

  /**
   * One child run: its JSON line ({@code result}) when it printed one, and {@code error} when it
   * failed (exited non-zero, printed no JSON line, or was ended after the timeout).
   */
  record ChildRun(
      Slot slot,
      Path dir,
      double loadAverageAtStart,
      Integer exitCode,
      double seconds,
      JsonNode result,
      String error) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final int STDERR_TAIL_BYTES = 8192;

  private final Options options;
  private final Map<Build, List<String>> commands = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when a build's directory lacks what {@code launcher} needs
   */
  public BuildComparison(Options options, Launcher launcher) {
    this.options = options;
    for (Build build : Build.values()) {
      try {
        commands.put(build, launcher.command(options.dir(build), options.bench(), options.args()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--" + build.label() + ": " + e.getMessage(), e);
      }
    }
  }

  /** ABBA: round 1 before then after, round 2 after then before, and so on. */
  static List<Slot> order(int rounds) {
    List<Slot> order = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      boolean beforeFirst = round % 2 == 1;
      order.add(new Slot(round, beforeFirst ? Build.BEFORE : Build.AFTER));
      order.add(new Slot(round, beforeFirst ? Build.AFTER : Build.BEFORE));
    }
    return order;
  }

  /** The last line of {@code stdout} that is one whole JSON object, if any. */
  static Optional<JsonNode> lastJsonObject(List<String> stdout) {
    for (int i = stdout.size() - 1; i >= 0; i--) {
      String line = stdout.get(i).strip();
      if (!line.startsWith("{")) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        if (node.isObject()) {
          return Optional.of(node);
        }
      } catch (JsonProcessingException e) {
        // A line of text that merely starts with a brace: keep looking above it.
      }
    }
    return Optional.empty();
  }

  /**
   * Runs the children in order, printing first where the log goes, then a JSON line per child as it
   * ends, then the summary line. A child that printed no JSON line (or was ended) stops the runs:
   * its build gives nothing to compare.
   *
   * @return the failures, empty when every child exited 0 with its JSON line
   */
  public List<String> run(PrintWriter out) {
    Path log = options.log();
    writeLog(log, "", StandardOpenOption.TRUNCATE_EXISTING);
    out.println("runfleet bench compare: each run's stderr and stdout go to " + log);
    List<ChildRun> runs = new ArrayList<>();
    for (Slot slot : order(options.rounds())) {
      ChildRun run = runChild(slot);
      runs.add(run);
      out.println(JsonLine.text(line(run)));
      out.flush();
      if (run.result() == null) {
        break;
      }
    }
    ObjectNode summary = summary(options.bench(), runs);
    summary.put("before", options.before().toString());
    summary.put("after", options.after().toString());
    out.println(JsonLine.text(summary));
    out.flush();
    List<String> failures = new ArrayList<>();
    summary.path("failures").forEach(f -> failures.add(f.asText()));
    return failures;
  }

  private ChildRun runChild(Slot slot) {
    Path dir = options.dir(slot.build());
    List<String> command = commands.get(slot.build());
    Path log = options.log();
    writeLog(
        log,
        String.format(
            "==== round %d, %s (%s): %s%n", slot.round(), slot.build().label(), dir, command),
        StandardOpenOption.APPEND);
    double load = Rates.loadAverage();
    Path stdout = null;
    try {
      stdout = Files.createTempFile("runfleet-compare-", ".out");
      long stderrFrom = Files.size(log);
      long started = System.nanoTime();
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(stdout.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      process.getOutputStream().close();
      Thread stopOnExit = new Thread(() -> end(process));
      Runtime.getRuntime().addShutdownHook(stopOnExit);
      boolean finished;
      try {
        finished = process.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finished = false;
      } finally {
        if (process.isAlive()) {
          end(process);
        }
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      }
      double seconds = Rates.round((System.nanoTime() - started) / 1e9, 1);
      String stderrTail = lastLine(log, stderrFrom);
      List<String> lines =
          new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8).lines().toList();
      writeLog(
          log,
          "---- its stdout:"
              + System.lineSeparator()
              + String.join(System.lineSeparator(), lines)
              + System.lineSeparator(),
          StandardOpenOption.APPEND);
      String where = "round " + slot.round() + ", " + slot.build().label() + " (" + dir + ")";
      if (!finished) {
        return new ChildRun(
            slot,
            dir,
            load,
            null,
            seconds,
            null,
            where
                + ": did not finish within "
                + options.timeout().toSeconds()
                + " s (--timeout) and was ended; its output is in "
                + log);
      }
      int exit = process.exitValue();
      Optional<JsonNode> result = lastJsonObject(lines);
      String error = null;
      if (result.isEmpty()) {
        error =
            where
                + ": printed no JSON line (exit "
                + exit
                + ")"
                + (stderrTail.isEmpty() ? "" : "; the last line of its stderr: " + stderrTail)
                + "; its output is in "
                + log;
      } else if (exit != 0) {
        error = where + ": exited " + exit + "; its output is in " + log;
      }
      return new ChildRun(slot, dir, load, exit, seconds, result.orElse(null), error);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } finally {
      if (stdout != null) {
        stdout.toFile().delete();
      }
    }
  }

  /** Ends a child and what it started (a cold start's JVMs), politely first. */
  private static void end(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** The last non-blank line written to {@code file} after {@code from}, from its last 8 KiB. */
  private static String lastLine(Path file, long from) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(from, raf.length() - STDERR_TAIL_BYTES);
      byte[] bytes = new byte[(int) (raf.length() - start)];
      raf.seek(start);
      raf.readFully(bytes);
      List<String> lines =
          new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
  }

  private static void writeLog(Path log, String text, StandardOpenOption mode) {
    try {
      Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the log file " + log, e);
    }
  }

  /** A child run's JSON line: its place, the load it started under, and its own JSON line. */
  static ObjectNode line(ChildRun run) {
    ObjectNode line = JSON.createObjectNode();
    line.put("build", run.slot().build().label());
    line.put("round", run.slot().round());
    line.put("dir", run.dir().toString());
    line.put("loadAverageAtStart", run.loadAverageAtStart());
    if (run.exitCode() != null) {
      line.put("exitCode", run.exitCode());
    }
    line.put("seconds", run.seconds());
    if (run.error() != null) {
      line.put("error", run.error());
    }
    if (run.result() != null) {
      line.set("result", run.result());
    }
    return line;
  }

  /**
   * Per key metric: each build's median, min and max over its runs, and the after/before ratio of
   * the medians; per build whether every run passed (where the bench reports {@code passed}); the
   * load averages the runs started under; the failures.
   */
  static ObjectNode summary(Bench bench, List<ChildRun> runs) {
    Map<String, Map<Build, List<Double>>> values = new LinkedHashMap<>();
    Map<Build, Boolean> passed = new LinkedHashMap<>();
    Map<Build, Integer> counted = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    double[] loads = runs.stream().mapToDouble(ChildRun::loadAverageAtStart).toArray();
    for (ChildRun run : runs) {
      Build build = run.slot().build();
      if (run.error() != null) {
        failures.add(run.error());
      }
      if (run.result() == null) {
        continue;
      }
      counted.merge(build, 1, Integer::sum);
      JsonNode reported = run.result().get("passed");
      if (reported != null && reported.isBoolean()) {
        passed.merge(build, reported.asBoolean(), Boolean::logicalAnd);
      }
      bench
          .metrics(run.result())
          .forEach(
              (name, value) ->
                  values
                      .computeIfAbsent(name, n -> new LinkedHashMap<>())
                      .computeIfAbsent(build, b -> new ArrayList<>())
                      .add(value));
    }
    ObjectNode summary = JSON.createObjectNode();
    summary.put("compare", bench.label());
    ObjectNode runsPerBuild = summary.putObject("runs");
    for (Build build : Build.values()) {
      runsPerBuild.put(build.label(), counted.getOrDefault(build, 0));
    }
    ObjectNode metrics = summary.putObject("metrics");
    List<JsonNode> reports = runs.stream().map(ChildRun::result).filter(r -> r != null).toList();
    bench.names(reports).stream()
        .filter(values::containsKey)
        .forEach(
            name -> {
              Map<Build, List<Double>> byBuild = values.get(name);
              ObjectNode metric = metrics.putObject(name);
              Map<Build, Double> medians = new LinkedHashMap<>();
              for (Build build : Build.values()) {
                List<Double> list = byBuild.get(build);
                if (list == null) {
                  continue;
                }
                double[] sorted = list.stream().mapToDouble(Double::doubleValue).toArray();
                // Rates.median sorts in place: min and max are then the ends.
                double median = Rates.round(Rates.median(sorted), 3);
                medians.put(build, median);
                ObjectNode stats = metric.putObject(build.label());
                stats.put("median", median);
                stats.put("min", sorted[0]);
                stats.put("max", sorted[sorted.length - 1]);
              }
              Double before = medians.get(Build.BEFORE);
              Double after = medians.get(Build.AFTER);
              if (before != null && after != null && before != 0) {
                metric.put("ratio", Rates.round(after / before, 3));
              }
            });
    if (!passed.isEmpty()) {
      ObjectNode passedNode = summary.putObject("passed");
      passed.forEach((build, ok) -> passedNode.put(build.label(), ok));
    }
    ObjectNode load = summary.putObject("loadAverageAtStart");
    if (loads.length > 0) {
      load.put("min", Arrays.stream(loads).min().orElseThrow());
      load.put("max", Arrays.stream(loads).max().orElseThrow());
    }
    summary.set("failures", JSON.valueToTree(failures));
    return summary;
  }
}
