package dev.runfleet.local.bench;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.local.cli.RunnerIdleOption;
import dev.runfleet.local.runtime.LogFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runfleet bench}: measurements of the control plane on embedded emulators. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure the control plane on embedded AWS emulators.",
    subcommands = {
      BenchCommand.ColdStart.class,
      BenchCommand.Compare.class,
      BenchCommand.Dispatch.class,
      BenchCommand.DynamoDb.class,
      BenchCommand.Pipeline.class,
      BenchCommand.Webhook.class
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Run alone: the usage on stderr and the usage-error exit code, as every command group. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code runfleet bench coldstart}. */
  @Command(
      name = "coldstart",
      mixinStandardHelpOptions = true,
      description = {
        "Cold start of each Lambda jar: fresh JVMs with the functions' flags, each running one"
            + " handler as Lambda's Java runtime would (no-arg constructor, environment pointing"
            + " at the AWS emulators in this JVM, one event), alternating with as many bare-JVM"
            + " runs; median per function and its ratio to the bare JVM's.",
        "Prints a line per run and per function, then one JSON object as the last line."
      })
  static final class ColdStart implements Callable<Integer> {

    private static final ColdStartBenchmark.Options DEFAULTS =
        ColdStartBenchmark.Options.defaults();

    @Spec CommandSpec spec;

    @Option(
        names = "--runs",
        description =
            "Cold starts per function, and as many bare-JVM runs between them (default"
                + " ${DEFAULT-VALUE}).")
    int runs = DEFAULTS.runs();

    @Option(
        names = "--functions",
        split = ",",
        description = "producer, publisher, orchestrators, in order (default ${DEFAULT-VALUE}).")
    List<String> functions =
        DEFAULTS.functions().stream().map(ColdStartBenchmark.Function::label).toList();

    @Option(
        names = "--jars",
        description =
            "Directory holding the shaded jars (default: <module>/target in the working directory"
                + " or a parent).")
    Path jars;

    @Mixin GitHubFixtures fixtures;

    @Option(
        names = "--jvm-option",
        description =
            "An extra option of the functions' JVMs (not the bare ones), repeatable, e.g."
                + " -Xlog:class+load:file=classes-%%p.log to count the classes a cold start loads.")
    List<String> jvmOptions = List.of();

    @Option(
        names = "--primed",
        description =
            "Run each handler's SnapStart priming between its construction and the timed"
                + " invocation, as the snapshot SnapStart restores has it done; compare the"
                + " functions' invocationMedianMs with a run without it.")
    boolean primed;

    @Override
    public Integer call() {
      ColdStartBenchmark benchmark;
      try {
        benchmark =
            new ColdStartBenchmark(
                new ColdStartBenchmark.Options(
                    runs,
                    functions.stream().map(ColdStartBenchmark.Function::parse).toList(),
                    jars,
                    fixtures.dir,
                    DEFAULTS.java(),
                    jvmOptions,
                    primed));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      ColdStartBenchmark.print(benchmark.run(System.out), System.out);
      return 0;
    }
  }

  /** {@code runfleet bench compare}. */
  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      showEndOfOptionsDelimiterInUsageHelp = true,
      description = {
        "Two builds' runs of one bench alternated within one run, so that both see the same"
            + " load: a fresh child process per run (java -jar DIR/runfleet.jar bench NAME ARGS,"
            + " this environment and working directory passed through; for coldstart --jars DIR"
            + " too), in ABBA order: before, after, after, before, before, after, ...",
        "Prints where the children's stderr and stdout go, a JSON line per run (build, round,"
            + " load average at its start, the child's own JSON line as result), then one summary"
            + " line: per key metric each build's median, min and max and the after/before ratio"
            + " of the medians."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:every run exited 0 with its JSON line",
        "1:a run exited non-zero, printed no JSON line or was ended after --timeout (stderr says"
            + " which; the runs stop at the first without a JSON line)",
        "2:invalid options (nothing was started)"
      })
  static final class Compare implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--before",
        required = true,
        paramLabel = "DIR",
        description =
            "The first build: a directory holding runfleet.jar (and, for coldstart, the Lambda"
                + " jars it starts).")
    Path before;

    @Option(
        names = "--after",
        required = true,
        paramLabel = "DIR",
        description = "The second build, likewise (the same DIR twice measures the noise).")
    Path after;

    @Option(
        names = "--bench",
        required = true,
        paramLabel = "NAME",
        description = "pipeline, coldstart or webhook.")
    String bench;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        description = "Runs per build (default: 3 for pipeline, 5 for the others).")
    Integer rounds;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description = "How long one run may take before it is ended (default ${DEFAULT-VALUE}).")
    long timeoutSeconds = 900;

    @Option(
        names = "--log-file",
        paramLabel = "FILE",
        description =
            "Where the runs' stderr and stdout go (default: runfleet-bench-compare-TIME.log in the"
                + " temporary directory; the path is printed first).")
    Path logFile;

    @Parameters(
        paramLabel = "BENCH_ARGS",
        description = "After --: options of the bench, passed to every run, e.g. -- --jobs 300.")
    List<String> benchArgs = List.of();

    /** How a run starts: the build's jar, or in tests a stand-in. */
    BuildComparison.Launcher launcher = BuildComparison.Launcher.JAR;

    @Override
    public Integer call() {
      BuildComparison comparison;
      try {
        BuildComparison.Bench which = BuildComparison.Bench.parse(bench);
        comparison =
            new BuildComparison(
                new BuildComparison.Options(
                    before,
                    after,
                    which,
                    rounds != null ? rounds : which.defaultRounds(),
                    Duration.ofSeconds(timeoutSeconds),
                    benchArgs,
                    logFile != null ? logFile : LogFile.defaultPath("bench-compare")),
                launcher);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      List<String> failures = comparison.run(spec.commandLine().getOut());
      PrintWriter err = spec.commandLine().getErr();
      failures.forEach(failure -> err.println("bench compare: " + failure));
      err.flush();
      return failures.isEmpty() ? 0 : 1;
    }
  }

  /** A launch-rate option's value, or the usage error that names it. */
  static LaunchRate launchRate(CommandSpec spec, String option, String text) {
    return RuntimeParameters.parseLaunchRate(text)
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(),
                    option
                        + " must be R or R/B, R in (0, 1000], B in [1, 10000]; was '"
                        + text
                        + "'"));
  }

  /** {@code runfleet bench dispatch}. */
  @Command(
      name = "dispatch",
      mixinStandardHelpOptions = true,
      description = {
        "Dispatch cost at a small and a large backlog, and the launch rate several publishers"
            + " achieve together, on the embedded DynamoDB in this JVM.",
        "Prints a report, then one JSON object as the last line."
      })
  static final class Dispatch implements Callable<Integer> {

    private static final DispatchBenchmark.Options DEFAULTS = DispatchBenchmark.Options.defaults();

    @Spec CommandSpec spec;

    @Option(
        names = "--small",
        description = "Jobs in the small backlog (default ${DEFAULT-VALUE}).")
    int small = DEFAULTS.small();

    @Option(
        names = "--large",
        description = "Jobs in the large backlog (default ${DEFAULT-VALUE}).")
    int large = DEFAULTS.large();

    @Option(
        names = "--measure",
        description =
            "Jobs dispatched from each backlog while measuring (default ${DEFAULT-VALUE}).")
    int measure = DEFAULTS.measure();

    @Option(
        names = "--batch",
        description = "Jobs one dispatch pass may take (default ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batch();

    @Option(
        names = "--warmup",
        description =
            "Jobs dispatched from each backlog before measuring, then discarded (default ${DEFAULT-VALUE}).")
    int warmup = DEFAULTS.warmup();

    @Option(
        names = "--rate",
        description =
            "Launch budget of the rate run, R or R/B with burst B (default ${DEFAULT-VALUE}).")
    String rate = DEFAULTS.rate().toString();

    @Option(
        names = "--publishers",
        description = "Publishers sweeping at once in the rate run (default ${DEFAULT-VALUE}).")
    int publishers = DEFAULTS.publishers();

    @Option(
        names = "--rate-jobs",
        description = "Jobs queued for the rate run (default ${DEFAULT-VALUE}).")
    int rateJobs = DEFAULTS.rateJobs();

    @Option(
        names = "--load-threads",
        description = "Threads loading the backlogs (default ${DEFAULT-VALUE}).")
    int loadThreads = DEFAULTS.loadThreads();

    @Override
    public Integer call() {
      LaunchRate launchRate = launchRate(spec, "--rate", rate);
      DispatchBenchmark.Options options;
      try {
        options =
            new DispatchBenchmark.Options(
                small,
                large,
                measure,
                batch,
                warmup,
                launchRate,
                publishers,
                rateJobs,
                loadThreads);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      DispatchBenchmark.Report report = new DispatchBenchmark(options).run(System.out);
      DispatchBenchmark.print(report, System.out);
      return 0;
    }
  }

  /** {@code runfleet bench dynamodb}. */
  @Command(
      name = "dynamodb",
      mixinStandardHelpOptions = true,
      description = {
        "Cost per call of the embedded DynamoDB and Streams emulator, through the real SDK over"
            + " HTTP: calls/s and p50/p99 per operation the pipeline uses.",
        "Prints a line per operation, then one JSON object as the last line."
      })
  static final class DynamoDb implements Callable<Integer> {

    private static final DynamoDbBenchmark.Options DEFAULTS = DynamoDbBenchmark.Options.defaults();

    @Spec CommandSpec spec;

    @Option(
        names = "--calls",
        description = "Measured calls per operation (default ${DEFAULT-VALUE}).")
    int calls = DEFAULTS.calls();

    @Option(
        names = "--threads",
        description = "Clients calling at once (default ${DEFAULT-VALUE}).")
    int threads = DEFAULTS.threads();

    @Option(
        names = "--warmup",
        description = "Unmeasured calls per operation first (default ${DEFAULT-VALUE}).")
    int warmup = DEFAULTS.warmup();

    @Override
    public Integer call() {
      DynamoDbBenchmark.Options options;
      try {
        options = new DynamoDbBenchmark.Options(calls, threads, warmup);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      DynamoDbBenchmark.print(new DynamoDbBenchmark(options).run(System.out), System.out);
      return 0;
    }
  }

  /** {@code runfleet bench webhook}. */
  @Command(
      name = "webhook",
      mixinStandardHelpOptions = true,
      description = {
        "Cost per webhook: the real producer handler, with the JIT as deployed (--jit), signed"
            + " webhooks built from GitHub's example payloads (a new delivery of a new job each),"
            + " once with DynamoDB stubbed at its client interface (stub) and once through the"
            + " real SDK over HTTP to the embedded DynamoDB (sdk): req/s, p50/p99, CPU and"
            + " DynamoDB calls per event.",
        "Prints a line per mode, then one JSON object as the last line."
      })
  static final class Webhook implements Callable<Integer> {

    private static final WebhookBenchmark.Options DEFAULTS = WebhookBenchmark.Options.defaults();

    @Spec CommandSpec spec;

    @Option(
        names = "--requests",
        description = "Measured requests per mode (default ${DEFAULT-VALUE}).")
    int requests = DEFAULTS.requests();

    @Option(
        names = "--threads",
        description = "Requests handled at once (default ${DEFAULT-VALUE}).")
    int threads = DEFAULTS.threads();

    @Option(
        names = "--warmup",
        description = "Unmeasured requests per mode first (default ${DEFAULT-VALUE}).")
    int warmup = DEFAULTS.warmup();

    @Option(
        names = "--modes",
        split = ",",
        description = "stub, sdk or both, in order (default ${DEFAULT-VALUE}).")
    List<String> modes = DEFAULTS.modes().stream().map(WebhookBenchmark.Mode::label).toList();

    @Option(
        names = "--log-level",
        description =
            "The producer's log level while measuring; its lines are formatted and discarded"
                + " (default ${DEFAULT-VALUE}).")
    String logLevel = DEFAULTS.logLevel().name();

    @Mixin GitHubFixtures fixtures;

    @Mixin JitOption jit = new JitOption();

    @Override
    public Integer call() {
      Optional<Integer> child = jit.inChildJvm(spec);
      if (child.isPresent()) {
        return child.get();
      }
      WebhookBenchmark benchmark;
      try {
        benchmark =
            new WebhookBenchmark(
                new WebhookBenchmark.Options(
                    requests,
                    threads,
                    warmup,
                    modes.stream().map(WebhookBenchmark.Mode::parse).toList(),
                    Level.toLevel(logLevel, null),
                    fixtures.dir));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      WebhookBenchmark.print(benchmark.run(System.out), System.out);
      return 0;
    }
  }

  /**
   * {@code --jit}, for the benchmarks that measure the functions' code warm: by default the JVM
   * runs with the JIT flags Terraform sets on every function (C1 only), in a child JVM this command
   * starts with the same class path and arguments unless its own JVM has them; {@code jvm} keeps
   * the JVM as it was started.
   */
  static final class JitOption {

    /** Set in the child JVM {@code --jit deployed} starts, which never starts another. */
    private static final String CHILD_JVM = "runfleet.bench.childJvm";

    @Option(
        names = "--jit",
        paramLabel = "deployed|jvm",
        description =
            "deployed (default): run with the JIT flags Terraform sets on every function"
                + " (-XX:+TieredCompilation -XX:TieredStopAtLevel=1, C1 only), in a child JVM"
                + " unless this one has them; jvm: in this JVM as it was started.")
    String jit = "deployed";

    /**
     * The exit code of this command run in a child JVM with the deployed flags, or empty when it
     * runs here.
     *
     * @throws CommandLine.ParameterException for a {@code --jit} of another name
     */
    Optional<Integer> inChildJvm(CommandSpec spec) {
      if (!List.of("deployed", "jvm").contains(jit)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--jit must be deployed or jvm: " + jit);
      }
      if (!jit.equals("deployed")
          || ChildJvm.tieredStopAtLevel() == 1
          || Boolean.getBoolean(CHILD_JVM)) {
        return Optional.empty();
      }
      return Optional.of(
          ChildJvm.run(
              Stream.concat(
                      ColdStartBenchmark.DEPLOYED_JIT_FLAGS.stream(),
                      Stream.of("-D" + CHILD_JVM + "=true"))
                  .toList(),
              spec.root().userObject().getClass().getName(),
              spec.root().commandLine().getParseResult().originalArgs(),
              System.out,
              System.err));
    }
  }

  /** {@code --fixtures}, for the benchmarks that replay GitHub's example payloads. */
  static final class GitHubFixtures {

    @Option(
        names = "--fixtures",
        description =
            "Directory of GitHub's example payloads (default: shared/fixtures/github in the"
                + " working directory or a parent).")
    Path dir = WebhookBenchmark.findFixtures().orElse(Path.of("shared/fixtures/github"));
  }

  /** {@code runfleet bench pipeline}. */
  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description = {
        "End-to-end throughput of the local runtime: the demo's workload queued at once as signed"
            + " webhooks, caps and launch rate out of the way, jobs of zero length; runners"
            + " launched on simulated hosts and jobs completed, after warm-up rounds on the same"
            + " runtime until the JIT has settled. Jobs/s, queued->dispatched and queued->completed p50/p99, CPU and AWS"
            + " calls per job, and every guarantee the demo checks.",
        "Prints a line for a person, then one JSON object as the last line."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:every guarantee held",
        "1:a guarantee failed (the line says which)",
        "2:invalid options"
      })
  static final class Pipeline implements Callable<Integer> {

    private static final PipelineBenchmark.Options DEFAULTS = PipelineBenchmark.Options.defaults();

    @Spec CommandSpec spec;

    @Option(names = "--jobs", description = "Jobs queued at once (default ${DEFAULT-VALUE}).")
    int jobs = DEFAULTS.jobs();

    @Option(
        names = "--warmup-jobs",
        description =
            "At most this many jobs played through the same runtime first, not measured, in"
                + " rounds of --jobs jobs each drained before the next, until a round's CPU per"
                + " job is within 5%% of the round before it: the measured jobs meet compiled"
                + " code, as a fleet that has been running does. 0 measures from a cold JVM"
                + " (default ${DEFAULT-VALUE}).")
    int warmupJobs = DEFAULTS.warmupJobs();

    @Option(
        names = "--launch-rate",
        paramLabel = "R[/B]",
        description =
            "The fleet's launch-rate parameter, R or R/B with burst B (default ${DEFAULT-VALUE}).")
    String launchRate = DEFAULTS.launchRate();

    @Option(
        names = "--timeout-seconds",
        description = "How long the fleet may take to drain (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = (int) DEFAULTS.timeout().toSeconds();

    @Option(
        names = "--log-file",
        paramLabel = "FILE",
        description =
            "Where the runtime's log lines go (default: runfleet-bench-pipeline-TIME.log in the"
                + " temporary directory; the path is printed).")
    Path logFile;

    @Mixin JitOption jit = new JitOption();

    @Mixin RunnerIdleOption runnerIdle = new RunnerIdleOption();

    @Override
    public Integer call() {
      CommandLine command = spec.commandLine();
      Optional<Integer> child = jit.inChildJvm(spec);
      if (child.isPresent()) {
        return child.get();
      }
      launchRate(spec, "--launch-rate", launchRate);
      if (timeoutSeconds < 1) {
        throw new CommandLine.ParameterException(
            command, "--timeout-seconds must be at least 1: " + timeoutSeconds);
      }
      PipelineBenchmark.Options options;
      try {
        options =
            new PipelineBenchmark.Options(
                jobs,
                launchRate,
                Duration.ofSeconds(timeoutSeconds),
                DEFAULTS.seed(),
                runnerIdle.checked(command),
                warmupJobs);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(command, e.getMessage());
      }
      Path log = logFile != null ? logFile : LogFile.defaultPath("bench-pipeline");
      LogFile.redirect(log);
      System.out.println("runfleet bench pipeline: log lines go to " + log);
      PrintWriter out = new PrintWriter(System.out, true);
      // The simulated GitHub is in-process: a fresh random secret per run is as good as any.
      PipelineBenchmark.Report report =
          new PipelineBenchmark(options).run(UUID.randomUUID().toString(), out);
      PipelineBenchmark.print(report, System.out);
      return report.passed() ? 0 : 1;
    }
  }
}
