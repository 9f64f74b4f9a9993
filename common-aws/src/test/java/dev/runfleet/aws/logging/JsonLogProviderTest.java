package dev.runfleet.aws.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The Lambda jars' SLF4J backend writes one valid JSON object per line, at the levels it should.
 */
class JsonLogProviderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode parse(String line) throws Exception {
    assertThat(line).endsWith("}\n");
    assertThat(line.strip()).doesNotContain("\n");
    return JSON.readTree(line);
  }

  @Test
  void loggers_writeOwnCodeFromInfo_andLibrariesFromWarn() {
    JsonLoggers loggers = new JsonLoggers();

    Logger own = loggers.getLogger("dev.runfleet.publisher.flow.FlowController");
    Logger library = loggers.getLogger("software.amazon.awssdk.request");

    assertThat(own.isInfoEnabled()).isTrue();
    assertThat(own.isDebugEnabled()).isFalse();
    assertThat(library.isInfoEnabled()).isFalse();
    assertThat(library.isWarnEnabled()).isTrue();
  }

  @Test
  void loggers_takeOneLevelForAll_whenPowertoolsSetsIt() {
    JsonLoggers loggers = new JsonLoggers();

    loggers.setLevelOfEveryLogger(Level.DEBUG);

    assertThat(loggers.getLogger("software.amazon.awssdk.request").isDebugEnabled()).isTrue();
    assertThat(loggers.getLogger("dev.runfleet.x").isTraceEnabled()).isFalse();
  }

  @Test
  void logger_writesAFormattedLineToStandardOutput_andNothingBelowItsLevel() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    Logger logger = new JsonLoggers().getLogger("dev.runfleet.aws.Example");
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      logger.debug("not written {}", 1);
      logger.info("job {} of attempt {}", 42, 1, new IllegalArgumentException("bad"));
    } finally {
      System.setOut(original);
    }

    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written.lines()).hasSize(1);
    JsonNode line = parse(written);
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("message").asText()).isEqualTo("job 42 of attempt 1");
    assertThat(line.get("error").get("message").asText()).isEqualTo("bad");
  }
}
