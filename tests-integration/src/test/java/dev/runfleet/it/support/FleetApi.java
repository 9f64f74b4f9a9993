package dev.runfleet.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The local runtime's read-only JSON API, as an operator's script would read it. */
public final class FleetApi {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI base;

  public FleetApi(URI base) {
    this.base = base;
  }

  /** {@code GET /api/jobs/{id}}: the job's latest attempt, empty on 404. */
  public Optional<JsonNode> job(long jobId) {
    HttpResponse<byte[]> response = get("/api/jobs/" + jobId);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(ok(response));
  }

  /** The job's status, or {@code ABSENT} when the runtime has no such job. */
  public String jobStatus(long jobId) {
    return job(jobId).map(j -> j.path("status").asText()).orElse("ABSENT");
  }

  /** {@code GET /api/runners}. */
  public List<JsonNode> runners() {
    return list(ok(get("/api/runners")));
  }

  /** {@code GET /api/platforms}. */
  public List<JsonNode> platforms() {
    return list(ok(get("/api/platforms")));
  }

  public int healthStatus() {
    return get("/health").statusCode();
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static JsonNode ok(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          response.request().uri() + " answered " + response.statusCode());
    }
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<byte[]> get(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted on GET " + path, e);
    }
  }
}
