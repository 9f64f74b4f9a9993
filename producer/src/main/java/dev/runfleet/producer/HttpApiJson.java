package dev.runfleet.producer;

import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import dev.runfleet.producer.intake.WebhookRequest;
import dev.runfleet.producer.intake.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API Gateway HTTP API's Lambda payload (format 2.0) read and written with jackson-core's streaming
 * parser ({@link Json}): Lambda hands the function the event's bytes, so neither the runtime's own
 * event deserialisation (its shaded Jackson and the event classes) nor Jackson databind runs. Only
 * the fields the intake reads are taken: headers, body, its base64 flag and {@code
 * requestContext.http.sourceIp}.
 */
final class HttpApiJson {

  /**
   * The request in {@code event}; a request without headers or body (which the intake refuses) when
   * the event is not a JSON object.
   *
   * @throws IOException when the bytes are not JSON at all
   */
  WebhookRequest read(InputStream event) throws IOException {
    JsonObject root = JsonObject.of(Json.read(event));
    if (root == null) {
      return new WebhookRequest(Map.of(), "", false);
    }
    Map<String, String> headers = new HashMap<>();
    root.object("headers")
        .fields()
        .forEach(
            (name, value) -> {
              if (value instanceof String text) {
                headers.put(name, text);
              }
            });
    String body = root.text("body");
    return new WebhookRequest(
        headers,
        body != null ? body : "",
        Json.asBoolean(root.get("isBase64Encoded"), false),
        root.object("requestContext").object("http").text("sourceIp"));
  }

  /** Writes {@code response} as the JSON API Gateway maps to an HTTP response. */
  void write(WebhookResponse response, OutputStream out) throws IOException {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("statusCode", response.statusCode());
    answer.put("headers", Map.of("Content-Type", "application/json"));
    answer.put("body", response.body());
    answer.put("isBase64Encoded", false);
    out.write(Json.bytes(answer));
  }
}
