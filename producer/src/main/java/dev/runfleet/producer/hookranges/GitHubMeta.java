package dev.runfleet.producer.hookranges;

import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * GitHub's {@code GET /meta} (unauthenticated), read for its {@code hooks} list: the ranges GitHub
 * delivers webhooks from. One attempt: the schedule is the retry.
 */
public final class GitHubMeta {

  /** Well below the refresher's function timeout. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The answer lists every GitHub service's ranges (some 100 KB); anything far larger is wrong. */
  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  /** What GitHub answered: its hooks list as text, or why there is none. */
  public sealed interface Answer {
    record Hooks(List<String> entries) implements Answer {
      public Hooks {
        entries = List.copyOf(entries);
      }
    }

    record Failed(String reason) implements Answer {}
  }

  private final HttpClient http;
  private final URI meta;

  public GitHubMeta(HttpClient http, URI apiBaseUrl) {
    this.http = http;
    String base = apiBaseUrl.toString();
    this.meta = URI.create((base.endsWith("/") ? base : base + "/") + "meta");
  }

  public URI uri() {
    return meta;
  }

  public Answer hooks() {
    HttpRequest request =
        HttpRequest.newBuilder(meta)
            .timeout(TIMEOUT)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "runfleet-hook-ranges")
            .GET()
            .build();
    byte[] body;
    int status;
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      status = response.statusCode();
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
    } catch (IOException e) {
      return new Answer.Failed("GET " + meta + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Failed("GET " + meta + " was interrupted");
    }
    if (status != 200) {
      return new Answer.Failed("GET " + meta + " answered " + status);
    }
    if (body.length > MAX_BODY_BYTES) {
      return new Answer.Failed("GET " + meta + " answered more than " + MAX_BODY_BYTES + " bytes");
    }
    List<Object> hooks;
    try {
      Object root = Json.read(body);
      hooks = root instanceof JsonObject o ? o.array("hooks") : null;
    } catch (IOException e) {
      return new Answer.Failed("GET " + meta + " answered no JSON");
    }
    if (hooks == null) {
      return new Answer.Failed("GET " + meta + " answered no \"hooks\" array");
    }
    List<String> entries = new ArrayList<>(hooks.size());
    for (Object entry : hooks) {
      if (!(entry instanceof String text)) {
        return new Answer.Failed("\"hooks\" holds " + nodeType(entry) + ", not a CIDR text");
      }
      entries.add(text);
    }
    return new Answer.Hooks(entries);
  }

  /** The name databind's {@code JsonNodeType} gives a value, as this answer always said. */
  private static String nodeType(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Boolean) {
      return "BOOLEAN";
    }
    if (value instanceof Number) {
      return "NUMBER";
    }
    return value instanceof JsonObject ? "OBJECT" : "ARRAY";
  }
}
