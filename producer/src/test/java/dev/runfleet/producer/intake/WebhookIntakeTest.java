package dev.runfleet.producer.intake;

import static dev.runfleet.producer.testing.Webhooks.SECRET;
import static dev.runfleet.producer.testing.Webhooks.signed;
import static dev.runfleet.producer.testing.Webhooks.with;
import static dev.runfleet.producer.testing.Webhooks.workflowJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.port.AllowListSource;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookIntakeTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final FakeJobEventStore store = new FakeJobEventStore();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private AllowListSource allowList = () -> AllowList.EVERYONE;
  private final WebhookIntake intake =
      new WebhookIntake(
          MAX_BODY,
          Webhooks.ANY_AGE,
          Webhooks.CLOCK,
          HookSources.ANYWHERE,
          new SignatureVerifier(SECRET, null),
          new WorkflowJobParser(),
          store,
          () -> allowList.current(),
          metrics);

  private WebhookIntake boundedTo(Duration maxAge, Clock clock) {
    return new WebhookIntake(
        MAX_BODY,
        maxAge,
        clock,
        HookSources.ANYWHERE,
        new SignatureVerifier(SECRET, null),
        new WorkflowJobParser(),
        store,
        () -> allowList.current(),
        metrics);
  }

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  @Test
  void intake_whenQueuedJobIsOlderThanTheBound_refuses202StaleAndRecordsNothing() throws Exception {
    WebhookIntake bounded = boundedTo(Duration.ofHours(24), at("2024-05-02T10:00:01Z"));

    WebhookResponse response = bounded.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).get("reason").asText()).isEqualTo("stale");
    assertThat(json(response).get("result").asText()).isEqualTo("refused");
    assertThat(store.appended).isEmpty();
    assertThat(metrics.counts).containsExactly("received", "ignored");
  }

  @Test
  void intake_whenQueuedJobIsExactlyAtTheBound_recordsIt() {
    WebhookIntake bounded = boundedTo(Duration.ofHours(24), at("2024-05-02T10:00:00Z"));

    WebhookResponse response = bounded.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(store.appended).hasSize(1);
  }

  @Test
  void intake_officialQueuedFixture_todayWithTheDefaultBound_isRefusedStale() throws Exception {
    WebhookIntake bounded =
        boundedTo(
            Duration.ofSeconds(ProducerConfig.DEFAULT_MAX_EVENT_AGE_SECONDS), Clock.systemUTC());

    WebhookResponse response =
        bounded.handle(signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED)));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).get("reason").asText()).isEqualTo("stale");
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_officialCompletedFixture_ofAnOldJob_isNeverStale() throws Exception {
    WebhookIntake bounded =
        boundedTo(
            Duration.ofSeconds(ProducerConfig.DEFAULT_MAX_EVENT_AGE_SECONDS), Clock.systemUTC());

    WebhookResponse response =
        bounded.handle(signed("workflow_job", Fixtures.bytes(Fixtures.COMPLETED)));

    assertThat(json(response).path("reason").asText()).isNotEqualTo("stale");
    assertThat(store.appended).hasSize(1);
  }

  private void allow(String patterns) {
    AllowList list = ((AllowList.Parsed.Valid) AllowList.parse(patterns)).list();
    allowList = () -> list;
  }

  @Test
  void intake_whenNamesAreAtGitHubsLimits_recordsThem() {
    String body =
        QUEUED_FARGATE
            .replace("acme/widgets", "o".repeat(39) + "/" + "r".repeat(100))
            .replace("\"login\":\"acme\"", "\"login\":\"" + "o".repeat(39) + "\"");

    WebhookResponse response = intake.handle(signed("workflow_job", body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(store.appended).hasSize(1);
  }

  @Test
  void intake_whenNamesArePastGitHubsLimits_rejects400OutOfRangeAndRecordsNothing()
      throws Exception {
    String[][] cases = {
      {"acme/widgets", "acme/" + "r".repeat(101), "the name in repository.full_name is 101"},
      {"acme/widgets", "o".repeat(40) + "/widgets", "the owner in repository.full_name is 40"},
      {"\"login\":\"acme\"", "\"login\":\"" + "o".repeat(40) + "\"", "organization.login is 40"},
      {"\"runner_name\":null", "\"runner_name\":\"" + "n".repeat(65) + "\"", "runner_name is 65"},
      {"\"fargate\"", "\"fargate\",\"" + "l".repeat(257) + "\"", "a label in workflow_job.labels"},
      {"\"fargate\"", "\"fargate\"" + ",\"l\"".repeat(100), "has 104 labels, over GitHub's 103"},
      {"acme/widgets", "acme/wid\uFFFFgets", "the name in repository.full_name holds U+FFFF"},
      {"acme/widgets", "ac me/widgets", "the owner in repository.full_name holds U+0020"},
      {"\"login\":\"acme\"", "\"login\":\"ac_me\"", "organization.login holds U+005F"},
    };
    for (String[] c : cases) {
      WebhookResponse response =
          intake.handle(signed("workflow_job", QUEUED_FARGATE.replace(c[0], c[1])));

      assertThat(response.statusCode()).as(c[2]).isEqualTo(400);
      assertThat(json(response).get("reason").asText()).as(c[2]).contains(c[2]);
    }
    assertThat(store.appended).isEmpty();
    assertThat(metrics.counts).contains("rejected:out_of_range");
  }

  private static JsonNode json(WebhookResponse response) throws Exception {
    return MAPPER.readTree(response.body());
  }

  private static final String QUEUED_FARGATE =
      workflowJob("queued", "queued", 1001, "self-hosted", "linux", "x64", "fargate");

  @Test
  void intake_whenQueuedForAServedPlatform_records200Queued() throws Exception {
    WebhookResponse response = intake.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("result").asText()).isEqualTo("recorded");
    assertThat(body.get("status").asText()).isEqualTo("QUEUED");
    assertThat(body.get("platform").asText()).isEqualTo("fargate");
    assertThat(body.get("jobKey").asText()).isEqualTo("1001:1");
    assertThat(store.appended).hasSize(1);
    assertThat(metrics.counts).containsExactly("received", "accepted");
  }

  @Test
  void intake_officialQueuedFixture_isRecordedAsIgnoredJob() throws Exception {
    WebhookResponse response =
        intake.handle(signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asText()).isEqualTo("IGNORED");
    assertThat(json(response).has("platform")).isFalse();
  }

  @Test
  void intake_whenRepositoryNotAllowed_recordsIgnoredNotAllowed() throws Exception {
    allow("octocoders, someone/else");

    WebhookResponse response =
        intake.handle(signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED)));

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = json(response);
    assertThat(body.get("result").asText()).isEqualTo("ignored");
    assertThat(body.get("reason").asText()).isEqualTo("not-allowed");
    assertThat(body.get("status").asText()).isEqualTo("IGNORED");
    Job job = store.job(body.get("jobKey").asText());
    assertThat(job.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(job.ignoredReason()).isEqualTo(IgnoredReason.NOT_ALLOWED);
    assertThat(job.platform()).isNull();
    assertThat(metrics.counts).containsExactly("received", "ignored");
  }

  @Test
  void intake_whenOwnerAllowedInAnyCase_officialQueuedFixture_isIgnoredForNoPlatform()
      throws Exception {
    allow("CodeRtoCat/*");

    WebhookResponse response =
        intake.handle(signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("result").asText()).isEqualTo("recorded");
    assertThat(body.get("reason").asText()).isEqualTo("no-platform");
    assertThat(store.job(body.get("jobKey").asText()).ignoredReason())
        .isEqualTo(IgnoredReason.NO_PLATFORM);
  }

  @Test
  void intake_whenOrganizationAllowed_officialCompletedFixtureOfItsRepository_isRecorded()
      throws Exception {
    // The fixture's repository is Codertocat/Hello-World inside the organisation Octocoders.
    allow("octocoders");

    WebhookResponse response =
        intake.handle(signed("workflow_job", Fixtures.bytes(Fixtures.COMPLETED)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("reason").asText()).isEqualTo("no-platform");
  }

  @Test
  void intake_whenRepositoryNoLongerAllowed_ignoresItsQueuedJobBeforeDispatch() throws Exception {
    intake.handle(signed("workflow_job", QUEUED_FARGATE));
    allow("acme/gadgets");

    WebhookResponse response =
        intake.handle(
            signed(
                "workflow_job",
                workflowJob("in_progress", "in_progress", 1001, "self-hosted", "linux", "x64")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).get("reason").asText()).isEqualTo("not-allowed");
    Job job = store.job("1001:1");
    assertThat(job.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(job.ignoredReason()).isEqualTo(IgnoredReason.NOT_ALLOWED);
    assertThat(job.platform()).isEqualTo("fargate");
  }

  @Test
  void intake_whenAllowListUnavailable_answers503AndRecordsNothing() throws Exception {
    allowList =
        () -> {
          throw new StoreUnavailableException("no valid allow-list known yet", null);
        };

    WebhookResponse response = intake.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(json(response).get("reason").asText()).contains("allow-list");
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_anEventWithNothingWrong_isSizedByTheStoresWrite_notAskedFirst() {
    WebhookResponse response = intake.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(200);
    // One set of items per webhook: the write sizes them; nothing builds them before it.
    assertThat(store.oversizeAsked).hasValue(0);
  }

  @Test
  void intake_whenTheWriteFindsTheEventTooLarge_answers413AndRecordsNothing() {
    store.tooLarge = "item event is 409601 bytes, over DynamoDB's 409600";

    WebhookResponse response = intake.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(store.appended).isEmpty();
    assertThat(metrics.counts).contains("rejected:too_large");
  }

  @Test
  void intake_whenAStaleEventIsAlsoTooLarge_answers413NotStale() {
    store.tooLarge = "item event is 409601 bytes, over DynamoDB's 409600";
    WebhookIntake bounded = boundedTo(Duration.ofHours(24), at("2024-05-02T10:00:01Z"));

    WebhookResponse response = bounded.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_whenTooLargeAndTheAllowListIsUnknown_answers413Not503() {
    store.tooLarge = "item event is 409601 bytes, over DynamoDB's 409600";
    allowList =
        () -> {
          throw new StoreUnavailableException("no valid allow-list known yet", null);
        };

    WebhookResponse response = intake.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_whenRedelivered_answers200Duplicate() throws Exception {
    WebhookRequest request = signed("workflow_job", QUEUED_FARGATE);
    intake.handle(request);

    WebhookResponse again = intake.handle(request);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("result").asText()).isEqualTo("duplicate");
    assertThat(json(again).get("reason").asText()).contains("delivery");
    assertThat(store.appended).hasSize(1);
    assertThat(metrics.counts).endsWith("duplicate");
  }

  @Test
  void intake_whenSignatureForged_answers401() throws Exception {
    byte[] body = QUEUED_FARGATE.getBytes(StandardCharsets.UTF_8);
    WebhookRequest forged =
        new WebhookRequest(
            Webhooks.headers("workflow_job", body, "a guessed secret"), QUEUED_FARGATE, false);

    WebhookResponse response = intake.handle(forged);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).get("result").asText()).isEqualTo("rejected");
    assertThat(response.body()).doesNotContain(SECRET).doesNotContain("a guessed secret");
    assertThat(store.appended).isEmpty();
    assertThat(metrics.counts).containsExactly("received", "rejected:signature");
  }

  @Test
  void intake_whenSignatureMissing_answers401() throws Exception {
    WebhookResponse response =
        intake.handle(with(signed("workflow_job", QUEUED_FARGATE), "X-Hub-Signature-256", null));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).get("reason").asText()).contains("missing");
  }

  @Test
  void intake_whenBodyChangedAfterSigning_answers401() {
    WebhookRequest signed = signed("workflow_job", QUEUED_FARGATE);
    WebhookRequest tampered =
        new WebhookRequest(
            signed.headers(), signed.body().replace("\"id\":1001", "\"id\":1002"), false);

    assertThat(intake.handle(tampered).statusCode()).isEqualTo(401);
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_whenBodyBase64Encoded_verifiesTheDecodedBytes() throws Exception {
    WebhookRequest plain = signed("workflow_job", QUEUED_FARGATE);
    String base64 =
        Base64.getEncoder().encodeToString(QUEUED_FARGATE.getBytes(StandardCharsets.UTF_8));

    WebhookResponse response = intake.handle(new WebhookRequest(plain.headers(), base64, true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("result").asText()).isEqualTo("recorded");
  }

  @Test
  void intake_whenBase64BodyIsBroken_answers400() {
    WebhookRequest plain = signed("workflow_job", QUEUED_FARGATE);

    WebhookResponse response =
        intake.handle(new WebhookRequest(plain.headers(), "%%% not base64", true));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(metrics.counts).contains("rejected:malformed");
  }

  @Test
  void intake_whenHeaderNamesInAnyCase_findsThem() {
    WebhookRequest lower = signed("workflow_job", QUEUED_FARGATE);
    Map<String, String> mixed =
        Map.of(
            "X-GitHub-Event",
            "workflow_job",
            "X-GitHub-Delivery",
            lower.header("x-github-delivery"),
            "X-Hub-Signature-256",
            lower.header("x-hub-signature-256"),
            "Content-Type",
            "application/json");

    assertThat(intake.handle(new WebhookRequest(mixed, lower.body(), false)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void intake_whenBodyTooLarge_answers413BeforeVerifying() throws Exception {
    String huge = "{\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}";

    WebhookResponse response = intake.handle(signed("workflow_job", huge));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(metrics.counts).containsExactly("received", "rejected:too_large");
  }

  @Test
  void intake_whenBodyExactlyAtLimit_isNotTooLarge() {
    String padded = "{\"pad\":\"" + "x".repeat(MAX_BODY - 10) + "\"}";
    assertThat(padded.length()).isEqualTo(MAX_BODY);

    assertThat(intake.handle(signed("push", padded)).statusCode()).isEqualTo(202);
  }

  @Test
  void intake_whenMultiByteBodyExceedsLimitInBytesOnly_answers413() {
    // Fewer chars than the limit, more UTF-8 bytes.
    String body = "{\"pad\":\"" + "é".repeat(MAX_BODY / 2 + 10) + "\"}";
    assertThat(body.length()).isLessThan(MAX_BODY);

    assertThat(intake.handle(signed("workflow_job", body)).statusCode()).isEqualTo(413);
  }

  @Test
  void intake_whenPing_answers200Pong() throws Exception {
    WebhookResponse response = intake.handle(signed("ping", Fixtures.bytes(Fixtures.PING)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("result").asText()).isEqualTo("pong");
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_whenPingUnsigned_answers401() {
    WebhookResponse response =
        intake.handle(
            with(signed("ping", Fixtures.bytes(Fixtures.PING)), "x-hub-signature-256", null));

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void intake_whenFormEncoded_answers415() throws Exception {
    WebhookResponse response =
        intake.handle(
            with(
                signed("workflow_job", QUEUED_FARGATE),
                "content-type",
                "application/x-www-form-urlencoded"));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(metrics.counts).contains("rejected:unsupported_media_type");
  }

  @Test
  void intake_whenContentTypeMissing_answers415() {
    assertThat(
            intake
                .handle(with(signed("workflow_job", QUEUED_FARGATE), "content-type", null))
                .statusCode())
        .isEqualTo(415);
  }

  @Test
  void intake_whenJsonWithCharset_accepts() {
    assertThat(
            intake
                .handle(
                    with(
                        signed("workflow_job", QUEUED_FARGATE),
                        "content-type",
                        "Application/JSON; charset=utf-8"))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void intake_whenOtherEvent_answers202Ignored() throws Exception {
    WebhookResponse response = intake.handle(signed("push", "{\"ref\":\"main\"}"));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).get("result").asText()).isEqualTo("ignored");
    assertThat(json(response).get("reason").asText()).contains("push");
    assertThat(metrics.counts).containsExactly("received", "ignored");
  }

  @Test
  void intake_whenUnknownAction_answers202Ignored() throws Exception {
    WebhookResponse response =
        intake.handle(signed("workflow_job", workflowJob("archived", "queued", 5, "x")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response).get("reason").asText()).contains("archived");
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_whenRequiredFieldMissing_answers400NamingIt() throws Exception {
    String body = QUEUED_FARGATE.replace("\"run_id\":77,", "");

    WebhookResponse response = intake.handle(signed("workflow_job", body));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("reason").asText()).contains("workflow_job.run_id");
    assertThat(metrics.counts).containsExactly("received", "rejected:malformed");
  }

  @Test
  void intake_whenBodyNotJson_answers400() throws Exception {
    WebhookResponse response = intake.handle(signed("workflow_job", "queued, please"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("reason").asText()).startsWith("body is not valid JSON");
  }

  @Test
  void intake_whenDeliveryIdMissing_answers400() {
    WebhookResponse response =
        intake.handle(with(signed("workflow_job", QUEUED_FARGATE), "x-github-delivery", null));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(metrics.counts).containsExactly("received", "rejected:missing_delivery");
    assertThat(store.appended).isEmpty();
  }

  @Test
  void intake_whenDeliveryIdCouldBreakAKey_answers400() {
    WebhookResponse response =
        intake.handle(
            with(signed("workflow_job", QUEUED_FARGATE), "x-github-delivery", "a#b c\nd"));

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void intake_whenStoreUnavailable_answers503() throws Exception {
    store.unavailable = true;

    WebhookResponse response = intake.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(json(response).get("result").asText()).isEqualTo("unavailable");
    assertThat(metrics.counts).containsExactly("received", "unavailable");
  }

  @Test
  void intake_sameJobAndKindFromAnotherDelivery_answersDuplicate() throws Exception {
    intake.handle(signed("workflow_job", QUEUED_FARGATE));

    WebhookResponse second = intake.handle(signed("workflow_job", QUEUED_FARGATE));

    assertThat(json(second).get("result").asText()).isEqualTo("duplicate");
    assertThat(json(second).get("reason").asText()).startsWith("event 1001:1/");
  }
}
