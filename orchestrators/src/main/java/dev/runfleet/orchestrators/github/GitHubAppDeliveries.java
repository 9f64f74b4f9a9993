package dev.runfleet.orchestrators.github;

import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import dev.runfleet.common.port.GitHubDeliveries;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GitHubDeliveries} over GitHub's REST API, authenticated as the App (a JWT, which {@code
 * /app/hook/...} requires; an installation token is refused there). Throttling and 5xx answer
 * RetryLater; any other refusal (401, 403, 404, 400/422 for a stale cursor) answers Refused. The
 * JWT never reaches a log line or a reason.
 */
final class GitHubAppDeliveries implements GitHubDeliveries {

  private static final Logger LOG = LoggerFactory.getLogger(GitHubAppDeliveries.class);

  static final String DELIVERIES = "/app/hook/deliveries";
  static final int MAX_PER_PAGE = 100;

  private final GitHubHttp http;
  private final GitHubHttp.Credentials app;
  private final GitHubAppSettings settings;

  GitHubAppDeliveries(GitHubHttp http, GitHubHttp.Credentials app, GitHubAppSettings settings) {
    this.http = Objects.requireNonNull(http, "http");
    this.app = Objects.requireNonNull(app, "app");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public DeliveryPage page(String cursor, int perPage) {
    String path =
        DELIVERIES
            + "?per_page="
            + Math.max(1, Math.min(MAX_PER_PAGE, perPage))
            + (cursor == null
                ? ""
                : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    try {
      GitHubHttp.Response response = http.send("GET", path, null, app, deadline(), Set.of());
      return new DeliveryPage.Page(
          deliveries(path, response.body()), nextCursor(response.headers()));
    } catch (GitHubFailure failure) {
      LOG.warn("webhook deliveries not read: {}", failure.reason());
      return failure.retryable()
          ? new DeliveryPage.RetryLater(failure.reason())
          : new DeliveryPage.Refused(failure.reason());
    }
  }

  @Override
  public RedeliverResult redeliver(long deliveryId) {
    String path = DELIVERIES + "/" + deliveryId + "/attempts";
    try {
      http.send("POST", path, null, app, deadline(), Set.of());
      LOG.info("webhook delivery {} redelivery requested", deliveryId);
      return RedeliverResult.ACCEPTED;
    } catch (GitHubFailure failure) {
      LOG.warn("webhook delivery {} not redelivered: {}", deliveryId, failure.reason());
      return failure.retryable() ? RedeliverResult.RETRY_LATER : RedeliverResult.REFUSED;
    }
  }

  /** GitHub's list of hook-delivery items; an item without id, guid, time or event is skipped. */
  private static List<Delivery> deliveries(String path, Object body) throws GitHubFailure {
    if (!(body instanceof List<?> items)) {
      throw GitHubFailure.retryLater("GET " + path + ": answer was not a list of deliveries");
    }
    List<Delivery> out = new ArrayList<>(items.size());
    for (Object listed : items) {
      JsonObject item = JsonObject.orEmpty(listed);
      long id = Json.asLong(item.get("id"), 0);
      String guid = item.text("guid");
      String event = item.text("event");
      Instant at = instant(item.text("delivered_at"));
      if (id <= 0 || guid == null || event == null || at == null) {
        LOG.warn("GET {}: a delivery without id, guid, event or delivered_at skipped", path);
        continue;
      }
      out.add(
          new Delivery(
              id,
              guid,
              at,
              Json.asBoolean(item.get("redelivery"), false),
              Json.asInt(item.get("status_code"), 0),
              event,
              item.text("action")));
    }
    return out;
  }

  /**
   * The {@code cursor} parameter of the {@code rel="next"} URL in GitHub's {@code Link} header, or
   * null on the last page.
   */
  static String nextCursor(HttpHeaders headers) {
    for (String link : headers.allValues("link")) {
      for (String part : link.split(",")) {
        int open = part.indexOf('<');
        int close = part.indexOf('>', open + 1);
        if (open < 0 || close < 0 || !part.substring(close).matches("(?s)>\\s*;.*rel=\"next\".*")) {
          continue;
        }
        String query = URI.create(part.substring(open + 1, close).strip()).getRawQuery();
        for (String parameter : query == null ? new String[0] : query.split("&")) {
          if (parameter.startsWith("cursor=")) {
            String value = parameter.substring("cursor=".length());
            return value.isEmpty() ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
          }
        }
      }
    }
    return null;
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private Deadline deadline() {
    return Deadline.after(settings.clock(), settings.callBudget());
  }
}
