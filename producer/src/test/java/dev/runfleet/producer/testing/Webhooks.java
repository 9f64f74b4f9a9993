package dev.runfleet.producer.testing;

import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.intake.SignatureVerifier;
import dev.runfleet.producer.intake.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds webhook requests the way GitHub sends them through API Gateway's HTTP API (lower-case
 * headers).
 */
public final class Webhooks {

  public static final String SECRET = "test-secret: do not use";

  /**
   * The age bound for tests that replay GitHub's example payloads (created 2019 to 2023) and the
   * payloads below as fresh deliveries: the largest the producer accepts. Stale-event tests set
   * their own bound and clock.
   */
  public static final Duration ANY_AGE =
      Duration.ofSeconds(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS);

  /** Two hours after the {@code created_at} of {@link #workflowJob}. */
  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);

  private Webhooks() {}

  public static Map<String, String> headers(String event, byte[] body, String secret) {
    Map<String, String> headers = new HashMap<>();
    headers.put("x-github-event", event);
    headers.put("x-github-delivery", UUID.randomUUID().toString());
    headers.put("x-hub-signature-256", SignatureVerifier.signatureHeader(secret, body));
    headers.put("content-type", "application/json");
    headers.put("user-agent", "GitHub-Hookshot/test");
    return headers;
  }

  public static WebhookRequest signed(String event, byte[] body) {
    return new WebhookRequest(
        headers(event, body, SECRET), new String(body, StandardCharsets.UTF_8), false);
  }

  public static WebhookRequest signed(String event, String body) {
    return signed(event, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The same request with one header replaced (or removed when {@code value} is null). */
  public static WebhookRequest with(WebhookRequest request, String header, String value) {
    Map<String, String> headers = new HashMap<>(request.headers());
    if (value == null) {
      headers.remove(header.toLowerCase(java.util.Locale.ROOT));
    } else {
      headers.put(header.toLowerCase(java.util.Locale.ROOT), value);
    }
    return new WebhookRequest(headers, request.body(), request.base64Encoded());
  }

  /** A minimal valid {@code workflow_job} payload. */
  public static String workflowJob(String action, String status, long jobId, String... labels) {
    StringBuilder json = new StringBuilder();
    for (String label : labels) {
      json.append(json.length() == 0 ? "" : ",").append('"').append(label).append('"');
    }
    return """
        {"action":"%s","workflow_job":{"id":%d,"run_id":77,"run_attempt":1,"status":"%s",\
        "labels":[%s],"created_at":"2024-05-01T10:00:00Z","runner_id":null,"runner_name":null,\
        "conclusion":null},"repository":{"full_name":"acme/widgets"},\
        "organization":{"login":"acme"},"installation":{"id":42}}"""
        .formatted(action, jobId, status, json);
  }
}
