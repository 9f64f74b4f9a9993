package dev.runfleet.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.Platform;
import dev.runfleet.local.demo.Demo;
import dev.runfleet.local.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of {@code local} and {@code demo} reaches what runs: each is parsed and the settings
 * built from it ({@link RuntimeOptions}, {@link Demo.Options}) are checked. A new option without a
 * case here fails {@code everyOption_hasACase}, so none can be printed and then dropped (as the
 * demo's launch rate once was).
 */
class OptionsReachRuntimeTest {

  /** Options every command has, which configure the CLI itself. */
  private static final List<String> CLI_OWN = List.of("--help", "--version", CliErrors.VERBOSE);

  record Case(List<String> args, Consumer<Built> check) {}

  /** What a command built from its options: the runtime's settings, and the demo's. */
  record Built(RuntimeOptions runtime, Demo.Options demo, Object command) {}

  // The reconciler's options, shared by local and demo: each reaches the runtime's settings.
  static final Case RECONCILE_SECONDS =
      new Case(
          List.of("--reconcile-seconds", "2"),
          b -> {
            assertThat(b.runtime().reconcile().interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(b.runtime().reconcile().stuckAfter()).isEqualTo(Duration.ofSeconds(12));
          });
  static final Case BOOT_DEADLINE =
      new Case(
          List.of("--boot-deadline-seconds", "45"),
          b ->
              assertThat(b.runtime().reconcile().bootDeadline()).isEqualTo(Duration.ofSeconds(45)));
  static final Case MAX_RUNNER =
      new Case(
          List.of("--max-runner-seconds", "600"),
          b -> assertThat(b.runtime().reconcile().maxRunner()).isEqualTo(Duration.ofMinutes(10)));

  // The publisher's idle timeout, shared by local and demo: it reaches the runtime's settings.
  static final Case RUNNER_IDLE =
      new Case(
          List.of("--runner-idle-seconds", "90"),
          b -> assertThat(b.runtime().runnerIdleTimeout()).isEqualTo(Duration.ofSeconds(90)));

  /** {@code cases} and one more (Map.of takes ten). */
  static Map<String, Case> with(Map<String, Case> cases, String option, Case more) {
    Map<String, Case> all = new java.util.HashMap<>(cases);
    all.put(option, more);
    return Map.copyOf(all);
  }

  static final Map<String, Case> LOCAL =
      with(
          Map.of(
              "--port",
              new Case(
                  List.of("--port", "9191"), b -> assertThat(b.runtime().port()).isEqualTo(9191)),
              "--webhook-secret",
              new Case(
                  List.of("--webhook-secret", "s3cret"),
                  b -> assertThat(b.runtime().webhookSecret()).isEqualTo("s3cret")),
              "--cap",
              new Case(
                  List.of("--cap", "fargate=2", "--cap", "ec2-linux-arm64=0"),
                  b -> {
                    assertThat(cap(b.runtime(), "fargate")).isEqualTo(2);
                    assertThat(cap(b.runtime(), "ec2-linux-arm64")).isZero();
                  }),
              "--global-cap",
              new Case(
                  List.of("--global-cap", "7"),
                  b -> assertThat(b.runtime().globalCap()).isEqualTo(7)),
              "--launch-rate",
              new Case(
                  List.of("--launch-rate", "5/8"),
                  b -> assertThat(b.runtime().launchRate()).isEqualTo("5/8")),
              "--hosts",
              new Case(
                  List.of("--hosts", "aws"),
                  b -> {
                    assertThat(b.runtime().platforms().names()).containsExactly("fargate");
                    assertThat(b.runtime().adoptPostedJobs()).isFalse();
                  }),
              "--platform",
              new Case(
                  List.of(
                      "--hosts",
                      "aws",
                      "--platform",
                      "ec2-linux-arm64",
                      "--cap",
                      "ec2-linux-arm64=3"),
                  b -> {
                    assertThat(b.runtime().platforms().names()).containsExactly("ec2-linux-arm64");
                    assertThat(cap(b.runtime(), "ec2-linux-arm64")).isEqualTo(3);
                  }),
              "--reconcile-seconds",
              RECONCILE_SECONDS,
              "--boot-deadline-seconds",
              BOOT_DEADLINE,
              "--max-runner-seconds",
              MAX_RUNNER),
          "--runner-idle-seconds",
          RUNNER_IDLE);

  static final Map<String, Case> DEMO =
      with(
          Map.of(
              "--jobs",
              new Case(List.of("--jobs", "20"), b -> assertThat(b.demo().jobs()).isEqualTo(20)),
              "--seed",
              new Case(List.of("--seed", "99"), b -> assertThat(b.demo().seed()).isEqualTo(99)),
              "--cap",
              new Case(
                  List.of("--cap", "fargate=1"),
                  b -> {
                    assertThat(cap(b.runtime(), "fargate")).isEqualTo(1);
                    // The demo's own defaults stay for the platforms not named.
                    assertThat(cap(b.runtime(), "ec2-linux-x64")).isEqualTo(3);
                  }),
              "--global-cap",
              new Case(
                  List.of("--global-cap", "5"),
                  b -> assertThat(b.runtime().globalCap()).isEqualTo(5)),
              "--timeout-seconds",
              new Case(
                  List.of("--timeout-seconds", "30"),
                  b -> assertThat(b.demo().timeout()).isEqualTo(Duration.ofSeconds(30))),
              "--launch-rate",
              new Case(
                  List.of("--launch-rate", "7/9"),
                  b -> assertThat(b.runtime().launchRate()).isEqualTo("7/9")),
              "--log-file",
              new Case(
                  List.of("--log-file", "/tmp/x/demo.log"),
                  b ->
                      assertThat(((RunfleetCli.DemoCommand) b.command()).logFile())
                          .isEqualTo(Path.of("/tmp/x/demo.log"))),
              "--reconcile-seconds",
              RECONCILE_SECONDS,
              "--boot-deadline-seconds",
              BOOT_DEADLINE,
              "--max-runner-seconds",
              MAX_RUNNER),
          "--runner-idle-seconds",
          RUNNER_IDLE);

  @Test
  void everyOption_hasACase() {
    assertThat(optionsOf("local")).containsExactlyInAnyOrderElementsOf(LOCAL.keySet());
    assertThat(optionsOf("demo")).containsExactlyInAnyOrderElementsOf(DEMO.keySet());
  }

  @Test
  void everyLocalOption_reachesTheRuntimeOptions() {
    LOCAL.forEach(
        (option, c) -> {
          List<String> args = new ArrayList<>(c.args());
          if (!args.contains("--webhook-secret")) {
            args.addAll(List.of("--webhook-secret", "s"));
          }
          RunfleetCli.Local local = parse("local", args);
          c.check().accept(new Built(local.runtimeOptions(), null, local));
        });
  }

  @Test
  void everyDemoOption_reachesTheDemoOrItsRuntime() {
    DEMO.forEach(
        (option, c) -> {
          RunfleetCli.DemoCommand demo = parse("demo", c.args());
          Demo.Options options = demo.options();
          c.check().accept(new Built(new Demo(options).runtimeOptions("s"), options, demo));
        });
  }

  @Test
  void runnerIdleSeconds_outOfThePublishersRange_isRefusedBeforeAnythingStarts() {
    for (String seconds : List.of("59", "86401")) {
      RunfleetCli.DemoCommand demo = parse("demo", List.of("--runner-idle-seconds", seconds));
      org.assertj.core.api.Assertions.assertThatThrownBy(demo::options)
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessageContaining("--runner-idle-seconds");
    }
  }

  @Test
  void reconcileOptions_outOfRange_areRefusedBeforeAnythingStarts() {
    for (List<String> args :
        List.of(
            List.of("--reconcile-seconds", "0"),
            List.of("--reconcile-seconds", "3601"),
            List.of("--boot-deadline-seconds", "0"),
            List.of("--max-runner-seconds", "-5"))) {
      RunfleetCli.DemoCommand demo = parse("demo", args);
      org.assertj.core.api.Assertions.assertThatThrownBy(demo::options)
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessageContaining(args.get(0));
    }
  }

  @Test
  void reconcileDefaults_areFiveSecondsAndSixHours_withTheHostKindsBootDeadlines() {
    RuntimeOptions runtime =
        ((RunfleetCli.Local) parse("local", List.of("--webhook-secret", "s"))).runtimeOptions();

    assertThat(runtime.reconcile().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(runtime.reconcile().bootDeadline()).isNull();
    assertThat(runtime.reconcile().maxRunner()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void demoDefaults_reachTheRuntime_launchRateIncluded() {
    RunfleetCli.DemoCommand demo = parse("demo", List.of());

    RuntimeOptions runtime = new Demo(demo.options()).runtimeOptions("s");

    assertThat(runtime.launchRate()).isEqualTo(Demo.Options.defaults().launchRate());
    assertThat(runtime.globalCap()).isEqualTo(Demo.Options.defaults().globalCap());
    Demo.Options.defaults().caps().forEach((p, cap) -> assertThat(cap(runtime, p)).isEqualTo(cap));
  }

  private static int cap(RuntimeOptions options, String platform) {
    return options.platforms().find(platform).map(Platform::cap).orElseThrow();
  }

  private static List<String> optionsOf(String command) {
    return new CommandLine(new RunfleetCli())
        .getSubcommands().get(command).getCommandSpec().options().stream()
            .map(OptionSpec::longestName)
            .filter(name -> !CLI_OWN.contains(name))
            .toList();
  }

  @SuppressWarnings("unchecked")
  private static <T> T parse(String command, List<String> args) {
    CommandLine cli = new CommandLine(new RunfleetCli());
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(args);
    cli.parseArgs(all.toArray(String[]::new));
    return (T) cli.getSubcommands().get(command).getCommandSpec().userObject();
  }
}
