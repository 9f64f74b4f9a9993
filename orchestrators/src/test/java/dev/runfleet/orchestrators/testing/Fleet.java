package dev.runfleet.orchestrators.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.InMemoryJitHandOff;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.SsmStub;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.OrchestratorHandler;
import dev.runfleet.orchestrators.adapter.DynamoDbRunnerStore;
import dev.runfleet.orchestrators.di.DaggerOrchestratorComponent;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One test's world: a fresh jobs table on the embedded DynamoDB, the real runner store on it,
 * recording fakes for the launcher and GitHub, and builders for commands and SQS events shaped as
 * the publisher and SQS make them.
 */
public final class Fleet implements AutoCloseable {

  public static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  public static final GitHubScope SCOPE = new GitHubScope("octo", "octo/app", 7L);
  public static final List<String> FARGATE_LABELS =
      List.of("self-hosted", "linux", "x64", "fargate");
  public static final String FARGATE = "fargate";

  private final EmbeddedDynamoDb dynamo;
  private final DynamoDbClient client;
  private final String table;
  private final DynamoDbRunnerStore store;
  private final CommandCodec codec = new CommandCodec();
  private final RecordingLauncher launcher = new RecordingLauncher();
  private final RecordingGitHub gitHub = new RecordingGitHub();
  private final InMemoryJitHandOff handOff = new InMemoryJitHandOff();
  private final SsmStub ssm;
  private int messages;

  public Fleet(EmbeddedDynamoDb dynamo) {
    this.dynamo = dynamo;
    this.ssm = new SsmStub();
    this.client = dynamo.client();
    this.table = EmbeddedDynamoDbExtension.freshTableName("jobs-orch");
    EmbeddedDynamoDb.createJobsTable(client, table);
    this.store = new DynamoDbRunnerStore(client, table);
  }

  public DynamoDbClient client() {
    return client;
  }

  public String table() {
    return table;
  }

  public DynamoDbRunnerStore store() {
    return store;
  }

  public RecordingLauncher launcher() {
    return launcher;
  }

  public RecordingGitHub gitHub() {
    return gitHub;
  }

  public InMemoryJitHandOff handOff() {
    return handOff;
  }

  public CommandCodec codec() {
    return codec;
  }

  /**
   * The environment Terraform gives an orchestrator, pointed at the embedded DynamoDB and at an SSM
   * stub for the runtime parameters (no allow-list unless {@link #allow} sets one).
   */
  public Map<String, String> environment(String platform) {
    return Map.of(
        OrchestratorConfig.ENV_TABLE,
        table,
        OrchestratorConfig.ENV_PLATFORM,
        platform,
        OrchestratorConfig.ENV_PARAMETER_CACHE_SECONDS,
        "0",
        AwsSettings.ENV_ENDPOINT,
        dynamo.endpoint().toString(),
        AwsSettings.ENV_ENDPOINT + "_SSM",
        ssm.endpoint().toString());
  }

  /** Sets the stage's allow-list parameter to {@code patterns}. */
  public void allow(String patterns) {
    ssm.put(RuntimeParameters.allow("dev"), patterns);
  }

  public OrchestratorConfig config(String platform) {
    return OrchestratorConfig.from(environment(platform), platform);
  }

  /**
   * A component as a Lambda instance would build it, with this fleet's fakes as launcher and
   * GitHub.
   */
  public OrchestratorComponent component(String platform) {
    return component(platform, launcher, handOff);
  }

  /** A component with a real launcher and hand-over (over faked SDK clients) instead of fakes. */
  public OrchestratorComponent component(
      String platform, RunnerLauncher launcher, JitHandOff handOff) {
    return DaggerOrchestratorComponent.builder()
        .config(config(platform))
        .launcher(launcher)
        .gitHub(gitHub)
        .handOff(handOff)
        .build();
  }

  /** Puts a runner record as the publisher's reservation writes it: REQUESTED, holding its slot. */
  public Runner putRequested(String name, String platform) {
    Runner runner =
        new Runner(
            name,
            platform,
            new JobKey(4242, 1),
            SCOPE,
            RunnerStatus.REQUESTED,
            null,
            null,
            false,
            null,
            T0,
            T0);
    client.putItem(b -> b.tableName(table).item(JobsTable.runnerItem(runner)));
    return runner;
  }

  /** What the publisher records when GitHub reports our runner running its job. */
  public void markBusy(String name) {
    client.updateItem(
        b ->
            b.tableName(table)
                .key(JobsTable.runnerKey(name))
                .updateExpression("SET #s = :busy")
                .expressionAttributeNames(Map.of("#s", JobsTable.STATUS))
                .expressionAttributeValues(
                    Map.of(":busy", AttributeValue.fromS(RunnerStatus.BUSY.name()))));
  }

  public Runner runner(String name) {
    return store.find(name).orElseThrow(() -> new AssertionError("no runner record " + name));
  }

  /** Every item of the table, as DynamoDB holds it. */
  public List<Map<String, AttributeValue>> items() {
    return new ArrayList<>(client.scan(b -> b.tableName(table)).items());
  }

  public static RunnerCommand.SpinUp spinUp(String runnerName, String platform) {
    return new RunnerCommand.SpinUp(
        RunnerCommand.CURRENT_VERSION,
        "spin-up:" + runnerName,
        runnerName,
        platform,
        new JobKey(4242, 1),
        FARGATE_LABELS,
        SCOPE.repository(),
        SCOPE.organization(),
        SCOPE.installationId(),
        T0);
  }

  public static RunnerCommand.TearDown tearDown(String runnerName, String platform, String reason) {
    return new RunnerCommand.TearDown(
        RunnerCommand.CURRENT_VERSION, "tear-down:" + runnerName, runnerName, platform, reason, T0);
  }

  /** An SQS message carrying {@code command} as its body, with a fresh message id. */
  public SQSEvent.SQSMessage message(RunnerCommand command) {
    return message(codec.toJson(command));
  }

  public SQSEvent.SQSMessage message(String body) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId("msg-" + (++messages));
    message.setBody(body);
    message.setEventSource("aws:sqs");
    return message;
  }

  public static SQSEvent event(SQSEvent.SQSMessage... messages) {
    SQSEvent event = new SQSEvent();
    event.setRecords(Arrays.asList(messages));
    return event;
  }

  /**
   * Invokes {@code handler} as Lambda does: the event as the runtime's own serialiser writes it
   * (Lambda's field names), its bytes to the stream handler, the answer read back.
   */
  public static SQSBatchResponse invoke(OrchestratorHandler handler, SQSEvent event) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    try {
      for (JsonNode failure :
          new ObjectMapper().readTree(invokeJson(handler, json(event))).path("batchItemFailures")) {
        failures.add(
            new SQSBatchResponse.BatchItemFailure(failure.path("itemIdentifier").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SQSBatchResponse(failures);
  }

  /** {@code event} as Lambda's runtime writes it. */
  public static String json(SQSEvent event) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    LambdaEventSerializers.serializerFor(SQSEvent.class, Fleet.class.getClassLoader())
        .toJson(event, json);
    return json.toString(StandardCharsets.UTF_8);
  }

  /** The handler's answer to the event's bytes. */
  public static String invokeJson(OrchestratorHandler handler, String event) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), answer, null);
    return answer.toString(StandardCharsets.UTF_8);
  }

  /** The ids SQS would be told to retry. */
  public static List<String> failedIds(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  @Override
  public void close() {
    client.close();
    ssm.close();
  }
}
