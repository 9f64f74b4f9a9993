package dev.runfleet.emulators.edge;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP call to an emulated AWS API, as the edge received it.
 *
 * @param headers header names in lower case, first value each
 */
public record EdgeRequest(String method, String path, Map<String, String> headers, byte[] body) {

  public EdgeRequest {
    headers = Map.copyOf(headers);
  }

  /** The {@code X-Amz-Target} header of the JSON protocols, or null. */
  public String target() {
    return headers.get("x-amz-target");
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** True for a query-protocol call (SNS): a form-encoded POST naming an {@code Action}. */
  public boolean isQueryProtocol() {
    String type = header("content-type");
    return "POST".equals(method)
        && type != null
        && type.startsWith("application/x-www-form-urlencoded")
        && new String(body, StandardCharsets.UTF_8).contains("Action=");
  }
}
