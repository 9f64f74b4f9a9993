package dev.runfleet.local.cli;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.bench.BenchCommand;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RealHosts;
import dev.runfleet.local.runtime.RuntimeOptions;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runfleet}: the local runtime, the demo, and (later) the operator's commands. */
@Command(
    name = "runfleet",
    // Inherited: every subcommand answers -h/--help and -V/--version too.
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "runfleet 0.1.0",
    description = "Ephemeral GitHub Actions runners on AWS: local runtime and operator CLI.",
    subcommands = {
      RunfleetCli.Local.class,
      RunfleetCli.DemoCommand.class,
      RunfleetCli.Caps.class,
      RunfleetCli.Pause.class,
      RunfleetCli.Resume.class,
      RunfleetCli.Allow.class,
      BenchCommand.class,
      SetupCommand.class
    })
public final class RunfleetCli implements Callable<Integer> {

  static final String SECRET_ENV = "RUNFLEET_WEBHOOK_SECRET";

  public static void main(String[] args) {
    int code = new CommandLine(new RunfleetCli()).execute(args);
    // ElasticMQ's actor system and pollers' threads may outlive a command: leave explicitly.
    System.exit(code);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** The whole pipeline on embedded emulators, serving until stopped. */
  @Command(
      name = "local",
      description = "Run the pipeline in this JVM on embedded AWS emulators until stopped.")
  static final class Local implements Callable<Integer> {

    @Option(
        names = "--port",
        description = "HTTP port for POST /webhook and the API (default ${DEFAULT-VALUE}).")
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
        names = "--hosts",
        description =
            "simulated (default) or aws: start real runners on AWS with a real GitHub App, for the"
                + " one platform --platform names, configured by the orchestrator's environment"
                + " keys (README, 'Runner hosts').")
    String hosts = "simulated";

    @Option(
        names = "--platform",
        description = "With --hosts aws: the platform to run (default ${DEFAULT-VALUE}).")
    String platform = "fargate";

    @Override
    public Integer call() throws InterruptedException {
      String secret = secret(webhookSecret);
      PlatformCatalog catalog = PlatformCatalog.defaults().withCaps(caps);
      LocalRuntime.Orchestrators orchestrators = null;
      if ("aws".equals(hosts)) {
        Platform chosen = catalog.get(platform);
        catalog = new PlatformCatalog(List.of(chosen));
        orchestrators = RealHosts.orchestrators(System.getenv());
      } else if (!"simulated".equals(hosts)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--hosts must be simulated or aws, was " + hosts);
      }
      RuntimeOptions options =
          RuntimeOptions.defaults(secret)
              .withPort(port)
              .withPlatforms(catalog, globalCap)
              .withAdoptPostedJobs(orchestrators == null);
      CountDownLatch stopped = new CountDownLatch(1);
      try (LocalRuntime runtime = LocalRuntime.start(options, orchestrators)) {
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "runfleet-shutdown"));
        System.out.printf(
            "runfleet local: POST %s  |  GET %s  %s  %s  %s  (Ctrl-C stops)%n",
            runtime.baseUri().resolve("/webhook"),
            runtime.baseUri().resolve("/health"),
            runtime.baseUri().resolve("/api/jobs"),
            runtime.baseUri().resolve("/api/runners"),
            runtime.baseUri().resolve("/api/platforms"));
        stopped.await();
      }
      return 0;
    }
  }

  /** A scenario of jobs across all platforms, judged and summarised. */
  @Command(
      name = "demo",
      description = "Play a workload through the local runtime and check every guarantee.")
  static final class DemoCommand implements Callable<Integer> {

    @Option(names = "--jobs", description = "Jobs to queue (default ${DEFAULT-VALUE}).")
    int jobs = Demo.Options.defaults().jobs();

    @Option(names = "--seed", description = "Workload seed (default ${DEFAULT-VALUE}).")
    long seed = Demo.Options.defaults().seed();

    @Option(names = "--cap", description = "Cap per platform, e.g. --cap fargate=4 (repeatable).")
    Map<String, Integer> caps = new HashMap<>(Demo.Options.defaults().caps());

    @Option(
        names = "--global-cap",
        description = "Cap across platforms (default ${DEFAULT-VALUE}).")
    int globalCap = Demo.Options.defaults().globalCap();

    @Option(
        names = "--timeout-seconds",
        description = "How long the fleet may take to drain (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = (int) Demo.Options.defaults().timeout().toSeconds();

    @Option(
        names = "--launch-rate",
        description =
            "Spin-ups per second across the fleet, R or R/B with burst B (default ${DEFAULT-VALUE}).")
    String launchRate = Demo.Options.defaults().launchRate();

    @Override
    public Integer call() {
      Demo.Options defaults = Demo.Options.defaults();
      Demo.Options options =
          new Demo.Options(
              jobs,
              seed,
              caps,
              globalCap,
              defaults.spacing(),
              defaults.jobMin(),
              defaults.jobMax(),
              Duration.ofSeconds(timeoutSeconds),
              launchRate);
      // The demo's GitHub is simulated in-process: a fresh random secret per run is as good as any.
      String secret = java.util.UUID.randomUUID().toString();
      Demo.Report report = new Demo(options).run(secret, System.out);
      Demo.print(report, System.out);
      return report.passed() ? 0 : 1;
    }
  }

  /** Where the runtime parameters live: AWS by default, or a running {@code runfleet local}. */
  static class Target {
    @Option(
        names = "--stage",
        defaultValue = "${env:RUNFLEET_STAGE:-dev}",
        description = "Deployment stage (default: $RUNFLEET_STAGE or dev).")
    String stage;

    @Option(
        names = "--endpoint",
        description = "Talk to a running 'runfleet local' at http://HOST:PORT instead of AWS SSM.")
    URI endpoint;

    @Option(
        names = "--region",
        defaultValue = "${env:AWS_REGION:-us-east-1}",
        description = "AWS region (default: $AWS_REGION or us-east-1).")
    String region;

    FleetParameters open() {
      return new FleetParameters(stage, Optional.ofNullable(endpoint), region);
    }
  }

  /** {@code runfleet caps get|set}. */
  @Command(
      name = "caps",
      description = "Show or change the runner caps (SSM parameters /runfleet/{stage}/caps/...).",
      subcommands = {Caps.Get.class, Caps.Set.class})
  static final class Caps implements Callable<Integer> {
    @Override
    public Integer call() {
      CommandLine.usage(this, System.out);
      return 0;
    }

    @Command(name = "get", description = "Print every runtime parameter of the stage.")
    static final class Get implements Callable<Integer> {
      @CommandLine.Mixin Target target = new Target();

      @Override
      public Integer call() {
        try (FleetParameters parameters = target.open()) {
          parameters.print(System.out);
        }
        return 0;
      }
    }

    @Command(
        name = "set",
        description = "Set a platform's cap, or the global cap: caps set PLATFORM|global N.")
    static final class Set implements Callable<Integer> {
      @CommandLine.Mixin Target target = new Target();

      @CommandLine.Parameters(index = "0", description = "A platform name, or 'global'.")
      String platform;

      @CommandLine.Parameters(index = "1", description = "Max runners in flight (0 to 100000).")
      String cap;

      @Override
      public Integer call() {
        if (RuntimeParameters.parseCap(cap).isEmpty()) {
          System.err.println("cap must be a whole number from 0 to 100000, was '" + cap + "'");
          return 2;
        }
        try (FleetParameters parameters = target.open()) {
          String name = RuntimeParameters.cap(parameters.stage(), platform);
          parameters.put(name, cap.trim());
          System.out.println(name + " = " + cap.trim());
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
    @Override
    public Integer call() {
      CommandLine.usage(this, System.out);
      return 0;
    }

    @Command(name = "get", description = "Print the allow-list of the stage.")
    static final class Get implements Callable<Integer> {
      @CommandLine.Mixin Target target = new Target();

      @Override
      public Integer call() {
        try (FleetParameters parameters = target.open()) {
          String name = RuntimeParameters.allow(parameters.stage());
          Optional<String> value = parameters.get(name);
          if (value.isEmpty()) {
            System.out.println(name + " is not set: everyone may use the fleet");
            return 0;
          }
          System.out.println(name + " = " + value.get());
          if (AllowList.parse(value.get()) instanceof AllowList.Parsed.Invalid invalid) {
            System.out.println(
                "  invalid, so the last valid list stays in force: " + invalid.reason());
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
          System.err.println("invalid allow-list: " + invalid.reason());
          return 2;
        }
        AllowList list = ((AllowList.Parsed.Valid) parsed).list();
        if (list.isEveryone()) {
          System.err.println("no pattern given: to let everyone use the fleet, run 'allow clear'");
          return 2;
        }
        try (FleetParameters parameters = target.open()) {
          String name = RuntimeParameters.allow(parameters.stage());
          parameters.put(name, list.toString());
          System.out.println(name + " = " + list);
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
          System.out.println(
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
      System.out.println(name + " = " + paused);
    }
    return 0;
  }

  static String secret(String option) {
    // picocli fills the option from the environment; configuration is read once, at this edge.
    String value = option;
    if (value == null || value.isBlank()) {
      throw new CommandLine.ParameterException(
          new CommandLine(new RunfleetCli()),
          "a webhook secret is required: --webhook-secret or $" + SECRET_ENV);
    }
    return value;
  }
}
