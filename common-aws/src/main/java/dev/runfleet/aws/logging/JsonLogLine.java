package dev.runfleet.aws.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.event.Level;

/**
 * One log line as the functions write it: a JSON object ({@code timestamp}, {@code level}, {@code
 * logger}, {@code message}, every MDC field by name — the Lambda context Powertools puts there and
 * our own ids — and {@code error} with message and stack when the line carries an exception), ended
 * by a newline.
 */
public final class JsonLogLine {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JsonLogLine() {}

  public static String format(
      long epochMillis,
      Level level,
      String logger,
      String message,
      Map<String, String> mdc,
      Throwable thrown) {
    StringBuilder line = new StringBuilder(256);
    line.append("{\"timestamp\":\"");
    TIMESTAMP.formatTo(Instant.ofEpochMilli(epochMillis), line);
    line.append("\",\"level\":\"").append(level.name()).append('"');
    field(line, "logger", logger);
    field(line, "message", message);
    if (mdc != null) {
      new TreeMap<>(mdc).forEach((key, value) -> field(line, key, value));
    }
    if (thrown != null) {
      StringWriter stack = new StringWriter();
      thrown.printStackTrace(new PrintWriter(stack));
      line.append(",\"error\":{");
      line.append("\"message\":");
      string(line, thrown.getMessage());
      field(line, "stack", stack.toString());
      line.append('}');
    }
    return line.append("}\n").toString();
  }

  private static void field(StringBuilder line, String name, String value) {
    line.append(',');
    string(line, name);
    line.append(':');
    string(line, value);
  }

  /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped; null as "". */
  private static void string(StringBuilder out, String value) {
    out.append('"');
    String text = value == null ? "" : value;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
