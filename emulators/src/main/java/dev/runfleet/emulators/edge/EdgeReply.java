package dev.runfleet.emulators.edge;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An emulated API's answer: status, content type, extra headers and body. */
public record EdgeReply(int status, String contentType, Map<String, String> headers, byte[] body) {

  public EdgeReply {
    headers = Map.copyOf(headers);
  }

  public static EdgeReply of(int status, String contentType, String body) {
    return new EdgeReply(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
