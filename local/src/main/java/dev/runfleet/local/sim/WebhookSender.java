package dev.runfleet.local.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends webhooks the way GitHub does: POST, JSON, signed with {@code X-Hub-Signature-256}, a
 * delivery GUID.
 */
public final class WebhookSender {

  private final HttpClient http;
  private final URI target;
  private final byte[] secret;

  public WebhookSender(URI target, String secret) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.target = target;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** What the receiver answered to one delivery. */
  public record Answer(String deliveryId, int status, String body) {}

  /** Sends one delivery and returns the HTTP status. */
  public int send(String event, String body) throws IOException, InterruptedException {
    return send(
        event, UUID.randomUUID().toString(), body.getBytes(StandardCharsets.UTF_8), sign(body));
  }

  /** Sends exactly these bytes and headers; tests use it for redeliveries and forgeries. */
  public int send(String event, String deliveryId, byte[] body, String signature)
      throws IOException, InterruptedException {
    return http.send(
            request(event, deliveryId, body, signature), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Sends one signed delivery with a fresh id and returns the whole answer, body included. */
  public Answer deliver(String event, String body) throws IOException, InterruptedException {
    String deliveryId = UUID.randomUUID().toString();
    HttpResponse<String> response =
        http.send(
            request(event, deliveryId, body.getBytes(StandardCharsets.UTF_8), sign(body)),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(deliveryId, response.statusCode(), response.body());
  }

  private HttpRequest request(String event, String deliveryId, byte[] body, String signature) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "GitHub-Hookshot/runfleet-sim")
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", deliveryId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    return request.build();
  }

  public String sign(String body) {
    return sign(body.getBytes(StandardCharsets.UTF_8));
  }

  public String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
