package dev.runfleet.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.SsmStub;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The handler as the local runtime builds it: from a config map, wired by Dagger, on DynamoDB
 * Local.
 */
class ProducerHandlerWiringTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SECRET = "wiring secret";
  private static final long WAITING_JOB_ID = 12877621891L;

  private static EmbeddedDynamoDb dynamo;
  private static DynamoDbClient client;
  private SsmStub ssm;
  private String table;
  private ProducerHandler handler;

  @BeforeAll
  static void start() {
    dynamo = EmbeddedDynamoDb.start(0);
    client = dynamo.client();
  }

  @BeforeEach
  void createTableAndHandler() throws Exception {
    table = "jobs-" + UUID.randomUUID();
    EmbeddedDynamoDb.createJobsTable(client, table);
    ssm = new SsmStub();
    handler =
        new ProducerHandler(
            ProducerConfig.from(
                Map.of(
                    ProducerConfig.ENV_TABLE,
                    table,
                    ProducerConfig.ENV_WEBHOOK_SECRET,
                    SECRET,
                    ProducerConfig.ENV_PLATFORMS,
                    "[{\"name\":\"k8s\",\"labels\":[\"self-hosted\",\"k8s\"],"
                        + "\"hostKind\":\"ECS_FARGATE\",\"arch\":\"x64\"}]",
                    ProducerConfig.ENV_STAGE,
                    "wiring",
                    ProducerConfig.ENV_PARAMETER_CACHE_SECONDS,
                    "300",
                    // GitHub's example payloads are years old: replayed here as fresh deliveries.
                    ProducerConfig.ENV_MAX_EVENT_AGE_SECONDS,
                    Integer.toString(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS),
                    "RUNFLEET_AWS_ENDPOINT",
                    dynamo.endpoint().toString(),
                    "RUNFLEET_AWS_ENDPOINT_SSM",
                    ssm.endpoint().toString())));
  }

  @AfterEach
  void stopSsm() {
    ssm.close();
  }

  @Test
  void handler_whenRepositoryNotAllowed_answers202AndRecordsIgnoredNotAllowed() throws Exception {
    ssm.put("/runfleet/wiring/allow", "lineville/other-repo");

    APIGatewayV2HTTPResponse response =
        handler.handle(
            signed("workflow_job", Fixtures.WAITING, UUID.randomUUID().toString()), null);

    assertThat(response.getStatusCode()).isEqualTo(202);
    assertThat(body(response).get("reason").asText()).isEqualTo("not-allowed");
    Map<String, AttributeValue> item = job(new JobKey(WAITING_JOB_ID, 1));
    assertThat(item.get(JobsTable.STATUS).s()).isEqualTo("IGNORED");
    assertThat(item.get(JobsTable.IGNORED_REASON).s()).isEqualTo("not-allowed");
  }

  @Test
  void handler_readsTheAllowListOncePerCachePeriod_notPerWebhook() throws Exception {
    ssm.put("/runfleet/wiring/allow", "LINEVILLE");

    for (String fixture : new String[] {Fixtures.WAITING, Fixtures.QUEUED, Fixtures.IN_PROGRESS}) {
      handler.handle(signed("workflow_job", fixture, UUID.randomUUID().toString()), null);
    }

    assertThat(ssm.requests)
        .singleElement()
        .satisfies(r -> assertThat(r.path("Name").asText()).isEqualTo("/runfleet/wiring/allow"));
    assertThat(job(new JobKey(WAITING_JOB_ID, 1)).get(JobsTable.STATUS).s()).isEqualTo("WAITING");
  }

  @AfterAll
  static void stop() {
    client.close();
    dynamo.close();
  }

  @Test
  void handler_whenFullNameIs450KB_answers413AndWritesNothing() throws Exception {
    ObjectNode payload = fixture(Fixtures.QUEUED);
    ((ObjectNode) payload.get("repository")).put("full_name", "octo-org/" + "r".repeat(450_000));

    APIGatewayV2HTTPResponse response = handler.handle(signed(payload), null);

    assertThat(response.getStatusCode()).isEqualTo(413);
    assertThat(body(response).get("reason").asText())
        .contains("item job is")
        .contains("over DynamoDB's 409600")
        .doesNotContain("rrrr");
    assertThat(items()).isEmpty();
  }

  @Test
  void handler_whenTenThousandLabelsMakeTheItemTooLarge_answers413AndWritesNothing()
      throws Exception {
    ObjectNode payload = fixture(Fixtures.QUEUED);
    ArrayNode labels = ((ObjectNode) payload.get("workflow_job")).putArray("labels");
    for (int i = 0; i < 10_000; i++) {
      labels.add("label-" + "x".repeat(40) + i);
    }

    APIGatewayV2HTTPResponse response = handler.handle(signed(payload), null);

    assertThat(response.getStatusCode()).isEqualTo(413);
    assertThat(items()).isEmpty();
  }

  @Test
  void handler_whenCreatedAtIsYear300000000_answers400AndWritesNothing() throws Exception {
    ObjectNode payload = fixture(Fixtures.QUEUED);
    ((ObjectNode) payload.get("workflow_job")).put("created_at", "+300000000-01-01T00:00:00Z");

    APIGatewayV2HTTPResponse response = handler.handle(signed(payload), null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(body(response).get("reason").asText())
        .isEqualTo(
            "workflow_job.created_at is outside 1970-01-01T00:00:00Z to"
                + " 2286-11-20T17:46:40Z, out of range");
    assertThat(items()).isEmpty();
  }

  @Test
  void handler_whenRunnerNameIs3000Characters_answers400AndWritesNothing() throws Exception {
    ObjectNode payload = fixture(Fixtures.IN_PROGRESS);
    ((ObjectNode) payload.get("workflow_job")).put("runner_name", "rf-" + "n".repeat(2_997));

    APIGatewayV2HTTPResponse response = handler.handle(signed(payload), null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(body(response).get("reason").asText())
        .isEqualTo("workflow_job.runner_name is 3000 characters, over 64");
    assertThat(items()).isEmpty();
  }

  /**
   * Issue 12's lost spin-up: a repository name holding U+FFFF was recorded, and its spin-up, which
   * carries the name, was refused by SQS (not a character a queue carries) and lost.
   */
  @Test
  void handler_whenFullNameHoldsUffff_answers400AndWritesNothing() throws Exception {
    ObjectNode payload = fixture(Fixtures.QUEUED);
    ((ObjectNode) payload.get("repository")).put("full_name", "Codertocat/Hello\uFFFFWorld");

    APIGatewayV2HTTPResponse response = handler.handle(signed(payload), null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(body(response).get("reason").asText())
        .isEqualTo(
            "the name in repository.full_name holds U+FFFF, which GitHub does not allow in"
                + " repository names");
    assertThat(items()).isEmpty();
  }

  /** Issue 12: a key past DynamoDB's 2048 bytes (the delivery id makes the delivery's key). */
  @Test
  void handler_whenTheDeliveryIdWouldMakeAKeyOver2048Bytes_answers400AndWritesNothing()
      throws Exception {
    APIGatewayV2HTTPEvent event = signed(fixture(Fixtures.QUEUED));
    Map<String, String> headers = new java.util.HashMap<>(event.getHeaders());
    headers.put("x-github-delivery", "d".repeat(2_049));
    event.setHeaders(headers);

    APIGatewayV2HTTPResponse response = handler.handle(event, null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(body(response).get("reason").asText())
        .isEqualTo("X-GitHub-Delivery is missing or malformed");
    assertThat(items()).isEmpty();
  }

  private static ObjectNode fixture(String name) throws Exception {
    return (ObjectNode) MAPPER.readTree(Fixtures.bytes(name));
  }

  /** A modified copy of a fixture, signed as GitHub signs it. */
  private static APIGatewayV2HTTPEvent signed(ObjectNode payload) throws Exception {
    byte[] body = MAPPER.writeValueAsBytes(payload);
    return APIGatewayV2HTTPEvent.builder()
        .withHeaders(Webhooks.headers("workflow_job", body, SECRET))
        .withBody(new String(body, StandardCharsets.UTF_8))
        .build();
  }

  private List<Map<String, AttributeValue>> items() {
    return client.scan(ScanRequest.builder().tableName(table).build()).items();
  }

  private static APIGatewayV2HTTPEvent signed(String event, String fixture, String delivery) {
    byte[] body = Fixtures.bytes(fixture);
    Map<String, String> headers = new java.util.HashMap<>(Webhooks.headers(event, body, SECRET));
    headers.put("x-github-delivery", delivery);
    return APIGatewayV2HTTPEvent.builder()
        .withHeaders(headers)
        .withBody(new String(body, StandardCharsets.UTF_8))
        .build();
  }

  private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
    return MAPPER.readTree(response.getBody());
  }

  private Map<String, AttributeValue> job(JobKey key) {
    return client
        .getItem(
            GetItemRequest.builder()
                .tableName(table)
                .key(JobsTable.jobKey(key))
                .consistentRead(true)
                .build())
        .item();
  }

  @Test
  void handler_waitingFixtureOnAServedPlatform_recordsWaitingJob() throws Exception {
    String delivery = UUID.randomUUID().toString();

    APIGatewayV2HTTPResponse response =
        handler.handle(signed("workflow_job", Fixtures.WAITING, delivery), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(body(response).get("status").asText()).isEqualTo("WAITING");
    assertThat(body(response).get("platform").asText()).isEqualTo("k8s");
    Map<String, AttributeValue> item = job(new JobKey(12877621891L, 1));
    assertThat(item.get(JobsTable.STATUS).s()).isEqualTo("WAITING");
    assertThat(item).doesNotContainKey(JobsTable.QUEUE_PK);

    APIGatewayV2HTTPResponse again =
        handler.handle(signed("workflow_job", Fixtures.WAITING, delivery), null);
    assertThat(again.getStatusCode()).isEqualTo(200);
    assertThat(body(again).get("result").asText()).isEqualTo("duplicate");
  }

  @Test
  void handler_officialFixturesForGitHubHostedJob_convergeOnIgnored() throws Exception {
    for (String fixture :
        new String[] {Fixtures.COMPLETED, Fixtures.QUEUED, Fixtures.IN_PROGRESS}) {
      APIGatewayV2HTTPResponse response =
          handler.handle(signed("workflow_job", fixture, UUID.randomUUID().toString()), null);
      assertThat(response.getStatusCode()).as(fixture).isEqualTo(200);
      assertThat(body(response).get("status").asText()).as(fixture).isEqualTo("IGNORED");
    }
    assertThat(job(new JobKey(289782451L, 1)).get(JobsTable.STATUS).s()).isEqualTo("IGNORED");
  }

  @Test
  void handler_withSecretInSsm_recordsOnTheTableEndpoint() throws Exception {
    try (SsmStub ssm = new SsmStub().put("/runfleet/webhook-secret", SECRET)) {
      ProducerHandler fromSsm =
          new ProducerHandler(
              ProducerConfig.from(
                  Map.of(
                      ProducerConfig.ENV_TABLE,
                      table,
                      ProducerConfig.ENV_WEBHOOK_SECRET_PARAM,
                      "/runfleet/webhook-secret",
                      "RUNFLEET_AWS_ENDPOINT_SSM",
                      ssm.endpoint().toString(),
                      "RUNFLEET_AWS_ENDPOINT_DYNAMODB",
                      dynamo.endpoint().toString())));

      APIGatewayV2HTTPResponse response =
          fromSsm.handle(
              signed("workflow_job", Fixtures.IN_PROGRESS, UUID.randomUUID().toString()), null);

      assertThat(response.getStatusCode()).isEqualTo(200);
      assertThat(body(response).get("result").asText()).isEqualTo("recorded");
      assertThat(job(new JobKey(289782451L, 1))).containsKey(JobsTable.STATUS);
      // The secret at start, then the allow-list (absent: everyone) for the event.
      assertThat(ssm.requests)
          .extracting(r -> r.path("Name").asText())
          .containsExactly("/runfleet/webhook-secret", "/runfleet/dev/allow");
    }
  }

  @Test
  void handler_ping_answersPong() throws Exception {
    APIGatewayV2HTTPResponse response =
        handler.handle(signed("ping", Fixtures.PING, UUID.randomUUID().toString()), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(body(response).get("result").asText()).isEqualTo("pong");
  }
}
