package dev.runfleet.local.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** A benchmark's report as the one JSON line it prints last. */
final class JsonLine {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLine() {}

  static void print(Object report, PrintStream out) {
    out.println(text(report));
  }

  /** {@code report} as one line of JSON. */
  static String text(Object report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the report did not serialise", e);
    }
  }
}
