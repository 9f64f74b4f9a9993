package dev.runfleet.local.cli;

import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.chaos.ChaosRun;
import dev.runfleet.local.chaos.ChaosVerdict;
import dev.runfleet.local.runtime.LogFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code runfleet chaos}: every fault at once, then the fleet judged once it is quiet. */
@Command(
    name = "chaos",
    description = {
      "Play a workload through the local runtime with every fault at once: duplicate (20%%),"
          + " reordered (10%%) and lost (2%% of each kind) webhooks, GitHub 5xx/429 (10%%), launch"
          + " failures (10%%), hosts that die before or after registering (5%%), spot"
          + " interruptions (5%%), SNS/SQS publish failures (2%%) and handlers dying between writes"
          + " (2%%); the reconciler runs every second with short deadlines.",
      "Waits until the fleet is quiet, then prints a summary and one JSON line: jobs, completed,"
          + " lost, capBreaches, leakedRunners, leakedHosts, leakedSecrets, maxStuckSeconds,"
          + " faults by kind, seconds, passed."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:PASS: nothing lost, no cap exceeded, nothing leaked",
      "1:FAIL (the summary says what), or the run could not start",
      "2:invalid options"
    })
final class ChaosCommand implements Callable<Integer> {

  private static final ChaosRun.Options DEFAULTS = ChaosRun.Options.defaults();

  @Spec CommandSpec spec;

  @Option(names = "--jobs", description = "Jobs to queue, at least 1 (default ${DEFAULT-VALUE}).")
  int jobs = DEFAULTS.jobs();

  @Option(
      names = "--seed",
      description = "Seed of the workload and of every fault (default ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(
      names = "--platforms",
      split = ",",
      paramLabel = "NAME",
      description =
          "Platforms to run, comma-separated (default: all: fargate,ec2-linux-x64,ec2-linux-arm64).")
  List<String> platforms = DEFAULTS.platforms();

  @Option(
      names = "--timeout-seconds",
      description =
          "How long the run may take before it is judged as it stands (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = (int) DEFAULTS.timeout().toSeconds();

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description =
          "Where the runtime's log lines go (default: runfleet-chaos-TIME.log in the temporary"
              + " directory; the path is printed).")
  Path logFile;

  @Override
  public Integer call() {
    ChaosRun.Options options = options();
    Path log = logFile != null ? logFile : LogFile.defaultPath("chaos");
    PrintWriter out = spec.commandLine().getOut();
    RunfleetCli.redirectLog(log);
    out.println("runfleet chaos: log lines go to " + log);
    out.flush();
    // The simulated GitHub signs in-process: a fresh random secret per run is as good as any.
    ChaosVerdict.Report report = new ChaosRun(options).run(UUID.randomUUID().toString(), out);
    out.println("log: " + log);
    ChaosVerdict.print(report, out);
    return report.passed() ? 0 : CliErrors.FAILED;
  }

  /** Every option checked, then the run's settings; nothing has started yet. */
  ChaosRun.Options options() {
    CommandLine command = spec.commandLine();
    OptionChecks.atLeast(command, "--jobs", jobs, 1);
    OptionChecks.atLeast(command, "--timeout-seconds", timeoutSeconds, 1);
    PlatformCatalog known = PlatformCatalog.defaults();
    for (String name : platforms) {
      OptionChecks.platform(command, "--platforms", known, name);
    }
    return DEFAULTS
        .withJobs(jobs)
        .withSeed(seed)
        .withPlatforms(List.copyOf(new java.util.LinkedHashSet<>(platforms)))
        .withTimeout(Duration.ofSeconds(timeoutSeconds));
  }
}
