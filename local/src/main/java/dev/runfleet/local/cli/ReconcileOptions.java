package dev.runfleet.local.cli;

import dev.runfleet.local.runtime.RuntimeOptions;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The reconciler's options, shared by {@code local} and {@code demo}. */
final class ReconcileOptions {

  @Option(
      names = "--reconcile-seconds",
      paramLabel = "N",
      description =
          "Seconds between reconciler passes, 1 to 3600 (default ${DEFAULT-VALUE}); a job or"
              + " spin-up unchanged for six passes is checked at GitHub.")
  int reconcileSeconds = (int) RuntimeOptions.Reconcile.DEFAULTS.interval().toSeconds();

  @Option(
      names = "--boot-deadline-seconds",
      paramLabel = "N",
      description =
          "Seconds a launched runner may take to come online at GitHub before it is torn down"
              + " (default: 300 on EC2, 180 on Fargate).")
  Integer bootDeadlineSeconds;

  @Option(
      names = "--max-runner-seconds",
      paramLabel = "N",
      description = "Maximum lifetime of a runner in seconds (default ${DEFAULT-VALUE}).")
  int maxRunnerSeconds = (int) RuntimeOptions.Reconcile.DEFAULTS.maxRunner().toSeconds();

  /** The options checked, as the runtime takes them. */
  RuntimeOptions.Reconcile checked(CommandLine command) {
    OptionChecks.between(command, "--reconcile-seconds", reconcileSeconds, 1, 3600);
    if (bootDeadlineSeconds != null) {
      OptionChecks.between(command, "--boot-deadline-seconds", bootDeadlineSeconds, 1, 86_400);
    }
    OptionChecks.between(command, "--max-runner-seconds", maxRunnerSeconds, 1, 7 * 86_400);
    return new RuntimeOptions.Reconcile(
        Duration.ofSeconds(reconcileSeconds),
        bootDeadlineSeconds == null ? null : Duration.ofSeconds(bootDeadlineSeconds),
        Duration.ofSeconds(maxRunnerSeconds));
  }
}
