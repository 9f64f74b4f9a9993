package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.local.sim.SimJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every emulated AWS API answers on the runtime's one port, as {@code aws --endpoint-url} and any
 * SDK reach it: the jobs table and its stream, and the queues.
 */
class EdgePortInLocalRuntimeTest {

  private static LocalRuntime runtime;
  private static AwsClients clients;

  @BeforeAll
  static void start() {
    runtime = LocalRuntime.start(RuntimeOptions.defaults("test-secret").withPort(0));
    clients = new AwsClients(AwsSettings.emulator(runtime.baseUri()));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @Test
  void dynamoDb_onTheRuntimePort_servesTheJobsTableWithTheJobsItRecords() {
    runtime
        .gitHub()
        .queue(
            new SimJob(
                4242,
                1,
                1,
                List.of("self-hosted", "fargate", "x64"),
                "octo/repo",
                "octo",
                1,
                Duration.ofMillis(50),
                Instant.now()));

    try (DynamoDbClient dynamo = clients.configure(DynamoDbClient.builder()).build()) {
      assertThat(dynamo.listTables().tableNames()).containsExactly(LocalRuntime.TABLE);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          dynamo
                              .scan(b -> b.tableName(LocalRuntime.TABLE).consistentRead(true))
                              .items())
                      .extracting(item -> item.get(JobsTable.JOB_ID))
                      .contains(AttributeValue.fromN("4242")));
    }
  }

  @Test
  void streams_onTheRuntimePort_listTheJobsTablesStream() {
    try (DynamoDbStreamsClient streams =
        clients.configure(DynamoDbStreamsClient.builder()).build()) {
      assertThat(streams.listStreams(b -> b.tableName(LocalRuntime.TABLE)).streams())
          .singleElement()
          .satisfies(s -> assertThat(s.streamArn()).contains("table/" + LocalRuntime.TABLE));
    }
  }

  @Test
  void sqs_onTheRuntimePort_listsEveryPlatformsQueueAndItsDeadLetterQueue() {
    try (SqsClient sqs = clients.configure(SqsClient.builder()).build()) {
      assertThat(sqs.listQueues().queueUrls())
          .anySatisfy(url -> assertThat(url).endsWith("runfleet-fargate"))
          .anySatisfy(url -> assertThat(url).endsWith("runfleet-fargate-dlq"));
    }
  }
}
