package dev.runfleet.producer.intake;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One webhook request as the intake sees it: headers (looked up case-insensitively, since API
 * Gateway's HTTP API lower-cases them and other callers may not) and the body as the transport
 * delivered it.
 *
 * @param headers request headers, names in lower case
 * @param body the body text, or base64 of the body bytes when {@code base64Encoded}
 * @param base64Encoded whether {@code body} is base64
 * @param sourceIp the caller's address as the transport saw it (API Gateway's {@code
 *     requestContext.http.sourceIp}), or null when it gave none
 */
public record WebhookRequest(
    Map<String, String> headers, String body, boolean base64Encoded, String sourceIp) {

  /** A request whose transport named no source address. */
  public WebhookRequest(Map<String, String> headers, String body, boolean base64Encoded) {
    this(headers, body, base64Encoded, null);
  }

  public WebhookRequest {
    Map<String, String> lower = new HashMap<>();
    if (headers != null) {
      headers.forEach(
          (name, value) -> {
            if (name != null && value != null) {
              lower.put(name.toLowerCase(Locale.ROOT), value);
            }
          });
    }
    headers = Map.copyOf(lower);
    body = body == null ? "" : body;
  }

  /** The header's value, or null when absent; {@code name} in any case. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
