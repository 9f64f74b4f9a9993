package dev.runfleet.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command answers {@code --help} and {@code -V}, as a newcomer tries them. */
class HelpEverywhereTest {

  static Stream<String> commands() {
    List<String> paths = new ArrayList<>();
    collect(new CommandLine(new RunfleetCli()), "", paths);
    return paths.stream();
  }

  private static void collect(CommandLine command, String path, List<String> into) {
    into.add(path);
    command
        .getSubcommands()
        .forEach((name, sub) -> collect(sub, path.isEmpty() ? name : path + " " + name, into));
  }

  @ParameterizedTest(name = "runfleet {0} --help")
  @MethodSource("commands")
  void help_onEveryCommand_printsItsUsageAndExitsZero(String path) {
    StringWriter out = new StringWriter();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    int code;
    try {
      // picocli's own warnings (a description it could not format) go to System.err.
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = run(path, "--help", out);
    } finally {
      System.setErr(stderr);
    }

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("Usage: runfleet" + (path.isEmpty() ? "" : " " + path));
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
  }

  @ParameterizedTest(name = "runfleet {0} -V")
  @MethodSource("commands")
  void version_onEveryCommand_printsTheVersion(String path) {
    StringWriter out = new StringWriter();
    int code = run(path, "-V", out);

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("runfleet ");
  }

  @Test
  void commands_includeEveryOneTheReadmeShows() {
    assertThat(commands())
        .contains("local", "demo", "caps get", "caps set", "pause", "resume", "allow get")
        .contains("allow set", "allow clear", "setup github-app", "bench dispatch", "send")
        .contains("status", "jobs", "runners", "job");
  }

  private static int run(String path, String flag, StringWriter out) {
    CommandLine cli = new CommandLine(new RunfleetCli());
    cli.setOut(new PrintWriter(out, true));
    List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
    args.add(flag);
    return cli.execute(args.toArray(String[]::new));
  }
}
