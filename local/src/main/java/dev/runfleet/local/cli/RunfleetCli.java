package dev.runfleet.local.cli;

import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runfleet}: the local runtime, the demo, and (later) the operator's commands. */
@Command(
    name = "runfleet",
    mixinStandardHelpOptions = true,
    version = "runfleet 0.1.0",
    description = "Ephemeral GitHub Actions runners on AWS: local runtime and operator CLI.",
    subcommands = {RunfleetCli.Local.class, RunfleetCli.DemoCommand.class})
public final class RunfleetCli implements Callable<Integer> {

  static final String SECRET_ENV = "RUNFLEET_WEBHOOK_SECRET";

  public static void main(String[] args) {
    int code = new CommandLine(new RunfleetCli()).execute(args);
    // DynamoDB Local's threads outlive its stop(): leave explicitly.
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
        description = "Webhook secret (default: $" + SECRET_ENV + ").")
    String webhookSecret;

    @Option(names = "--cap", description = "Cap per platform, e.g. --cap fargate=4 (repeatable).")
    Map<String, Integer> caps = new HashMap<>();

    @Option(
        names = "--global-cap",
        description = "Cap across platforms (default ${DEFAULT-VALUE}).")
    int globalCap = 100;

    @Override
    public Integer call() throws InterruptedException {
      String secret = secret(webhookSecret);
      RuntimeOptions options =
          RuntimeOptions.defaults(secret)
              .withPort(port)
              .withPlatforms(PlatformCatalog.defaults().withCaps(caps), globalCap);
      CountDownLatch stopped = new CountDownLatch(1);
      try (LocalRuntime runtime = LocalRuntime.start(options)) {
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
              Duration.ofSeconds(timeoutSeconds));
      // The demo's GitHub is simulated in-process: a fresh random secret per run is as good as any.
      String secret = java.util.UUID.randomUUID().toString();
      Demo.Report report = new Demo(options).run(secret, System.out);
      Demo.print(report, System.out);
      return report.passed() ? 0 : 1;
    }
  }

  static String secret(String option) {
    String value = option != null ? option : System.getenv(SECRET_ENV);
    if (value == null || value.isBlank()) {
      throw new CommandLine.ParameterException(
          new CommandLine(new RunfleetCli()),
          "a webhook secret is required: --webhook-secret or $" + SECRET_ENV);
    }
    return value;
  }
}
