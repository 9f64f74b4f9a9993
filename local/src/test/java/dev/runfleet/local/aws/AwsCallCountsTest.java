package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.EmbeddedSqs;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Real SDK clients, as every stage builds them, counted through the SDK's global interceptors. */
class AwsCallCountsTest {

  private static EmbeddedDynamoDb dynamoDb;
  private static EmbeddedSqs sqsServer;
  private static DynamoDbClient dynamo;
  private static SqsClient sqs;

  @BeforeAll
  static void start() {
    dynamoDb = EmbeddedDynamoDb.start(0);
    sqsServer = EmbeddedSqs.start(0);
    dynamo = new AwsClients(dynamoDb.settings()).configure(DynamoDbClient.builder()).build();
    sqs = new AwsClients(sqsServer.settings()).configure(SqsClient.builder()).build();
  }

  @AfterAll
  static void stop() {
    dynamo.close();
    sqs.close();
    sqsServer.close();
    dynamoDb.close();
  }

  @Test
  void count_givesEachCallToTheFunctionInvoking_orToEventSources_orToTheRuntime() {
    Map<String, Map<String, Long>> totals =
        counted(
            () -> {
              AwsCallCounts.during(
                  "runfleet-publisher",
                  () -> {
                    dynamo.listTables();
                    dynamo.listTables();
                    // SNS delivering to a queue inside the publisher's call is still SNS's
                    sqs.listQueues();
                  });
              AwsCallCounts.during("runfleet-orchestrator-fargate", () -> dynamo.listTables());
              AwsCallCounts.during("runfleet-orchestrator-ec2-linux", () -> dynamo.listTables());
              dynamo.listTables();
            });
    // after the count: not counted
    dynamo.listTables();

    assertThat(totals)
        .isEqualTo(
            Map.of(
                "publisher",
                Map.of("DynamoDb.ListTables", 2L),
                "orchestrators",
                Map.of("DynamoDb.ListTables", 2L),
                AwsCallCounts.EVENT_SOURCES,
                Map.of("Sqs.ListQueues", 1L),
                AwsCallCounts.RUNTIME,
                Map.of("DynamoDb.ListTables", 1L)));
  }

  @Test
  void during_nested_restoresTheOuterStage() {
    Map<String, Map<String, Long>> totals =
        counted(
            () ->
                AwsCallCounts.during(
                    AwsCallCounts.EVENT_SOURCES,
                    () -> {
                      AwsCallCounts.during("runfleet-publisher", () -> dynamo.listTables());
                      dynamo.listTables();
                    }));

    assertThat(totals)
        .isEqualTo(
            Map.of(
                "publisher",
                Map.of("DynamoDb.ListTables", 1L),
                AwsCallCounts.EVENT_SOURCES,
                Map.of("DynamoDb.ListTables", 1L)));
  }

  /** The calls {@code calls} makes, with ElasticMQ's port as the event sources'. */
  private static Map<String, Map<String, Long>> counted(Runnable calls) {
    AwsCallCounts counts = AwsCallCounts.start();
    try (AutoCloseable elasticMq = AwsCallCounts.eventSource(sqsServer.endpoint())) {
      calls.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      counts.stop();
    }
    return counts.totals();
  }

  @Test
  void start_whileACountRuns_isRefused() {
    AwsCallCounts counts = AwsCallCounts.start();
    try {
      assertThatThrownBy(AwsCallCounts::start).isInstanceOf(IllegalStateException.class);
    } finally {
      counts.stop();
    }
  }
}
