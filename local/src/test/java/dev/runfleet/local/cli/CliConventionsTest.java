package dev.runfleet.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The list of inputs that used to end in a stack trace: each now gets one line, the usage
 * hint for a wrong command line (exit 2, nothing started) or what to do for a failure (exit 1).
 */
class CliConventionsTest {

  record Run(int code, String out, String err) {
    List<String> errLines() {
      return err.strip().lines().toList();
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = RunfleetCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        Arguments.of(List.of("local", "--port", "-1"), "--port must be 0 (any free port) to 65535"),
        Arguments.of(List.of("local", "--port", "70000"), "was 70000"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--cap", "fargate=-1"),
            "--cap fargate must be from 0 to 100000, was -1"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--cap", "nosuch=3"),
            "unknown platform 'nosuch'; known platforms: fargate, ec2-linux-x64, ec2-linux-arm64"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--hosts", "aws", "--platform", "k8s"),
            "--platform: unknown platform 'k8s'; known platforms: fargate"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--hosts", "cloud"),
            "--hosts must be simulated or aws, was 'cloud'"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--platform", "fargate"),
            "--platform goes with --hosts aws"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--global-cap", "-1"),
            "--global-cap must be from 0"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--launch-rate", "fast"),
            "--launch-rate must be R or R/B"),
        Arguments.of(List.of("local", "--webhook-secret", " "), "a webhook secret is required"),
        Arguments.of(
            List.of("local", "--webhook-secret", "s", "--hosts", "aws"),
            "--hosts aws needs the orchestrator's environment"),
        Arguments.of(List.of("demo", "--jobs", "0"), "--jobs must be at least 1, was 0"),
        Arguments.of(List.of("demo", "--jobs", "-5"), "--jobs must be at least 1, was -5"),
        Arguments.of(List.of("demo", "--launch-rate", "abc"), "--launch-rate must be R or R/B"),
        Arguments.of(List.of("demo", "--launch-rate", "0"), "was '0'"),
        Arguments.of(List.of("demo", "--cap", "fargate=-2"), "--cap fargate must be from 0"),
        Arguments.of(List.of("demo", "--cap", "FARGATE=2"), "unknown platform 'FARGATE'"),
        Arguments.of(List.of("demo", "--global-cap", "-1"), "--global-cap must be from 0"),
        Arguments.of(List.of("demo", "--timeout-seconds", "0"), "--timeout-seconds must be at"),
        Arguments.of(List.of("demo", "--jobs", "many"), "Invalid value for option '--jobs'"),
        Arguments.of(
            List.of("caps", "get", "--endpoint", "notaurl"),
            "'notaurl' is not an http(s) URL such as http://127.0.0.1:8080"),
        Arguments.of(
            List.of("caps", "set", "fargate", "-3", "--endpoint", "http://127.0.0.1:1"),
            "N must be a whole number from 0 to 100000, was '-3'"),
        Arguments.of(List.of("caps", "get", "--stage", "a b"), "--stage must be 1 to 64"),
        Arguments.of(
            List.of("allow", "set", "a/b/c", "--endpoint", "http://127.0.0.1:1"),
            "invalid allow-list"),
        Arguments.of(
            List.of("send", "started", "--job", "1", "--labels", "a", "--secret", "s"),
            "ACTION must be one of queued, in_progress, completed, was 'started'"),
        Arguments.of(
            List.of("send", "in_progress", "--job", "1", "--labels", "a", "--secret", "s"),
            "--runner NAME is required for in_progress"),
        Arguments.of(List.of("send", "queued", "--labels", "a"), "Missing required option"),
        Arguments.of(
            List.of("send", "queued", "--job", "1", "--labels", "a", "--url", "ftp://x/webhook"),
            "is not an http(s) URL"),
        Arguments.of(
            List.of("send", "queued", "--job", "1", "--labels", "a", "--repo", "octo"),
            "--repo must be OWNER/NAME"),
        Arguments.of(
            List.of("send", "queued", "--job", "1", "--labels", "a", "--secret", ""),
            "a webhook secret is required: --secret SECRET or $RUNFLEET_WEBHOOK_SECRET"),
        Arguments.of(List.of("lokal"), "Unmatched argument"));
  }

  @ParameterizedTest(name = "runfleet {0}")
  @MethodSource("usageErrors")
  void usageError_isOneLineAndTheHint_exitTwo_nothingStarted(List<String> args, String message) {
    long started = System.nanoTime();

    Run run = run(args.toArray(String[]::new));

    assertThat(run.code()).as(run.err()).isEqualTo(2);
    List<String> lines = run.errLines();
    assertThat(lines.get(0)).startsWith("runfleet").contains(message);
    assertThat(lines.get(lines.size() - 1)).matches("Try 'runfleet.*--help' for usage\\.");
    assertThat(lines).hasSizeLessThanOrEqualTo(3).noneMatch(l -> l.startsWith("\tat "));
    assertThat(run.out()).isEmpty();
    // Checked before anything starts: no emulator had time to boot.
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
  }

  @Test
  void bareRunfleet_printsTheUsage_andExitsTwo() {
    Run run = run();

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("Usage: runfleet").contains("Exit codes:");
  }

  @Test
  void bareCommandGroup_printsItsUsage_andExitsTwo() {
    assertThat(run("caps").code()).isEqualTo(2);
    assertThat(run("allow").code()).isEqualTo(2);
    assertThat(run("bench").code()).isEqualTo(2);
  }

  @Test
  void endpointThatIsDown_failsInOneLine_withinSeconds() throws Exception {
    int closed = closedPort();
    long started = System.nanoTime();

    Run run = run("caps", "get", "--endpoint", "http://127.0.0.1:" + closed);

    assertFailedInOneLine(
        run,
        "runfleet caps get: nothing answers at http://127.0.0.1:" + closed,
        "start 'runfleet local' there, or correct --endpoint");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
  }

  @Test
  void verbose_addsTheStackTrace() throws Exception {
    Run run = run("caps", "get", "--verbose", "--endpoint", "http://127.0.0.1:" + closedPort());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.errLines().get(0)).contains("nothing answers at");
    assertThat(run.errLines()).anyMatch(l -> l.startsWith("\tat "));
  }

  @Test
  void portInUse_failsBeforeTheEmulatorsStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long started = System.nanoTime();

      Run run =
          run("local", "--webhook-secret", "s", "--port", Integer.toString(taken.getLocalPort()));

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.errLines())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith(
                          "runfleet local: port "
                              + taken.getLocalPort()
                              + " on 127.0.0.1 is in use")
                      .contains("choose another with --port N"));
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
    }
  }

  @Test
  void missingAwsCredentials_sayWhatToConfigure() {
    SdkClientException noCredentials =
        SdkClientException.create(
            "Unable to load credentials from any of the providers in the chain"
                + " AwsCredentialsProviderChain(credentialsProviders=[...])");

    assertThat(CliErrors.explain(noCredentials))
        .startsWith("no AWS credentials found")
        .contains("AWS_PROFILE")
        .contains("--endpoint");
  }

  @Test
  void unexpectedError_asksForVerbose() {
    assertThat(CliErrors.explain(new NullPointerException("x is null")))
        .isEqualTo(
            "NullPointerException: x is null — unexpected: run again with --verbose and report"
                + " the trace");
  }

  /** A runtime failure: exit 1, one line on stderr and no stack trace. */
  static void assertFailedInOneLine(Run run, String start, String advice) {
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.errLines())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith(start).contains(advice));
  }

  static int closedPort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
