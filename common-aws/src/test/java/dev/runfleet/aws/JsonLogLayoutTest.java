package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.aws.logging.JsonLogLine;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Test;

/**
 * The functions' log layout ({@code log4j2.xml}, the local runtime's and the tests') writes one
 * valid JSON object per line, and the Lambda jars' own backend ({@link JsonLogLine}) writes the
 * same line.
 */
class JsonLogLayoutTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode render(LogEvent event) throws Exception {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Layout<?> layout = context.getConfiguration().getAppender("JsonAppender").getLayout();
    String line = new String(layout.toByteArray(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    assertThat(line.strip()).doesNotContain("\n");
    return JSON.readTree(line);
  }

  private static LogEvent event(String message, Map<String, String> mdc, Throwable thrown) {
    SortedArrayStringMap context = new SortedArrayStringMap();
    mdc.forEach(context::putValue);
    return Log4jLogEvent.newBuilder()
        .setLoggerName("dev.runfleet.producer.intake.WebhookIntake")
        .setLevel(Level.WARN)
        .setMessage(new SimpleMessage(message))
        .setContextData(context)
        .setThrown(thrown)
        .setTimeMillis(1_700_000_000_000L)
        .build();
  }

  /** The same event as {@link #event}, written by the Lambda jars' backend. */
  private static JsonNode lambdaLine(String message, Map<String, String> mdc, Throwable thrown)
      throws Exception {
    return JSON.readTree(
        JsonLogLine.format(
            1_700_000_000_000L,
            org.slf4j.event.Level.WARN,
            "dev.runfleet.producer.intake.WebhookIntake",
            message,
            mdc,
            thrown));
  }

  @Test
  void layout_writesMessageAndSetMdcFields_asOneJsonObject() throws Exception {
    JsonNode line =
        render(
            event(
                "a \"quoted\"\nmessage\twith\\escapes",
                Map.of(
                    "deliveryId", "d-1\"",
                    "jobId", "42",
                    "function_request_id", "req-1",
                    "cold_start", "true"),
                null));

    assertThat(line.get("message").asText()).isEqualTo("a \"quoted\"\nmessage\twith\\escapes");
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("logger").asText()).isEqualTo("dev.runfleet.producer.intake.WebhookIntake");
    assertThat(line.get("timestamp").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
    assertThat(line.get("deliveryId").asText()).isEqualTo("d-1\"");
    assertThat(line.get("jobId").asText()).isEqualTo("42");
    assertThat(line.get("function_request_id").asText()).isEqualTo("req-1");
    assertThat(line.get("cold_start").asText()).isEqualTo("true");
    assertThat(line.has("runner")).as("an MDC key that is not set is left out").isFalse();
    assertThat(line.has("error")).isFalse();
  }

  @Test
  void layout_writesAnExceptionsMessageAndStack_insideTheLine() throws Exception {
    JsonNode line =
        render(event("failed", Map.of(), new IllegalStateException("table \"jobs\" unavailable")));

    assertThat(line.get("error").get("message").asText()).isEqualTo("table \"jobs\" unavailable");
    assertThat(line.get("error").get("stack").asText())
        .startsWith("java.lang.IllegalStateException: table \"jobs\" unavailable")
        .contains("at dev.runfleet.aws.JsonLogLayoutTest");
  }

  @Test
  void lambdaBackend_writesTheSameObject_asTheLayout() throws Exception {
    String message = "a \"quoted\"\nmessage\twith\\escapes, \u0001 and é";
    Map<String, String> mdc = Map.of("deliveryId", "d-1\"", "jobId", "42", "cold_start", "true");

    JsonNode lambda = lambdaLine(message, mdc, null);

    assertThat(lambda).isEqualTo(render(event(message, mdc, null)));
  }

  @Test
  void lambdaBackend_writesTheExceptionLikeTheLayout() throws Exception {
    IllegalStateException failure = new IllegalStateException("table \"jobs\" unavailable");

    JsonNode lambda = lambdaLine("failed", Map.of(), failure);
    JsonNode layout = render(event("failed", Map.of(), failure));

    assertThat(lambda.get("error").get("message")).isEqualTo(layout.get("error").get("message"));
    assertThat(lambda.get("error").get("stack").asText().lines().limit(2))
        .containsExactlyElementsOf(
            layout.get("error").get("stack").asText().lines().limit(2).toList());
  }

  @Test
  void layout_keepsTheErrorObject_whenTheExceptionHasNoMessage() throws Exception {
    JsonNode line = render(event("failed", Map.of(), new IllegalStateException()));

    assertThat(line.get("error").get("stack").asText())
        .startsWith("java.lang.IllegalStateException");
  }
}
