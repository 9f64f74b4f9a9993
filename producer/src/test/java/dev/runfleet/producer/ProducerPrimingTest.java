package dev.runfleet.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.SsmStub;
import dev.runfleet.producer.intake.WorkflowJobParser;
import dev.runfleet.producer.testing.Webhooks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * SnapStart's hooks as Lambda calls them around a snapshot: the priming runs the webhook path
 * against the embedded DynamoDB without writing, and the handler answers afterwards.
 */
class ProducerPrimingTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static EmbeddedDynamoDb dynamo;

  private final AtomicInteger getItems = new AtomicInteger();
  private final AtomicInteger transactions = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private boolean tableDown;
  private SsmStub ssm;
  private String table;
  private ProducerHandler handler;

  @BeforeAll
  static void start() {
    dynamo = EmbeddedDynamoDb.start(0);
  }

  @AfterAll
  static void stop() {
    dynamo.close();
  }

  @BeforeEach
  void createTableAndHandler() {
    table = "jobs-" + UUID.randomUUID();
    EmbeddedDynamoDb.createJobsTable(dynamo.client(), table);
    ssm = new SsmStub();
    handler =
        new ProducerHandler(
            ProducerConfig.from(
                Map.of(
                    ProducerConfig.ENV_TABLE,
                    table,
                    ProducerConfig.ENV_WEBHOOK_SECRET,
                    Webhooks.SECRET,
                    ProducerConfig.ENV_PLATFORMS,
                    "[{\"name\":\"k8s\",\"labels\":[\"self-hosted\",\"k8s\"],"
                        + "\"hostKind\":\"ECS_FARGATE\",\"arch\":\"x64\"}]",
                    ProducerConfig.ENV_STAGE,
                    "priming",
                    ProducerConfig.ENV_MAX_EVENT_AGE_SECONDS,
                    Integer.toString(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS),
                    "RUNFLEET_AWS_ENDPOINT",
                    dynamo.endpoint().toString(),
                    "RUNFLEET_AWS_ENDPOINT_SSM",
                    ssm.endpoint().toString())),
            counting(dynamo.client()));
  }

  @AfterEach
  void stopSsm() {
    ssm.close();
  }

  /** The real client, its reads counted, or failing as an unreachable table would. */
  private DynamoDbClient counting(DynamoDbClient real) {
    return new DynamoDbClient() {
      @Override
      public GetItemResponse getItem(GetItemRequest request) {
        getItems.incrementAndGet();
        if (tableDown) {
          throw SdkClientException.create("connection refused");
        }
        return real.getItem(request);
      }

      @Override
      public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        transactions.incrementAndGet();
        try {
          return real.transactWriteItems(request);
        } catch (TransactionCanceledException e) {
          refused.incrementAndGet();
          throw e;
        }
      }

      @Override
      public String serviceName() {
        return real.serviceName();
      }

      @Override
      public void close() {}
    };
  }

  private int items() {
    return dynamo.client().scan(b -> b.tableName(table)).count();
  }

  @Test
  void beforeCheckpoint_runsTheWebhookPathReadingTheTable_andWritesNothing() throws Exception {
    WorkflowJobParser.Parsed primed = handler.priming().prime();

    assertThat(primed).isInstanceOf(WorkflowJobParser.Parsed.Event.class);
    assertThat(((WorkflowJobParser.Parsed.Event) primed).event().key().jobId())
        .as("GitHub's queued example, shipped in the jar")
        .isEqualTo(289782451L);
    assertThat(getItems).as("one read warms the table client").hasValue(1);
    assertThat(transactions).as("the job's first write, rehearsed").hasValue(1);
    assertThat(refused).as("and refused by DynamoDB").hasValue(1);
    assertThat(items()).as("priming writes nothing").isZero();
    assertThat(streamRecords()).as("nor does the stream see anything").isZero();
  }

  private int streamRecords() {
    DynamoDbStreamsClient streams = dynamo.streamsClient();
    String arn = dynamo.client().describeTable(b -> b.tableName(table)).table().latestStreamArn();
    int records = 0;
    for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
      String iterator =
          streams
              .getShardIterator(
                  b ->
                      b.streamArn(arn)
                          .shardId(shard.shardId())
                          .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      String at = iterator;
      records += streams.getRecords(b -> b.shardIterator(at)).records().size();
    }
    return records;
  }

  @Test
  void afterRestore_theHandlerRecordsAWebhookThroughItsLambdaEntry() throws Exception {
    handler.snapStartPriming().beforeCheckpoint(null);
    handler.snapStartPriming().afterRestore(null);

    byte[] body =
        Webhooks.workflowJob("queued", "queued", 41, "self-hosted", "k8s")
            .getBytes(StandardCharsets.UTF_8);
    Map<String, Object> event =
        Map.of(
            "headers",
            Webhooks.headers("workflow_job", body, Webhooks.SECRET),
            "body",
            new String(body, StandardCharsets.UTF_8),
            "isBase64Encoded",
            false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(MAPPER.writeValueAsBytes(event)), out, null);

    JsonNode answer = MAPPER.readTree(out.toByteArray());
    assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
    assertThat(MAPPER.readTree(answer.get("body").asText()).get("result").asText())
        .isEqualTo("recorded");
    assertThat(items()).isPositive();
  }

  @Test
  void beforeCheckpoint_whenTheTableIsUnreachable_letsTheSnapshotGoOn() {
    tableDown = true;

    assertThatCode(() -> handler.snapStartPriming().beforeCheckpoint(null))
        .doesNotThrowAnyException();
    assertThat(getItems).hasValue(1);
  }
}
