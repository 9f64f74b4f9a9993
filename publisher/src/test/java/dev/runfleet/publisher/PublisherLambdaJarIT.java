package dev.runfleet.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.lambdajar.LambdaJar;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.SsmStub;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The publisher's shaded jar as deployed: within its budget, without the SSM SDK, and its sweep
 * handler, run in a fresh JVM the way the Lambda runtime runs it (a scheduled event), reads the
 * runtime parameters and the table through the emulators.
 */
class PublisherLambdaJarIT {

  /**
   * Issue 13: the publisher's jar stays at or under 12 MB (11.85 MB as built on 2026-12-05, the SQS
   * client of the launch-budget wake-up included: a SendMessage without the client, as
   * SsmParameters does for SSM, would buy room).
   */
  static final long BUDGET_BYTES = 12_000_000;

  private static EmbeddedDynamoDb dynamo;
  private static SsmStub ssm;

  @BeforeAll
  static void start() {
    dynamo = EmbeddedDynamoDb.start(0);
    ssm = new SsmStub().put("/runfleet/jar/caps/global", "3");
  }

  @AfterAll
  static void stop() {
    ssm.close();
    dynamo.close();
  }

  @Test
  void jar_isWithinItsBudget_andCarriesNoSsmClient() throws Exception {
    LambdaJar.built("runfleet-publisher-lambda")
        .assertWithin(
            BUDGET_BYTES,
            List.of("software/amazon/awssdk/services/sns/"),
            List.of(
                "software/amazon/awssdk/services/ssm/",
                "software/amazon/lambda/powertools/parameters/"));
  }

  @Test
  void sweepHandler_inAFreshJvm_readsParametersAndTheTable() throws Exception {
    String event =
        "{\"version\":\"0\",\"id\":\""
            + UUID.randomUUID()
            + "\",\"detail-type\":\"Scheduled Event\","
            + "\"source\":\"aws.events\",\"account\":\"000000000000\","
            + "\"time\":\"2026-12-05T16:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
            + "\"detail\":{}}";

    LambdaJar.Run run = runInFreshJvm(PublisherSweepHandler.class.getName(), event);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.answer()).as(run.output()).isEqualTo("0");
    assertThat(run.output()).doesNotContain("NoClassDefFoundError");
    assertThat(ssm.requests)
        .anySatisfy(r -> assertThat(r.path("Path").asText()).isEqualTo("/runfleet/jar/"));
  }

  /** The launch-budget wake-up: a delayed SQS message, one dispatch pass over every platform. */
  @Test
  void wakeUpHandler_inAFreshJvm_runsAPassAndAnswersTheBatch() throws Exception {
    String event =
        "{\"Records\":[{\"messageId\":\""
            + UUID.randomUUID()
            + "\",\"receiptHandle\":\"r\",\"body\":\"{}\",\"attributes\":{},"
            + "\"messageAttributes\":{},\"md5OfBody\":\"99914b932bd37a50b983c5e7c90ae93b\","
            + "\"eventSource\":\"aws:sqs\","
            + "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:wake-up\","
            + "\"awsRegion\":\"us-east-1\"}]}";

    LambdaJar.Run run = runInFreshJvm(PublisherWakeUpHandler.class.getName(), event);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).doesNotContain("NoClassDefFoundError");
    assertThat(run.answer())
        .as(run.output())
        .contains("batchItemFailures")
        .doesNotContain("itemIdentifier");
  }

  /** The handler class by name in a fresh JVM from the shaded jar, on a new table. */
  private static LambdaJar.Run runInFreshJvm(String handler, String event) throws Exception {
    String table = "jobs-" + UUID.randomUUID();
    try (DynamoDbClient client = dynamo.client()) {
      dev.runfleet.emulators.EmbeddedDynamoDb.createJobsTable(client, table);
    }
    return LambdaJar.built("runfleet-publisher-lambda")
        .run(
            handler,
            event,
            Map.of(
                PublisherConfig.ENV_TABLE,
                table,
                PublisherConfig.ENV_TOPIC_ARN,
                "arn:aws:sns:us-east-1:000000000000:runner-commands",
                PublisherConfig.ENV_STAGE,
                "jar",
                "RUNFLEET_AWS_ENDPOINT",
                dynamo.endpoint().toString(),
                "RUNFLEET_AWS_ENDPOINT_SSM",
                ssm.endpoint().toString()));
  }
}
