package dev.runfleet.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts webhooks to {@code /webhook} the way GitHub's hookshot does, with every header under the
 * test's control, so a test can send exactly what GitHub sends or exactly what it must not. Signs
 * with its own HMAC, checked against GitHub's published test vector, not with the simulator's.
 */
public final class GitHubWebhooks {

  public static final String JSON = "application/json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI target;
  private final String secret;

  /** The answer to one delivery: status and the JSON body, if it had one. */
  public record Reply(int status, JsonNode body) {

    /** The producer's {@code result} field: {@code recorded}, {@code duplicate}, ... */
    public String result() {
      return body.path("result").asText("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public GitHubWebhooks(URI baseUri, String secret) {
    this.target = baseUri.resolve("/webhook");
    this.secret = secret;
  }

  /** A signed JSON delivery with a fresh delivery id. */
  public Reply deliver(String event, byte[] body) {
    return deliver(event, newDeliveryId(), body);
  }

  /** A signed JSON delivery with {@code deliveryId}: a redelivery when the id was used before. */
  public Reply deliver(String event, String deliveryId, byte[] body) {
    return post(event, deliveryId, JSON, body, sign(body));
  }

  public Reply deliver(String event, String body) {
    return deliver(event, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Exactly these bytes and headers; {@code signature} null sends no signature header. */
  public Reply post(
      String event, String deliveryId, String contentType, byte[] body, String signature) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(10))
            .header("User-Agent", "GitHub-Hookshot/it")
            .header("X-GitHub-Hook-ID", "424242")
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", deliveryId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), parse(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + target + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while posting to " + target, e);
    }
  }

  public String sign(byte[] body) {
    return sign(secret, body);
  }

  /** {@code sha256=<hex HMAC-SHA256(secret, body)>}, as GitHub computes it. */
  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  public static String newDeliveryId() {
    return UUID.randomUUID().toString();
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      return MAPPER.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
    }
  }
}
