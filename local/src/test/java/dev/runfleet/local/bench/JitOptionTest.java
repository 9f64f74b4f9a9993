package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.local.cli.RunfleetCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --jit} of {@code runfleet bench pipeline} and {@code bench webhook}: the code measured
 * with the JIT as deployed.
 */
class JitOptionTest {

  @Test
  void jitDeployed_runsTheRuntimeInAChildJvmWithC1Only(@TempDir Path dir) throws Exception {
    assumeThat(ChildJvm.tieredStopAtLevel()).as("this JVM runs C2").isNotEqualTo(1);

    Run run = run("bench", "pipeline", "--jobs", "5", "--warmup-jobs", "0", "--log-file", log(dir));

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out()).contains("JIT C1 only as deployed");
    JsonNode report = lastLine(run.out());
    assertThat(report.path("tieredStopAtLevel").asInt()).isEqualTo(1);
    assertThat(report.path("passed").asBoolean()).isTrue();
  }

  @Test
  void jitJvm_runsTheRuntimeInThisJvm(@TempDir Path dir) throws Exception {
    Run run =
        run(
            "bench",
            "pipeline",
            "--jobs",
            "5",
            "--warmup-jobs",
            "0",
            "--jit",
            "jvm",
            "--log-file",
            log(dir));

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(lastLine(run.out()).path("tieredStopAtLevel").asInt())
        .isEqualTo(ChildJvm.tieredStopAtLevel());
  }

  @Test
  void webhook_jitDeployed_runsTheHandlerInAChildJvmWithC1Only() throws Exception {
    assumeThat(ChildJvm.tieredStopAtLevel()).as("this JVM runs C2").isNotEqualTo(1);

    Run run = run("bench", "webhook", "--modes", "stub", "--requests", "20", "--warmup", "0");

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out()).contains("JIT C1 only as deployed");
    JsonNode report = lastLine(run.out());
    assertThat(report.path("tieredStopAtLevel").asInt()).isEqualTo(1);
    assertThat(report.path("modes").path("stub").path("requests").asInt()).isEqualTo(20);
  }

  @Test
  void webhook_jitOfAnotherName_isAUsageError() {
    Run run = run("bench", "webhook", "--jit", "c2");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--jit must be deployed or jvm: c2");
  }

  @Test
  void jitOfAnotherName_isAUsageError() {
    Run run = run("bench", "pipeline", "--jit", "fast");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--jit must be deployed or jvm: fast");
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.io.StringWriter err = new java.io.StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      var cli = RunfleetCli.commandLine();
      cli.setErr(new java.io.PrintWriter(err, true));
      int code = cli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  private static String log(Path dir) {
    return dir.resolve("pipeline.log").toString();
  }

  private static JsonNode lastLine(String out) throws Exception {
    List<String> lines = out.strip().lines().toList();
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }
}
