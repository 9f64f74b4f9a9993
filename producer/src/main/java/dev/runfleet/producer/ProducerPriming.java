package dev.runfleet.producer;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.json.Json;
import dev.runfleet.producer.intake.MalformedPayloadException;
import dev.runfleet.producer.intake.SignatureVerifier;
import dev.runfleet.producer.intake.WebhookRequest;
import dev.runfleet.producer.intake.WebhookResponse;
import dev.runfleet.producer.intake.WorkflowJobParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SnapStart priming: before Lambda snapshots the initialised function, runs the webhook's hot path
 * once so that the classes it loads and the code it runs are in the snapshot. It reads an API
 * Gateway event holding GitHub's queued example (shipped in the jar), verifies its signature (made
 * with a priming secret, never the webhook's), parses it, and reads that job's item from the table
 * (a read: nothing is written), then writes an answer to nowhere. A failure is logged and the
 * snapshot goes on: priming only saves time.
 */
final class ProducerPriming implements Resource {

  private static final Logger LOG = LoggerFactory.getLogger(ProducerPriming.class);
  private static final String PAYLOAD = "/priming-workflow-job.json";
  private static final String SECRET = "runfleet-snapstart-priming";

  private final HttpApiJson httpApi = new HttpApiJson();
  private final DynamoDbClient dynamoDb;
  private final String table;

  ProducerPriming(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    try {
      prime();
      LOG.info("primed the webhook path for the snapshot");
    } catch (RuntimeException | IOException | MalformedPayloadException e) {
      LOG.warn("priming failed, the snapshot is taken unprimed: {}", e.toString());
    }
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to renew: the SDK replaces connections that died with the snapshot on first use.
  }

  /** The hot path once, reading but never writing; what it read is returned for tests. */
  WorkflowJobParser.Parsed prime() throws IOException, MalformedPayloadException {
    byte[] payload;
    try (InputStream in = ProducerPriming.class.getResourceAsStream(PAYLOAD)) {
      if (in == null) {
        throw new IllegalStateException(PAYLOAD + " is missing from the jar");
      }
      payload = in.readAllBytes();
    }
    String body = new String(payload, StandardCharsets.UTF_8);
    String delivery = UUID.randomUUID().toString();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put(
        "headers",
        Map.of(
            "x-github-event",
            "workflow_job",
            "x-github-delivery",
            delivery,
            "x-hub-signature-256",
            SignatureVerifier.signatureHeader(SECRET, payload)));
    event.put("requestContext", Map.of("http", Map.of("sourceIp", "192.0.2.1")));
    event.put("body", body);
    event.put("isBase64Encoded", false);
    WebhookRequest request = httpApi.read(new ByteArrayInputStream(Json.bytes(event)));
    byte[] bytes = request.body().getBytes(StandardCharsets.UTF_8);
    if (!new SignatureVerifier(SECRET, null)
        .verify(bytes, request.header(SignatureVerifier.HEADER))) {
      throw new IllegalStateException("the priming webhook's signature did not verify");
    }
    WorkflowJobParser.Parsed parsed = new WorkflowJobParser().parse(bytes, delivery);
    if (parsed instanceof WorkflowJobParser.Parsed.Event recorded) {
      dynamoDb.getItem(b -> b.tableName(table).key(JobsTable.jobKey(recorded.event().key())));
    }
    httpApi.write(
        new WebhookResponse(200, "{\"result\":\"primed\"}"), OutputStream.nullOutputStream());
    return parsed;
  }
}
