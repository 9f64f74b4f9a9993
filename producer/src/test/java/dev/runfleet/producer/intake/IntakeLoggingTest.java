package dev.runfleet.producer.intake;

import static dev.runfleet.producer.testing.Webhooks.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.AllowList;
import dev.runfleet.producer.hookranges.HookRanges;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the intake tells the operator: ids on every line, one reason per rejection, never a secret
 * or body.
 */
class IntakeLoggingTest {

  /** A log line as the JSON layout would render it: message plus MDC fields. */
  record Line(Level level, String message, Map<String, String> fields) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final AbstractAppender capture =
      new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
          if (!WebhookIntake.class.getName().equals(event.getLoggerName())) {
            return;
          }
          lines.add(
              new Line(
                  event.getLevel(),
                  event.getMessage().getFormattedMessage(),
                  Map.copyOf(event.getContextData().toMap())));
        }
      };
  private LoggerContext context;
  private LoggerConfig loggerConfig;

  private final FakeJobEventStore store = new FakeJobEventStore();
  private AllowList allowList = AllowList.EVERYONE;
  private final WebhookIntake intake = intake(HookSources.ANYWHERE);

  private WebhookIntake intake(HookSources sources) {
    return new WebhookIntake(
        1 << 20,
        Webhooks.ANY_AGE,
        Webhooks.CLOCK,
        sources,
        new SignatureVerifier(SECRET, null),
        new WorkflowJobParser(),
        store,
        () -> allowList,
        new RecordingMetrics());
  }

  // Attached to the configured logger rather than through Logger.addAppender, which would leave a
  // new,
  // appender-less logger config behind and silence the intake for every later test in this JVM.
  @BeforeEach
  void attach() {
    context = (LoggerContext) LogManager.getContext(false);
    loggerConfig = context.getConfiguration().getLoggerConfig(WebhookIntake.class.getName());
    capture.start();
    loggerConfig.addAppender(capture, null, null);
    context.updateLoggers();
  }

  @AfterEach
  void detach() {
    loggerConfig.removeAppender(capture.getName());
    context.updateLoggers();
    capture.stop();
  }

  @Test
  void sourceOutsideHookRanges_logsOneWarnLineNamingTheAddress() {
    WebhookIntake guarded = intake(HookRanges.parse("192.30.252.0/22")::admits);
    WebhookRequest signed = Webhooks.signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED));

    guarded.handle(new WebhookRequest(signed.headers(), signed.body(), false, "203.0.113.9"));

    assertThat(lines)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.level()).isEqualTo(Level.WARN);
              assertThat(line.message())
                  .isEqualTo(
                      "webhook rejected (source_ip): 203.0.113.9 is outside GitHub's hook ranges");
            });
  }

  @Test
  void recordedEvent_logsDeliveryJobAndAttempt() {
    WebhookRequest request = Webhooks.signed("workflow_job", Fixtures.bytes(Fixtures.IN_PROGRESS));

    intake.handle(request);

    assertThat(lines)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.level()).isEqualTo(Level.INFO);
              assertThat(line.message()).contains("in_progress recorded");
              assertThat(line.fields())
                  .containsEntry("deliveryId", request.header("x-github-delivery"))
                  .containsEntry("jobId", "289782451")
                  .containsEntry("runAttempt", "1");
            });
  }

  @Test
  void notAllowedEvent_logsTheRepositoryAndTheListItMatchedNoPatternOf() {
    allowList = ((AllowList.Parsed.Valid) AllowList.parse("Octocoders/*, acme")).list();
    WebhookRequest request = Webhooks.signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED));

    intake.handle(request);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).message())
        .contains("Codertocat/Hello-World")
        .contains("[octocoders/*,acme]")
        .contains("not allowed");
    assertThat(lines.get(0).fields()).containsKeys("deliveryId", "jobId", "runAttempt");
    assertThat(lines.get(1).message()).contains("IGNORED (not-allowed)");
  }

  @Test
  void duplicate_logsOneLineWithIds() {
    WebhookRequest request = Webhooks.signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED));
    intake.handle(request);
    lines.clear();

    intake.handle(request);

    assertThat(lines)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.message()).contains("duplicate");
              assertThat(line.fields()).containsKeys("deliveryId", "jobId", "runAttempt");
            });
  }

  @Test
  void forgedSignature_logsOneWarningWithoutSecretOrBody() {
    String body = new String(Fixtures.bytes(Fixtures.QUEUED), StandardCharsets.UTF_8);
    WebhookRequest forged =
        new WebhookRequest(
            Webhooks.headers("workflow_job", body.getBytes(StandardCharsets.UTF_8), "guess"),
            body,
            false);

    intake.handle(forged);

    assertThat(lines)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.level()).isEqualTo(Level.WARN);
              assertThat(line.message()).contains("rejected (signature)");
              assertThat(line.message())
                  .doesNotContain(SECRET)
                  .doesNotContain("guess")
                  .doesNotContain("Codertocat")
                  .doesNotContain(forged.header("x-hub-signature-256"));
              assertThat(line.fields())
                  .containsEntry("deliveryId", forged.header("x-github-delivery"));
            });
  }

  @Test
  void malformedPayload_logsTheFieldNotTheBody() {
    intake.handle(Webhooks.signed("workflow_job", "{\"action\":\"queued\",\"token\":\"ghs_abc\"}"));

    assertThat(lines)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.message()).contains("rejected (malformed)").contains("workflow_job");
              assertThat(line.message()).doesNotContain("ghs_abc");
            });
  }

  @Test
  void afterHandling_noFieldLeaksIntoTheNextLine() {
    intake.handle(Webhooks.signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED)));
    lines.clear();

    intake.handle(Webhooks.signed("push", "{}"));

    assertThat(lines)
        .singleElement()
        .satisfies(l -> assertThat(l.fields()).doesNotContainKeys("jobId", "runAttempt"));
  }
}
