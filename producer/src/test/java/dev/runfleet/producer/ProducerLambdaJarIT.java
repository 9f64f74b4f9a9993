package dev.runfleet.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.aws.lambdajar.LambdaJar;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.SsmStub;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The producer's shaded jar as deployed: within its size budget, without the SDK clients it does
 * not call, and its handler, run in a fresh JVM the way the Lambda runtime runs it, records a
 * signed webhook through the emulators (so minimising the jar dropped no class the handler loads).
 */
class ProducerLambdaJarIT {

  /** Issue 13: the producer's jar stays at or under 10 MB (9.47 MB as built on 2026-12-05). */
  static final long BUDGET_BYTES = 10_000_000;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SECRET = "jar secret";

  private static EmbeddedDynamoDb dynamo;
  private static SsmStub ssm;

  @BeforeAll
  static void start() {
    dynamo = EmbeddedDynamoDb.start(0);
    ssm = new SsmStub().put("/runfleet/jar/webhook-secret", SECRET);
  }

  @AfterAll
  static void stop() {
    ssm.close();
    dynamo.close();
  }

  @Test
  void jar_isWithinItsBudget_andCarriesNoSsmOrSnsClient() throws Exception {
    LambdaJar.built("runfleet-producer-lambda")
        .assertWithin(
            BUDGET_BYTES,
            List.of("software/amazon/awssdk/services/dynamodb/"),
            List.of(
                "software/amazon/awssdk/services/ssm/", "software/amazon/awssdk/services/sns/"));
  }

  @Test
  void handler_inAFreshJvm_recordsASignedWebhook_readingItsSecretFromSsm() throws Exception {
    String table = "jobs-" + UUID.randomUUID();
    try (DynamoDbClient client = dynamo.client()) {
      EmbeddedDynamoDb.createJobsTable(client, table);
    }
    byte[] body = Fixtures.bytes(Fixtures.QUEUED);
    ObjectNode event = MAPPER.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "POST /webhook");
    event.put("rawPath", "/webhook");
    event.set("headers", MAPPER.valueToTree(Webhooks.headers("workflow_job", body, SECRET)));
    event.put("body", new String(body, StandardCharsets.UTF_8));
    event.put("isBase64Encoded", false);

    LambdaJar.Run run =
        LambdaJar.built("runfleet-producer-lambda")
            .run(
                ProducerHandler.class.getName(),
                event.toString(),
                Map.of(
                    ProducerConfig.ENV_TABLE,
                    table,
                    ProducerConfig.ENV_WEBHOOK_SECRET_PARAM,
                    "/runfleet/jar/webhook-secret",
                    ProducerConfig.ENV_STAGE,
                    "jar",
                    ProducerConfig.ENV_MAX_EVENT_AGE_SECONDS,
                    Integer.toString(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS),
                    "RUNFLEET_AWS_ENDPOINT",
                    dynamo.endpoint().toString(),
                    "RUNFLEET_AWS_ENDPOINT_SSM",
                    ssm.endpoint().toString()));

    assertThat(run.exitCode()).as(run.output()).isZero();
    JsonNode answer = MAPPER.readTree(run.answer());
    assertThat(answer.path("statusCode").asInt()).as(run.answer()).isBetween(200, 299);
    assertThat(run.output()).doesNotContain(SECRET).doesNotContain("NoClassDefFoundError");
    assertThat(run.logLines())
        .as("the jar's own JSON log lines: " + run.output())
        .anySatisfy(line -> assertThat(line.path("logger").asText()).startsWith("dev.runfleet."))
        .allSatisfy(line -> assertThat(line.path("level").asText()).isNotEmpty());
    assertThat(ssm.requests)
        .anySatisfy(r -> assertThat(r.path("WithDecryption").asBoolean()).isTrue());
    try (DynamoDbClient client = dynamo.client()) {
      assertThat(client.scan(b -> b.tableName(table)).items()).isNotEmpty();
    }
  }
}
