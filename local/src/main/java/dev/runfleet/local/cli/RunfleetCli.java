package dev.runfleet.local.cli;

import dev.runfleet.common.config.Env;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.bench.BenchCommand;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.demo.Progress;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.LogFile;
import dev.runfleet.local.runtime.RealHosts;
import dev.runfleet.local.runtime.RuntimeOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code runfleet}: the local runtime, the demo, and the operator's commands. */
@Command(
    name = "runfleet",
    // Inherited: every subcommand answers -h/--help, -V/--version and --verbose too.
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "runfleet 0.1.0",
    description = "Ephemeral GitHub Actions runners on AWS: local runtime and operator CLI.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the command failed (one line says what to do; --verbose adds the stack trace)",
      "2:invalid command line (one line names the problem; nothing was started)"
    },
    subcommands = {
      RunfleetCli.Local.class,
      RunfleetCli.DemoCommand.class,
      ChaosCommand.class,
      SendCommand.class,
      FleetCommands.Status.class,
      FleetCommands.Jobs.class,
      FleetCommands.Runners.class,
      FleetCommands.JobCommand.class,
      RunfleetCli.Caps.class,
      RunfleetCli.Pause.class,
      RunfleetCli.Resume.class,
      RunfleetCli.Allow.class,
      BenchCommand.class,
      SetupCommand.class
    })
public final class RunfleetCli implements Callable<Integer> {

  static final String SECRET_ENV = "RUNFLEET_WEBHOOK_SECRET";

  @Spec CommandSpec spec;

  @Option(
      names = CliErrors.VERBOSE,
      scope = CommandLine.ScopeType.INHERIT,
      description = "On a failure, print the stack trace after the one-line explanation.")
  boolean verbose;

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    // ElasticMQ's actor system and pollers' threads may outlive a command: leave explicitly.
    System.exit(code);
  }

  /** The command line with runfleet's conventions for errors and exit codes ({@link CliErrors}). */
  public static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new RunfleetCli()));
  }

  /** Without a command there is nothing to do: the usage, and the usage-error exit code. */
  @Override
  public Integer call() {
    return usageOf(spec);
  }

  /** The runtime's log lines go to {@code log}; one line says what to do when they cannot. */
  static void redirectLog(Path log) {
    try {
      LogFile.redirect(log);
    } catch (UncheckedIOException e) {
      throw new CliErrors.Failure(
          e.getMessage() + " (" + CliErrors.firstLine(e.getCause()) + "): pass --log-file FILE", e);
    }
  }

  /** A command that only groups others, run alone: its usage on stderr, exit 2. */
  static int usageOf(CommandSpec group) {
    group.commandLine().usage(group.commandLine().getErr());
    group.commandLine().getErr().flush();
    return CliErrors.USAGE;
  }

  /** The whole pipeline on embedded emulators, serving until stopped. */
  @Command(
      name = "local",
      description = "Run the pipeline in this JVM on embedded AWS emulators until stopped.")
  static final class Local implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--port",
        description =
            "HTTP port for POST /webhook and the API, 0 for any free one (default ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(
        names = "--webhook-secret",
        defaultValue = "${env:" + SECRET_ENV + "}",
        description = "Webhook secret (default: $" + SECRET_ENV + ").")
    String webhookSecret;

    @Option(names = "--cap", description = "Cap per platform, e.g. --cap fargate=4 (repeatable).")
    Map<String, Integer> caps = new HashMap<>();

    @Option(
        names = "--global-cap",
        description = "Cap across platforms (default ${DEFAULT-VALUE}).")
    int globalCap = 100;

    @Option(
        names = "--launch-rate",
        paramLabel = "R[/B]",
        description =
            "Spin-ups per second across the fleet, R or R/B with burst B (default: the"
                + " parameter's default, 3/10).")
    String launchRate;

    @Option(
        names = "--hosts",
        description =
            "simulated (default) or aws: start real runners on AWS with a real GitHub App, for the"
                + " one platform --platform names, configured by the orchestrator's environment"
                + " keys (README, 'Runner hosts').")
    String hosts = SIMULATED;

    @Option(
        names = "--platform",
        description = "With --hosts aws: the platform to run (default fargate).")
    String platform;

    @CommandLine.Mixin ReconcileOptions reconcile = new ReconcileOptions();

    @CommandLine.Mixin RunnerIdleOption runnerIdle = new RunnerIdleOption();

    static final String SIMULATED = "simulated";
    static final String AWS = "aws";

    @Override
    public Integer call() throws InterruptedException {
      RuntimeOptions options = runtimeOptions();
      LocalRuntime.Orchestrators orchestrators = null;
      if (AWS.equals(hosts)) {
        try {
          orchestrators = RealHosts.orchestrators(System.getenv(), options.platforms());
        } catch (Env.ConfigException e) {
          throw new ParameterException(
              spec.commandLine(),
              "--hosts aws needs the orchestrator's environment (README, 'Runner hosts'): "
                  + e.getMessage());
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      CountDownLatch stopped = new CountDownLatch(1);
      try (LocalRuntime runtime = LocalRuntime.start(options, orchestrators)) {
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "runfleet-shutdown"));
        out.printf("runfleet local: dashboard %s%n", runtime.baseUri().resolve("/"));
        out.printf(
            "runfleet local: POST %s  |  GET %s  %s  %s  %s  (Ctrl-C stops)%n",
            runtime.baseUri().resolve("/webhook"),
            runtime.baseUri().resolve("/health"),
            runtime.baseUri().resolve("/api/jobs"),
            runtime.baseUri().resolve("/api/runners"),
            runtime.baseUri().resolve("/api/platforms"));
        out.flush();
        stopped.await();
      }
      return 0;
    }

    /** Every option checked, then the runtime's settings; nothing has started yet. */
    RuntimeOptions runtimeOptions() {
      CommandLine command = spec.commandLine();
      OptionChecks.port(command, "--port", port);
      PlatformCatalog known = PlatformCatalog.defaults();
      PlatformCatalog catalog = known.withCaps(OptionChecks.caps(command, known, caps));
      OptionChecks.cap(command, "--global-cap", globalCap);
      if (AWS.equals(hosts)) {
        catalog =
            new PlatformCatalog(
                List.of(
                    OptionChecks.platform(
                        command, "--platform", catalog, platform == null ? "fargate" : platform)));
      } else if (!SIMULATED.equals(hosts)) {
        throw new ParameterException(
            command, "--hosts must be simulated or aws, was '" + hosts + "'");
      } else if (platform != null) {
        throw new ParameterException(
            command, "--platform goes with --hosts aws; simulated hosts run every platform");
      }
      String rate =
          launchRate == null ? null : OptionChecks.launchRate(command, "--launch-rate", launchRate);
      return RuntimeOptions.defaults(secret(command, "--webhook-secret", webhookSecret))
          .withPort(port)
          .withPlatforms(catalog, globalCap)
          .withAdoptPostedJobs(SIMULATED.equals(hosts))
          .withLaunchRate(rate)
          .withReconcile(reconcile.checked(command))
          .withRunnerIdleTimeout(runnerIdle.checked(command));
    }
  }

  /** A scenario of jobs across all platforms, judged and summarised. */
  @Command(
      name = "demo",
      description = {
        "Play a workload through the local runtime and check every guarantee.",
        "Shows the progress per platform (redrawn in place on a terminal, a line every "
            + Progress.LINE_INTERVAL_SECONDS
            + " s otherwise, less often as the run grows long), writes the runtime's log to a"
            + " file, then prints a summary and"
            + " one JSON line."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:PASS: every guarantee held",
        "1:FAIL (the summary says which), or the demo could not run",
        "2:invalid options"
      })
  static final class DemoCommand implements Callable<Integer> {

    private static final Demo.Options DEFAULTS = Demo.Options.defaults();

    @Spec CommandSpec spec;

    @Option(names = "--jobs", description = "Jobs to queue, at least 1 (default ${DEFAULT-VALUE}).")
    int jobs = DEFAULTS.jobs();

    @Option(names = "--seed", description = "Workload seed (default ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    @Option(
        names = "--cap",
        description =
            "Cap per platform, e.g. --cap fargate=4 (repeatable; defaults fargate=4,"
                + " ec2-linux-x64=3, ec2-linux-arm64=2).")
    Map<String, Integer> caps = new HashMap<>();

    @Option(
        names = "--global-cap",
        description = "Cap across platforms (default ${DEFAULT-VALUE}).")
    int globalCap = DEFAULTS.globalCap();

    @Option(
        names = "--timeout-seconds",
        description = "How long the fleet may take to drain (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = (int) DEFAULTS.timeout().toSeconds();

    @Option(
        names = "--launch-rate",
        paramLabel = "R[/B]",
        description =
            "Spin-ups per second across the fleet, R or R/B with burst B (default ${DEFAULT-VALUE}).")
    String launchRate = DEFAULTS.launchRate();

    @Option(
        names = "--log-file",
        paramLabel = "FILE",
        description =
            "Where the runtime's log lines go (default: runfleet-demo-TIME.log in the temporary"
                + " directory; the path is printed).")
    Path logFile;

    @CommandLine.Mixin ReconcileOptions reconcile = new ReconcileOptions();

    @CommandLine.Mixin RunnerIdleOption runnerIdle = new RunnerIdleOption();

    @Override
    public Integer call() {
      Demo.Options options = options();
      Path log = logFile();
      PrintWriter out = spec.commandLine().getOut();
      redirectLog(log);
      out.println("runfleet demo: log lines go to " + log);
      out.flush();
      // The demo's GitHub is simulated in-process: a fresh random secret per run is as good as any.
      String secret = UUID.randomUUID().toString();
      Progress.Mode display = System.console() != null ? Progress.Mode.LIVE : Progress.Mode.LINES;
      Demo.Report report = new Demo(options).run(secret, out, display);
      out.println("log: " + log);
      Demo.print(report, out);
      return report.passed() ? 0 : CliErrors.FAILED;
    }

    /** Every option checked, then the demo's settings; nothing has started yet. */
    Demo.Options options() {
      CommandLine command = spec.commandLine();
      OptionChecks.atLeast(command, "--jobs", jobs, 1);
      Map<String, Integer> checkedCaps = new TreeMap<>(DEFAULTS.caps());
      checkedCaps.putAll(OptionChecks.caps(command, PlatformCatalog.defaults(), caps));
      OptionChecks.cap(command, "--global-cap", globalCap);
      OptionChecks.atLeast(command, "--timeout-seconds", timeoutSeconds, 1);
      return new Demo.Options(
          jobs,
          seed,
          checkedCaps,
          globalCap,
          DEFAULTS.spacing(),
          DEFAULTS.jobMin(),
          DEFAULTS.jobMax(),
          Duration.ofSeconds(timeoutSeconds),
          OptionChecks.launchRate(command, "--launch-rate", launchRate),
          reconcile.checked(command),
          runnerIdle.checked(command));
    }

    Path logFile() {
      if (logFile != null) {
        return logFile;
      }
      return LogFile.defaultPath("demo");
    }
  }

  /** Where the runtime parameters live: AWS by default, or a running {@code runfleet local}. */
  static class Target {

    /** The command this mixin serves, for its errors and output. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
        names = "--stage",
        defaultValue = "${env:RUNFLEET_STAGE:-dev}",
        description = "Deployment stage (default: $RUNFLEET_STAGE or dev).")
    String stage;

    @Option(
        names = "--endpoint",
        converter = OptionChecks.HttpUrl.class,
        description = "Talk to a running 'runfleet local' at http://HOST:PORT instead of AWS SSM.")
    URI endpoint;

    @Option(
        names = "--region",
        defaultValue = "${env:AWS_REGION:-us-east-1}",
        description = "AWS region (default: $AWS_REGION or us-east-1).")
    String region;

    /** The options checked, the endpoint found listening, then a client. */
    FleetParameters open() {
      checkStage();
      requireEndpoint();
      return new FleetParameters(stage, Optional.ofNullable(endpoint), region);
    }

    void checkStage() {
      if (stage == null || !stage.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new ParameterException(
            mixee.commandLine(),
            "--stage must be 1 to 64 letters, digits, '.', '_' or '-', was '" + stage + "'");
      }
    }

    /** With --endpoint: the local runtime answers, or one line says it does not. */
    void requireEndpoint() {
      if (endpoint != null) {
        requireListening(endpoint, "--endpoint");
      }
    }

    PrintWriter out() {
      return mixee.commandLine().getOut();
    }
  }

  /**
   * One quick connection first: the SDK would retry for seconds before reporting the same refusal.
   */
  static void requireListening(URI endpoint, String option) {
    int port =
        endpoint.getPort() != -1
            ? endpoint.getPort()
            : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), 2_000);
    } catch (IOException e) {
      throw CliErrors.unreachable(endpoint, option, e);
    }
  }

  /** {@code runfleet caps get|set}. */
  @Command(
      name = "caps",
      description = "Show or change the runner caps (SSM parameters /runfleet/{stage}/caps/...).",
      subcommands = {Caps.Get.class, Caps.Set.class})
  static final class Caps implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return usageOf(spec);
    }

    @Command(name = "get", description = "Print every runtime parameter of the stage.")
    static final class Get implements Callable<Integer> {
      @CommandLine.Mixin Target target = new Target();

      @Override
      public Integer call() {
        try (FleetParameters parameters = target.open()) {
          parameters.print(target.out());
        }
        return 0;
      }
    }

    @Command(
        name = "set",
        description = {
          "Set a platform's cap, or the global cap: caps set PLATFORM|global N.",
          "PLATFORM must be one the stage has a caps parameter for (Terraform creates one per"
              + " deployed platform; 'runfleet local' one per platform it runs)."
        })
    static final class Set implements Callable<Integer> {
      @Spec CommandSpec spec;

      @CommandLine.Mixin Target target = new Target();

      @CommandLine.Parameters(
          index = "0",
          paramLabel = "PLATFORM",
          description = "A platform name, or 'global'.")
      String platform;

      @CommandLine.Parameters(
          index = "1",
          paramLabel = "N",
          description = "Max runners in flight (0 to 100000).")
      String cap;

      @Override
      public Integer call() {
        CommandLine command = spec.commandLine();
        int value =
            RuntimeParameters.parseCap(cap)
                .orElseThrow(
                    () ->
                        new ParameterException(
                            command,
                            "N must be a whole number from 0 to "
                                + OptionChecks.MAX_CAP
                                + ", was '"
                                + cap
                                + "'"));
        try (FleetParameters parameters = target.open()) {
          SortedSet<String> known = parameters.capNames();
          known.add(RuntimeParameters.GLOBAL);
          if (!known.contains(platform)) {
            String lower = platform.toLowerCase(Locale.ROOT);
            throw new ParameterException(
                command,
                "stage "
                    + parameters.stage()
                    + " has no platform '"
                    + platform
                    + "'"
                    + (known.contains(lower) ? " (names are lowercase: " + lower + ")" : "")
                    + "; known: "
                    + String.join(", ", known)
                    + ". Nothing reads a cap for any other name.");
          }
          String name = RuntimeParameters.cap(parameters.stage(), platform);
          parameters.put(name, Integer.toString(value));
          target.out().println(name + " = " + value);
        }
        return 0;
      }
    }
  }

  /** {@code runfleet pause}. */
  @Command(name = "pause", description = "Stop new dispatches; runners in flight continue.")
  static final class Pause implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Override
    public Integer call() {
      return setPaused(target, true);
    }
  }

  /** {@code runfleet resume}. */
  @Command(name = "resume", description = "Resume dispatching.")
  static final class Resume implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Override
    public Integer call() {
      return setPaused(target, false);
    }
  }

  /** {@code runfleet allow get|set|clear}. */
  @Command(
      name = "allow",
      description = {
        "Show or change who may use the fleet (SSM parameter /runfleet/{stage}/allow).",
        "Patterns, comma-separated, any case: NAME (organisation or repository owner), OWNER/*"
            + " (any repository of OWNER), OWNER/REPO. No parameter: everyone may.",
        "The producer answers jobs from elsewhere 202 (not-allowed) and never dispatches them;"
            + " orchestrators check again before minting a runner config."
      },
      subcommands = {Allow.Get.class, Allow.Set.class, Allow.Clear.class})
  static final class Allow implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return usageOf(spec);
    }

    @Command(name = "get", description = "Print the allow-list of the stage.")
    static final class Get implements Callable<Integer> {
      @CommandLine.Mixin Target target = new Target();

      @Override
      public Integer call() {
        PrintWriter out = target.out();
        try (FleetParameters parameters = target.open()) {
          String name = RuntimeParameters.allow(parameters.stage());
          Optional<String> value = parameters.get(name);
          if (value.isEmpty()) {
            out.println(name + " is not set: everyone may use the fleet");
            return 0;
          }
          out.println(name + " = " + value.get());
          if (AllowList.parse(value.get()) instanceof AllowList.Parsed.Invalid invalid) {
            out.println("  invalid, so the last valid list stays in force: " + invalid.reason());
          }
        }
        return 0;
      }
    }

    @Command(
        name = "set",
        description =
            "Replace the allow-list: allow set PATTERN[,PATTERN...] (e.g. allow set acme,"
                + " octo/*, me/dotfiles). Checked before it is written.")
    static final class Set implements Callable<Integer> {
      @Spec CommandSpec spec;

      @CommandLine.Mixin Target target = new Target();

      @CommandLine.Parameters(
          arity = "1..*",
          paramLabel = "PATTERNS",
          description =
              "NAME, OWNER/* or OWNER/REPO, separated by commas or spaces (quote OWNER/* for"
                  + " the shell).")
      List<String> patterns;

      @Override
      public Integer call() {
        // "allow set acme, 'octo/*'" arrives as two words: the comma between them is the separator.
        AllowList.Parsed parsed =
            AllowList.parse(
                String.join(
                    ",",
                    patterns.stream().map(p -> p.replaceAll("^[\\s,]+|[\\s,]+$", "")).toList()));
        if (parsed instanceof AllowList.Parsed.Invalid invalid) {
          throw new ParameterException(
              spec.commandLine(), "invalid allow-list: " + invalid.reason());
        }
        AllowList list = ((AllowList.Parsed.Valid) parsed).list();
        if (list.isEveryone()) {
          throw new ParameterException(
              spec.commandLine(),
              "no pattern given: to let everyone use the fleet, run 'allow clear'");
        }
        try (FleetParameters parameters = target.open()) {
          String name = RuntimeParameters.allow(parameters.stage());
          parameters.put(name, list.toString());
          target.out().println(name + " = " + list);
        }
        return 0;
      }
    }

    @Command(
        name = "clear",
        description = "Delete the allow-list: everyone who installed the App may use the fleet.")
    static final class Clear implements Callable<Integer> {
      @CommandLine.Mixin Target target = new Target();

      @Override
      public Integer call() {
        try (FleetParameters parameters = target.open()) {
          String name = RuntimeParameters.allow(parameters.stage());
          boolean deleted = parameters.delete(name);
          target
              .out()
              .println(
                  name + (deleted ? " deleted" : " was not set") + ": everyone may use the fleet");
        }
        return 0;
      }
    }
  }

  static int setPaused(Target target, boolean paused) {
    try (FleetParameters parameters = target.open()) {
      String name = RuntimeParameters.paused(parameters.stage());
      parameters.put(name, Boolean.toString(paused));
      target.out().println(name + " = " + paused);
    }
    return 0;
  }

  /** The webhook secret, given or from the environment (read once, at this edge). */
  static String secret(CommandLine command, String option, String value) {
    if (value == null || value.isBlank()) {
      throw new ParameterException(
          command, "a webhook secret is required: " + option + " SECRET or $" + SECRET_ENV);
    }
    return value;
  }
}
