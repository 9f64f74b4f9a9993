package dev.runfleet.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.producer.intake.WebhookRequest;
import dev.runfleet.producer.intake.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * API Gateway HTTP API's Lambda payload (format 2.0) read and written with the producer's own
 * Jackson mapper: Lambda hands the function the event's bytes, so the runtime's own event
 * deserialisation (its shaded Jackson and the event classes, about a tenth of a cold start) never
 * runs. Only the fields the intake reads are taken: headers, body, its base64 flag and {@code
 * requestContext.http.sourceIp}.
 */
final class HttpApiJson {

  private final ObjectMapper json;

  HttpApiJson(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The request in {@code event}; a request without headers or body (which the intake refuses) when
   * the event is not a JSON object.
   *
   * @throws IOException when the bytes are not JSON at all
   */
  WebhookRequest read(InputStream event) throws IOException {
    JsonNode root = json.readTree(event);
    if (root == null || !root.isObject()) {
      return new WebhookRequest(Map.of(), "", false);
    }
    Map<String, String> headers = new HashMap<>();
    root.path("headers")
        .fields()
        .forEachRemaining(
            header -> {
              if (header.getValue().isTextual()) {
                headers.put(header.getKey(), header.getValue().textValue());
              }
            });
    JsonNode sourceIp = root.path("requestContext").path("http").path("sourceIp");
    return new WebhookRequest(
        headers,
        root.path("body").isTextual() ? root.get("body").textValue() : "",
        root.path("isBase64Encoded").asBoolean(false),
        sourceIp.isTextual() ? sourceIp.textValue() : null);
  }

  /** Writes {@code response} as the JSON API Gateway maps to an HTTP response. */
  void write(WebhookResponse response, OutputStream out) throws IOException {
    ObjectNode answer = json.createObjectNode();
    answer.put("statusCode", response.statusCode());
    answer.putObject("headers").put("Content-Type", "application/json");
    answer.put("body", response.body());
    answer.put("isBase64Encoded", false);
    out.write(json.writeValueAsBytes(answer));
  }
}
