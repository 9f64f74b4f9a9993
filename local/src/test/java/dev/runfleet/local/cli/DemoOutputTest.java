package dev.runfleet.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.local.runtime.LogFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runfleet demo} off a terminal (as under a build, a pipe or CI): a short report, not the
 * runtime's log, which goes to the file it names.
 */
class DemoOutputTest {

  @TempDir Path dir;

  @AfterEach
  void consoleAgain() {
    LogFile.restoreConsole();
  }

  @Test
  void demo_onANonTerminal_printsUnderSixtyLines_endingWithTheJsonLine() throws Exception {
    Path log = dir.resolve("demo.log");

    CliConventionsTest.Run run =
        CliConventionsTest.run("demo", "--jobs", "20", "--log-file", log.toString());

    List<String> lines = run.out().lines().toList();
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(lines).hasSizeLessThan(60);
    assertThat(lines.get(0)).isEqualTo("runfleet demo: log lines go to " + log);
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(last.path("passed").asBoolean()).isTrue();
    assertThat(last.path("jobs").asInt()).isEqualTo(20);
    assertThat(run.out()).contains("result: PASS").doesNotContain(" INFO ").doesNotContain("WARN");
    assertThat(run.err()).isEmpty();
    // The runtime's own lines are all in the file.
    assertThat(Files.readString(log)).contains("runfleet local is up").contains("dispatched job");
  }
}
