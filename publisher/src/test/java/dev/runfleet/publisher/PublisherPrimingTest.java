package dev.runfleet.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.lambda.StreamRecord;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.EmbeddedSqs;
import dev.runfleet.emulators.dynamodb.DynamoDbApi;
import dev.runfleet.emulators.dynamodb.DynamoDbEngine;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeReply;
import dev.runfleet.emulators.edge.EdgeRequest;
import dev.runfleet.emulators.edge.EdgeServer;
import dev.runfleet.emulators.edge.EdgeService;
import dev.runfleet.emulators.sns.SnsEmulator;
import dev.runfleet.emulators.ssm.SsmEmulator;
import dev.runfleet.publisher.adapter.StreamDecoder;
import dev.runfleet.publisher.di.DaggerPublisherComponent;
import dev.runfleet.publisher.flow.Change;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SnapStart's priming as Lambda runs it before the snapshot, against the emulators: the publisher's
 * stream and dispatch path is read through every client it uses, and nothing is written, published
 * or sent. Every call the emulators answer is recorded by operation.
 */
class PublisherPrimingTest {

  private static final String STAGE = "priming";
  private static final String TABLE = "runfleet-jobs";
  private static final String PLATFORM = "fargate";

  private static EmbeddedSqs elasticMq;
  private static SqsClient sqs;
  private static SnsEmulator sns;
  private static EdgeServer edge;
  private static DynamoDbClient dynamo;
  private static final Queue<String> CALLS = new ConcurrentLinkedQueue<>();
  private static String topicArn;
  private static String commandQueue;
  private static String wakeUpQueue;

  @BeforeAll
  static void startEmulators() {
    elasticMq = EmbeddedSqs.start(0);
    sqs = new AwsClients(elasticMq.settings()).configure(SqsClient.builder()).build();
    sns = new SnsEmulator(sqs, "us-east-1");
    topicArn = sns.createTopic("runfleet-commands");
    commandQueue = sqs.createQueue(b -> b.queueName("runfleet-" + PLATFORM)).queueUrl();
    sns.subscribe(topicArn, "{\"platform\":[\"" + PLATFORM + "\"]}", commandQueue);
    wakeUpQueue = sqs.createQueue(b -> b.queueName("runfleet-wake-up")).queueUrl();
    SsmEmulator ssm = new SsmEmulator("us-east-1", Clock.systemUTC());
    ssm.put(RuntimeParameters.cap(STAGE, PLATFORM), "10");
    ssm.put(RuntimeParameters.cap(STAGE, RuntimeParameters.GLOBAL), "10");
    DynamoDbApi dynamoDbApi = new DynamoDbApi(new DynamoDbEngine(Clock.systemUTC(), "us-east-1"));
    edge = EdgeServer.start(0, AwsEdge.of(recorded(dynamoDbApi), recorded(ssm), recorded(sns)));
    dynamo =
        new AwsClients(AwsSettings.emulator(edge.endpoint()))
            .configure(DynamoDbClient.builder())
            .build();
    EmbeddedDynamoDb.createJobsTable(dynamo, TABLE);
  }

  @AfterAll
  static void stopEmulators() {
    dynamo.close();
    edge.close();
    sqs.close();
    elasticMq.close();
  }

  @BeforeEach
  void forgetCalls() {
    CALLS.clear();
  }

  /** The service's calls recorded as "DynamoDB_20120810.GetItem", "SNS.Publish" and so on. */
  private static EdgeService recorded(EdgeService service) {
    return new EdgeService() {
      @Override
      public boolean accepts(EdgeRequest request) {
        return service.accepts(request);
      }

      @Override
      public EdgeReply handle(EdgeRequest request) {
        CALLS.add(request.isQueryProtocol() ? "SNS." + action(request) : request.target());
        return service.handle(request);
      }
    };
  }

  private static String action(EdgeRequest request) {
    for (String pair : new String(request.body(), StandardCharsets.UTF_8).split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
      }
    }
    return "?";
  }

  private static PublisherPriming priming(String topic) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-1");
    env.put(AwsSettings.ENV_ENDPOINT, edge.endpoint().toString());
    env.put(AwsSettings.ENV_ENDPOINT + "_SQS", elasticMq.endpoint().toString());
    env.put(PublisherConfig.ENV_TABLE, TABLE);
    env.put(PublisherConfig.ENV_TOPIC_ARN, topic);
    env.put(PublisherConfig.ENV_STAGE, STAGE);
    env.put(
        PublisherConfig.ENV_PLATFORMS,
        "[{\"name\":\""
            + PLATFORM
            + "\",\"labels\":[\"self-hosted\",\"linux\"],"
            + "\"hostKind\":\"ECS_FARGATE\",\"arch\":\"x64\"}]");
    env.put(PublisherConfig.ENV_WAKE_UP_QUEUE_URL, wakeUpQueue);
    return DaggerPublisherComponent.builder().config(PublisherConfig.from(env)).build().priming();
  }

  @Test
  void
      prime_readsThroughEveryClientOfThePath_rehearsesAReservation_andWritesPublishesAndSendsNothing()
          throws Exception {
    List<StreamRecord> records = priming(topicArn).prime();

    assertThat(records).hasSize(3);
    assertThat(CALLS)
        .contains(
            "DynamoDB_20120810.GetItem",
            "DynamoDB_20120810.Query",
            "DynamoDB_20120810.TransactWriteItems",
            "AmazonSSM.GetParametersByPath",
            "SNS.GetTopicAttributes")
        .allSatisfy(
            call ->
                assertThat(call)
                    .matches(
                        "DynamoDB_20120810\\.(GetItem|Query|TransactWriteItems)"
                            + "|AmazonSSM\\.Get\\w+|SNS\\.GetTopicAttributes"));
    assertThat(CALLS.stream().filter(c -> c.endsWith(".TransactWriteItems")))
        .as("one reservation, refused: the table stays empty")
        .hasSize(1);
    assertThat(dynamo.scan(b -> b.tableName(TABLE)).count()).isZero();
    assertThat(EmbeddedSqs.messages(sqs, commandQueue)).isZero();
    assertThat(EmbeddedSqs.messages(sqs, wakeUpQueue)).isZero();
  }

  @Test
  void prime_whenTheEventsJobIsQueuedInTheTable_theRehearsedReservationLeavesItAsItWas()
      throws Exception {
    Job queued =
        priming(topicArn).prime().stream()
            .map(new StreamDecoder()::decode)
            .filter(Change.JobChanged.class::isInstance)
            .map(c -> ((Change.JobChanged) c).after())
            .filter(j -> j != null && j.status() == JobStatus.QUEUED)
            .findFirst()
            .orElseThrow();
    Map<String, AttributeValue> stored = JobsTable.jobItem(queued.withVersion(1));
    dynamo.putItem(b -> b.tableName(TABLE).item(stored));
    CALLS.clear();

    priming(topicArn).prime();

    assertThat(CALLS).contains("DynamoDB_20120810.TransactWriteItems");
    List<Map<String, AttributeValue>> items = dynamo.scan(b -> b.tableName(TABLE)).items();
    assertThat(items).as("no runner, slot or budget item written").hasSize(1);
    assertThat(items.get(0)).as("the job as it was, still queued").isEqualTo(stored);
    dynamo.deleteItem(b -> b.tableName(TABLE).key(JobsTable.jobKey(queued.key())));
  }

  @Test
  void beforeCheckpoint_whenTheTopicIsGone_letsTheSnapshotGoOn() {
    PublisherPriming priming = priming(topicArn + "-gone");

    assertThatCode(() -> priming.resource().beforeCheckpoint(null)).doesNotThrowAnyException();
    assertThat(CALLS).contains("SNS.GetTopicAttributes");
    assertThatThrownBy(priming::prime).hasMessageContaining("Topic does not exist");
  }
}
