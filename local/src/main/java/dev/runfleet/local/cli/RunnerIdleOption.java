package dev.runfleet.local.cli;

import dev.runfleet.publisher.PublisherConfig;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --runner-idle-seconds}, shared by {@code local}, {@code demo} and {@code bench pipeline}:
 * the publisher's idle timeout for the local runtime. Its default is {@code
 * RUNFLEET_RUNNER_IDLE_SECONDS}, the publisher's own key, read here at the command line as the one
 * place the local runtime takes it from the environment.
 */
public final class RunnerIdleOption {

  @Option(
      names = "--runner-idle-seconds",
      paramLabel = "N",
      defaultValue = "${env:" + PublisherConfig.ENV_RUNNER_IDLE_SECONDS + "}",
      description =
          "Seconds a runner without work waits before the publisher's sweep tears it down, "
              + PublisherConfig.MIN_RUNNER_IDLE_SECONDS
              + " to "
              + PublisherConfig.MAX_RUNNER_IDLE_SECONDS
              + " (default: "
              + PublisherConfig.ENV_RUNNER_IDLE_SECONDS
              + " when set, else the publisher's 600).")
  Integer seconds;

  /** The option checked, as the runtime takes it: null for the publisher's default. */
  public Duration checked(CommandLine command) {
    if (seconds == null) {
      return null;
    }
    OptionChecks.between(
        command,
        "--runner-idle-seconds",
        seconds,
        PublisherConfig.MIN_RUNNER_IDLE_SECONDS,
        PublisherConfig.MAX_RUNNER_IDLE_SECONDS);
    return Duration.ofSeconds(seconds);
  }
}
