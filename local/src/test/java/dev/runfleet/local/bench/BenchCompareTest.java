package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.local.cli.RunfleetCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code runfleet bench compare} end to end with real child processes: each build's "jar" is {@link
 * FakeBench} started from the test classes, printing what its directory holds.
 */
class BenchCompareTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** A child a broken compare left running (a hanging stand-in) must not outlive the test. */
  @AfterEach
  void endLeftoverChildren() {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
  }

  record Run(int code, List<String> out, String err) {
    List<JsonNode> childLines() throws Exception {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : out.subList(1, out.size() - 1)) {
        lines.add(JSON.readTree(line));
      }
      return lines;
    }

    JsonNode summary() throws Exception {
      return JSON.readTree(out.get(out.size() - 1));
    }
  }

  /** {@code java -cp TEST_CLASSES FakeBench BUILD NAME ARGS}. */
  private static final BuildComparison.Launcher FAKE =
      (build, bench, args) -> {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(codeSource());
        command.add(FakeBench.class.getName());
        command.add(build.toString());
        command.add(bench.label());
        command.addAll(args);
        return command;
      };

  private static String codeSource() {
    try {
      return Path.of(FakeBench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Run compare(BuildComparison.Launcher launcher, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = RunfleetCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CommandLine compare = cli.getSubcommands().get("bench").getSubcommands().get("compare");
    ((BenchCommand.Compare) compare.getCommand()).launcher = launcher;
    int code = cli.execute(args);
    return new Run(code, out.toString().lines().toList(), err.toString());
  }

  /** {@code runfleet bench compare --before B --after A --bench NAME --log-file LOG MORE...}. */
  private Run compareBuilds(
      BuildComparison.Launcher launcher, Path before, Path after, String bench, String... more) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "bench",
            "compare",
            "--before",
            before.toString(),
            "--after",
            after.toString(),
            "--bench",
            bench,
            "--log-file",
            tmp.resolve("compare.log").toString()));
    args.addAll(List.of(more));
    return compare(launcher, args.toArray(String[]::new));
  }

  private Path build(String name, String stdout) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("stdout.txt"), stdout);
    return dir;
  }

  private static String pipelineOutput(double jobsPerSecond, int cpuMillisPerJob) {
    return pipelineOutput(jobsPerSecond, cpuMillisPerJob, "");
  }

  /** {@code more}: further fields of the JSON line, each with its leading comma. */
  private static String pipelineOutput(double jobsPerSecond, int cpuMillisPerJob, String more) {
    return "runfleet bench pipeline: log lines go to /tmp/fake.log\n"
        + "{\"partial\":true}\n"
        + "300 jobs in 10 s: a line for a person\n"
        + "{\"benchmark\":\"pipeline\",\"passed\":true,\"jobsPerSecond\":"
        + jobsPerSecond
        + ",\"cpuMillisPerJob\":"
        + cpuMillisPerJob
        + ",\"seconds\":10.0,\"queuedToDispatchedP50Ms\":800"
        + more
        + ",\"args\":\"$ARGS\",\"path\":\"$PATH\"}\n";
  }

  @Test
  void compare_runsBothBuildsAlternately_tagsEachRun_andSummarises() throws Exception {
    // as main's jar at 9aede6a, which counts no calls
    Path before = build("before", pipelineOutput(20.0, 60));
    Path after =
        build(
            "after",
            pipelineOutput(
                30.0,
                40,
                ",\"callsPerJob\":{\"total\":21.5,\"byOperation\":{},"
                    + "\"byStage\":{\"publisher\":{\"total\":5.25,\"byOperation\":{}}}}"));
    Path log = tmp.resolve("compare.log");

    Run run =
        compareBuilds(FAKE, before, after, "pipeline", "--rounds", "2", "--", "--jobs", "300");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().get(0))
        .isEqualTo("runfleet bench compare: each run's stderr and stdout go to " + log);
    List<JsonNode> children = run.childLines();
    assertThat(children)
        .extracting(c -> c.path("build").asText() + " " + c.path("round").asInt())
        .containsExactly("before 1", "after 1", "after 2", "before 2");
    for (JsonNode child : children) {
      Path dir = child.path("build").asText().equals("before") ? before : after;
      assertThat(child.path("dir").asText()).isEqualTo(dir.toString());
      assertThat(child.path("exitCode").asInt()).isZero();
      assertThat(child.has("loadAverageAtStart")).isTrue();
      // the child's own last JSON line, with the bench's name and the args after --
      assertThat(child.path("result").path("jobsPerSecond").asDouble())
          .isEqualTo(dir == before ? 20.0 : 30.0);
      assertThat(child.path("result").path("args").asText()).isEqualTo("pipeline --jobs 300");
      // the environment passed through
      assertThat(child.path("result").path("path").asText()).isEqualTo(System.getenv("PATH"));
    }
    JsonNode summary = run.summary();
    assertThat(summary.path("compare").asText()).isEqualTo("pipeline");
    assertThat(summary.path("metrics").path("jobsPerSecond").path("ratio").asDouble())
        .isEqualTo(1.5);
    assertThat(summary.path("metrics").path("cpuMillisPerJob").path("after").path("median").asInt())
        .isEqualTo(40);
    // calls per job in all and by stage, from the build that counts them
    JsonNode calls = summary.path("metrics").path("callsPerJob.total");
    assertThat(calls.path("after").path("median").asDouble()).isEqualTo(21.5);
    assertThat(calls.has("before")).isFalse();
    assertThat(summary.path("metrics").path("publisher.total").path("after").path("max").asDouble())
        .isEqualTo(5.25);
    assertThat(summary.path("passed").toString()).isEqualTo("{\"before\":true,\"after\":true}");
    assertThat(summary.path("before").asText()).isEqualTo(before.toString());
    // each child's stderr in the log
    assertThat(Files.readString(log)).contains("fake bench stderr: pipeline --jobs 300");
  }

  @Test
  void compare_whenARunPrintsNoJsonLine_failsSayingWhichAndWhy_andStops() throws Exception {
    Path before = build("before", pipelineOutput(20.0, 60));
    Path after = build("after", "Exception in thread main: the bench broke\n{not json\n");
    Files.writeString(after.resolve("exit-code"), "3");

    Run run = compareBuilds(FAKE, before, after, "webhook");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "bench compare: round 1, after ("
                + after
                + "): printed no JSON line (exit 3); the last line of its stderr: fake bench"
                + " stderr: webhook; its output is in "
                + tmp.resolve("compare.log"));
    // before ran, after failed, and nothing after it: 5 rounds were asked for
    assertThat(run.childLines())
        .extracting(c -> c.path("build").asText())
        .containsExactly("before", "after");
    assertThat(run.childLines().get(1).has("result")).isFalse();
    assertThat(run.summary().path("failures")).hasSize(1);
    assertThat(run.summary().path("runs").toString()).isEqualTo("{\"before\":1,\"after\":0}");
  }

  @Test
  void compare_whenARunHangs_endsItAfterTheTimeout_andReportsIt() throws Exception {
    Path before = build("before", pipelineOutput(20.0, 60));
    Path after = build("after", pipelineOutput(30.0, 40));
    Files.writeString(before.resolve("hang"), "");

    Run run = compareBuilds(FAKE, before, after, "pipeline", "--timeout", "1");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("round 1, before (" + before + "): did not finish within 1 s (--timeout)");
    // the hanging child was ended, not left behind
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ProcessHandle.current()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .noneMatch(
                        p ->
                            String.join(" ", p.info().arguments().orElse(new String[0]))
                                .contains(before.toString())));
    assertThat(run.childLines()).hasSize(1);
  }

  @Test
  void compare_whenADirectoryHoldsNoRunfleetJar_isAUsageError_andStartsNothing() {
    Path log = tmp.resolve("compare.log");

    Run run = compareBuilds(BuildComparison.Launcher.JAR, tmp, tmp, "pipeline");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--before: " + tmp + " holds no runfleet.jar");
    assertThat(run.out()).isEmpty();
    assertThat(log).doesNotExist();
  }

  @Test
  void compare_unknownBench_isAUsageError() {
    Run run =
        compare(FAKE, "bench", "compare", "--before", "a", "--after", "b", "--bench", "dispatch");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("--bench must be pipeline, coldstart or webhook; was 'dispatch'");
  }
}
