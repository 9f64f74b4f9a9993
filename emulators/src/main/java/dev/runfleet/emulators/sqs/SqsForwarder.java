package dev.runfleet.emulators.sqs;

import dev.runfleet.emulators.edge.EdgeReply;
import dev.runfleet.emulators.edge.EdgeRequest;
import dev.runfleet.emulators.edge.EdgeService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Puts ElasticMQ behind the edge: SQS calls ({@code X-Amz-Target: AmazonSQS.*}, the JSON protocol
 * the SDK speaks) are forwarded to it unchanged and its answers returned unchanged, so the one edge
 * port serves SQS too. ElasticMQ keeps its own port for the SNS emulator's deliveries.
 */
public final class SqsForwarder implements EdgeService {

  /** Long polls wait up to 20 s at SQS; give the forwarded call room beyond that. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final Set<String> FORWARDED_HEADERS =
      Set.of("x-amz-target", "content-type", "x-amz-query-mode");

  private final URI elasticMq;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public SqsForwarder(URI elasticMq) {
    this.elasticMq = elasticMq;
  }

  @Override
  public boolean accepts(EdgeRequest request) {
    String target = request.target();
    return "POST".equals(request.method()) && target != null && target.startsWith("AmazonSQS.");
  }

  @Override
  public EdgeReply handle(EdgeRequest request) {
    HttpRequest.Builder forward =
        HttpRequest.newBuilder(elasticMq.resolve(request.path()))
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request
        .headers()
        .forEach(
            (name, value) -> {
              if (FORWARDED_HEADERS.contains(name)) {
                forward.header(name, value);
              }
            });
    try {
      HttpResponse<byte[]> response =
          http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new EdgeReply(
          response.statusCode(),
          response.headers().firstValue("content-type").orElse("application/x-amz-json-1.0"),
          Map.of(),
          response.body());
    } catch (IOException e) {
      return unavailable("ElasticMQ did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("interrupted while forwarding to ElasticMQ");
    }
  }

  private static EdgeReply unavailable(String message) {
    // A 503 the SDK retries, with the error shape of SQS's JSON protocol.
    return EdgeReply.of(
        503,
        "application/x-amz-json-1.0",
        "{\"__type\":\"com.amazonaws.sqs#ServiceUnavailable\",\"message\":\""
            + message.replace("\\", "\\\\").replace("\"", "'")
            + "\"}");
  }
}
