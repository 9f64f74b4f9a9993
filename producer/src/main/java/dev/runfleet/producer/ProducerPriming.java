package dev.runfleet.producer;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.port.JobEventStore.Appended;
import dev.runfleet.producer.adapter.DynamoDbJobEventStore;
import dev.runfleet.producer.intake.MalformedPayloadException;
import dev.runfleet.producer.intake.SignatureVerifier;
import dev.runfleet.producer.intake.WebhookRequest;
import dev.runfleet.producer.intake.WebhookResponse;
import dev.runfleet.producer.intake.WorkflowJobParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The producer's SnapStart priming ({@link SnapStartPriming}): the webhook's hot path once, so that
 * the classes it loads and the code it runs are in the snapshot. It reads an API Gateway event
 * holding GitHub's queued example (shipped in the jar), verifies its signature (made with a priming
 * secret, never the webhook's), parses it, reads that job's item from the table (the read of a lost
 * race), and sends the job's first write with a condition DynamoDB refuses ({@link
 * DynamoDbJobEventStore#rehearse}: nothing is written, the stream sees nothing), then writes an
 * answer to nowhere.
 */
final class ProducerPriming {

  private static final String PAYLOAD = "/priming-workflow-job.json";
  private static final String SECRET = "runfleet-snapstart-priming";

  private final HttpApiJson httpApi = new HttpApiJson();
  private final DynamoDbClient dynamoDb;
  private final DynamoDbJobEventStore store;
  private final String table;

  ProducerPriming(DynamoDbClient dynamoDb, DynamoDbJobEventStore store, String table) {
    this.dynamoDb = dynamoDb;
    this.store = store;
    this.table = table;
  }

  /** The priming to register with SnapStart's hooks. */
  SnapStartPriming resource() {
    return new SnapStartPriming("the webhook path", this::prime);
  }

  /** The hot path once, never writing; what it read is returned for tests. */
  WorkflowJobParser.Parsed prime() throws IOException, MalformedPayloadException {
    byte[] payload = SnapStartPriming.shipped(ProducerPriming.class, PAYLOAD);
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
      if (!(store.rehearse(recorded.event()) instanceof Appended.Duplicate)) {
        throw new IllegalStateException("the rehearsed write was not refused as a duplicate");
      }
    }
    httpApi.write(
        new WebhookResponse(200, "{\"result\":\"primed\"}"), OutputStream.nullOutputStream());
    return parsed;
  }
}
