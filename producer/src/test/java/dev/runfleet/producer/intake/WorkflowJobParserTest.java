package dev.runfleet.producer.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.common.domain.EventKind;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkflowJobParserTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final WorkflowJobParser parser = new WorkflowJobParser();

  private WorkflowJobEvent event(byte[] body) throws MalformedPayloadException {
    WorkflowJobParser.Parsed parsed = parser.parse(body, "delivery-1");
    assertThat(parsed).isInstanceOf(WorkflowJobParser.Parsed.Event.class);
    return ((WorkflowJobParser.Parsed.Event) parsed).event();
  }

  @Test
  void parse_queuedFixture_readsEveryField() throws Exception {
    WorkflowJobEvent event = event(Fixtures.bytes(Fixtures.QUEUED));

    assertThat(event.deliveryId()).isEqualTo("delivery-1");
    assertThat(event.kind()).isEqualTo(EventKind.QUEUED);
    assertThat(event.key()).isEqualTo(new JobKey(289782451L, 1));
    assertThat(event.runId()).isEqualTo(2202229078L);
    assertThat(event.repository()).isEqualTo("Codertocat/Hello-World");
    assertThat(event.organization()).isNull();
    assertThat(event.installationId()).isEqualTo(3456996L);
    assertThat(event.labels()).containsExactly("ubuntu-latest");
    assertThat(event.createdAt()).isEqualTo(Instant.parse("2021-09-13T02:21:13Z"));
    assertThat(event.conclusion()).isNull();
    // The example fills the runner although the job is only queued: parsed, but not taken as where
    // it ran.
    assertThat(event.runnerName()).isEqualTo("GitHub Actions 5");
    assertThat(event.runnerId()).isEqualTo(5L);
    assertThat(event.reportedRunner()).isNull();
  }

  @Test
  void parse_waitingFixture_isWaitingWithSelfHostedLabels() throws Exception {
    WorkflowJobEvent event = event(Fixtures.bytes(Fixtures.WAITING));

    assertThat(event.kind()).isEqualTo(EventKind.WAITING);
    assertThat(event.key()).isEqualTo(new JobKey(12877621891L, 1));
    assertThat(event.runId()).isEqualTo(4747967848L);
    assertThat(event.repository()).isEqualTo("lineville/elastic-machines-testing");
    assertThat(event.installationId()).isEqualTo(23154469L);
    assertThat(event.labels()).containsExactly("self-hosted", "k8s");
    assertThat(event.createdAt()).isEqualTo(Instant.parse("2023-04-19T21:12:12Z"));
    assertThat(event.runnerId()).isNull();
    assertThat(event.runnerName()).isNull();
    assertThat(event.reportedRunner()).isNull();
  }

  @Test
  void parse_inProgressFixture_reportsTheRunner() throws Exception {
    WorkflowJobEvent event = event(Fixtures.bytes(Fixtures.IN_PROGRESS));

    assertThat(event.kind()).isEqualTo(EventKind.IN_PROGRESS);
    assertThat(event.key()).isEqualTo(new JobKey(289782451L, 1));
    assertThat(event.installationId()).isEqualTo(1L);
    assertThat(event.createdAt()).isEqualTo(Instant.parse("2021-09-13T02:21:13Z"));
    assertThat(event.runnerId()).isEqualTo(5L);
    assertThat(event.reportedRunner()).isEqualTo("GitHub Actions 5");
    assertThat(event.conclusion()).isNull();
  }

  @Test
  void parse_completedWithOrganizationFixture_readsOrganizationAndConclusion() throws Exception {
    WorkflowJobEvent event = event(Fixtures.bytes(Fixtures.COMPLETED));

    assertThat(event.kind()).isEqualTo(EventKind.COMPLETED);
    assertThat(event.key()).isEqualTo(new JobKey(289782451L, 1));
    assertThat(event.organization()).isEqualTo("Octocoders");
    assertThat(event.installationId()).isNull();
    assertThat(event.conclusion()).isEqualTo("success");
    assertThat(event.reportedRunner()).isEqualTo("GitHub Actions 5");
    assertThat(event.createdAt()).isEqualTo(Instant.parse("2021-08-05T10:33:58Z"));
  }

  @Test
  void parse_queuedWithJobStatusWaiting_isWaiting() throws Exception {
    WorkflowJobEvent event =
        event(bytes(Webhooks.workflowJob("queued", "waiting", 9, "self-hosted", "fargate")));

    assertThat(event.kind()).isEqualTo(EventKind.WAITING);
  }

  @Test
  void parse_unknownAction_isNotAnEvent() throws Exception {
    WorkflowJobParser.Parsed parsed =
        parser.parse(bytes(Webhooks.workflowJob("archived", "queued", 9, "x")), "d");

    assertThat(parsed)
        .isEqualTo(new WorkflowJobParser.Parsed.UnknownAction("archived", new JobKey(9, 1)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "action",
        "workflow_job",
        "workflow_job.id",
        "workflow_job.run_id",
        "workflow_job.run_attempt",
        "workflow_job.status",
        "workflow_job.labels",
        "workflow_job.created_at",
        "repository",
        "repository.full_name"
      })
  void parse_whenRequiredFieldMissing_namesIt(String field) throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.QUEUED));
    int dot = field.indexOf('.');
    if (dot < 0) {
      root.remove(field);
    } else {
      ((ObjectNode) root.get(field.substring(0, dot))).remove(field.substring(dot + 1));
    }

    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageStartingWith(field + " is missing");
  }

  @Test
  void parse_whenFieldsMistyped_namesThem() throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.QUEUED));
    ObjectNode job = (ObjectNode) root.get("workflow_job");

    job.put("id", "289782451");
    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .hasMessageContaining("workflow_job.id");
    job.put("id", 289782451L);

    job.putArray("labels").add("self-hosted").add(3);
    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .hasMessageContaining("workflow_job.labels");
    job.putArray("labels").add("self-hosted");

    job.put("run_attempt", 0);
    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .hasMessageContaining("workflow_job.run_attempt must be positive");
    job.put("run_attempt", 1);

    job.put("created_at", "yesterday");
    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .hasMessageContaining("workflow_job.created_at");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "{\"action\":", "[1,2]", "\"queued\"", "{} {}"})
  void parse_whenNotAJsonObject_rejects(String body) {
    assertThatThrownBy(() -> parser.parse(bytes(body), "d"))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageStartingWith("body is not");
  }

  @Test
  void parse_whenAFieldItDoesNotReadIsMalformed_stillRejects() throws Exception {
    String fixture = new String(Fixtures.bytes(Fixtures.COMPLETED), StandardCharsets.UTF_8);
    String brokenUrl = fixture.replaceFirst("\"html_url\": \"", "\"html_url\": nope\"");
    assertThat(brokenUrl).isNotEqualTo(fixture);

    assertThatThrownBy(() -> parser.parse(bytes(brokenUrl), "d"))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageStartingWith("body is not valid JSON (at line");
    assertThatThrownBy(() -> parser.parse(bytes(fixture + " []"), "d"))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessageStartingWith("body is not valid JSON (at line");
  }

  @Test
  void parse_whenWorkflowJobIsAnEmptyObject_namesItsFirstMissingField() throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.COMPLETED));
    root.putObject("workflow_job");

    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .isInstanceOf(MalformedPayloadException.class)
        .hasMessage("workflow_job.id is missing or not a number");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-05-01T10:00:00Z",
        "1970-01-01T00:00:00Z",
        "2024-02-29T23:59:59Z",
        "9999-12-31T23:59:59Z"
      })
  void utcSeconds_readsGitHubsFormAsTheGeneralParserDoes(String text) {
    assertThat(WorkflowJobParser.utcSeconds(text))
        .contains(java.time.OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-05-01T12:00:00+02:00",
        "2024-05-01T10:00:00.5Z",
        "2023-02-29T10:00:00Z",
        "2024-13-01T10:00:00Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01X10:00:00Z",
        "2024-0a-01T10:00:00Z",
        "+2024-05-01T10:00:0Z"
      })
  void utcSeconds_leavesEveryOtherFormToTheGeneralParser(String text) {
    assertThat(WorkflowJobParser.utcSeconds(text)).isEmpty();
  }

  @Test
  void parse_createdAtWithAnOffset_isTheSameInstant() throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.COMPLETED));
    Instant utc = event(MAPPER.writeValueAsBytes(root)).createdAt();
    ((ObjectNode) root.get("workflow_job"))
        .put(
            "created_at",
            java.time.OffsetDateTime.ofInstant(utc, java.time.ZoneOffset.ofHours(2)).toString());

    assertThat(event(MAPPER.writeValueAsBytes(root)).createdAt()).isEqualTo(utc);
  }

  @Test
  void parse_malformedJson_doesNotEchoTheBody() {
    assertThatThrownBy(() -> parser.parse(bytes("{\"secretish\": nope}"), "d"))
        .isInstanceOf(MalformedPayloadException.class)
        .message()
        .doesNotContain("secretish")
        .doesNotContain("nope");
  }

  @Test
  void parse_optionalFieldsAbsent_areNull() throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.COMPLETED));
    root.remove("organization");
    ObjectNode job = (ObjectNode) root.get("workflow_job");
    job.remove(List.of("runner_id", "runner_name", "conclusion"));

    WorkflowJobEvent event = event(MAPPER.writeValueAsBytes(root));

    assertThat(event.organization()).isNull();
    assertThat(event.installationId()).isNull();
    assertThat(event.runnerId()).isNull();
    assertThat(event.runnerName()).isNull();
    assertThat(event.conclusion()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"+300000000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2286-11-20T17:46:40Z"})
  void parse_whenCreatedAtOutsideWhatTheTableOrders_isOutOfRange(String createdAt)
      throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.QUEUED));
    ((ObjectNode) root.get("workflow_job")).put("created_at", createdAt);

    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .isInstanceOf(OutOfRangeException.class)
        .hasMessageStartingWith("workflow_job.created_at is outside");
  }

  @Test
  void parse_whenCreatedAtIsTheLastMillisecondTheTableOrders_reads() throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.QUEUED));
    ((ObjectNode) root.get("workflow_job")).put("created_at", "2286-11-20T17:46:39.999Z");

    assertThat(event(MAPPER.writeValueAsBytes(root)).createdAt())
        .isEqualTo(WorkflowJobParser.END_OF_CREATED_AT.minusMillis(1));
  }

  @Test
  void parse_whenIdsArePastTheirTypes_isOutOfRange() throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes(Fixtures.QUEUED));
    ObjectNode job = (ObjectNode) root.get("workflow_job");

    job.put("id", new java.math.BigInteger("9223372036854775808"));
    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .isInstanceOf(OutOfRangeException.class)
        .hasMessage("workflow_job.id is past a 64-bit integer");
    job.put("id", 289782451L);

    job.put("run_attempt", 2_147_483_648L);
    assertThatThrownBy(() -> parser.parse(MAPPER.writeValueAsBytes(root), "d"))
        .isInstanceOf(OutOfRangeException.class)
        .hasMessageContaining("workflow_job.run_attempt");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
