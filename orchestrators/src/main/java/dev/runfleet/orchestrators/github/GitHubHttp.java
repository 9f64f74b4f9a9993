package dev.runfleet.orchestrators.github;

import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import dev.runfleet.common.retry.FullJitter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GitHub REST exchange with its retries: rate limits are waited out when GitHub asks for a
 * short wait, 5xx answers and I/O failures are retried with full-jitter exponential backoff, all
 * within the call's {@link Deadline}. Everything else ends in a classified {@link GitHubFailure},
 * which the port method logs once. Retry logs name the method, path and status, never a header or a
 * body.
 */
final class GitHubHttp {

  private static final Logger LOG = LoggerFactory.getLogger(GitHubHttp.class);

  static final int MAX_ATTEMPTS = 3;
  static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  static final Duration BACKOFF_CAP = Duration.ofSeconds(4);

  /** GitHub's advice when a secondary rate limit names no wait: at least a minute. */
  static final Duration UNSPECIFIED_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

  private static final int MAX_MESSAGE_LENGTH = 300;

  /** Credentials for the Authorization header. */
  interface Credentials {
    String authorization(Deadline deadline) throws GitHubFailure;

    /**
     * GitHub answered 401 to {@code authorization}. True when fresh credentials are worth one more
     * try (a revoked installation token); the next {@link #authorization} then brings them.
     */
    boolean invalidate(String authorization);
  }

  /**
   * A 2xx answer, or one of the statuses the caller said it handles, with its headers; {@code body}
   * is the JSON read ({@link Json}), null when there was none.
   */
  record Response(int status, Object body, HttpHeaders headers) {

    /** The body when it is an object; an object without fields otherwise. */
    JsonObject object() {
      return JsonObject.orEmpty(body);
    }
  }

  private final HttpClient http;
  private final Sleeper sleeper;
  private final Clock clock;
  private final String baseUrl;
  private final Duration httpTimeout;
  private final Duration maxInCallWait;

  GitHubHttp(HttpClient http, Sleeper sleeper, GitHubAppSettings settings) {
    this.http = Objects.requireNonNull(http, "http");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.clock = settings.clock();
    this.baseUrl = settings.apiBaseUrl().toString();
    this.httpTimeout = settings.httpTimeout();
    this.maxInCallWait = settings.maxInCallWait();
  }

  /**
   * @param body the JSON body (maps, lists and scalars, {@link Json#write}), or null
   * @param handled non-2xx statuses returned to the caller instead of classified
   */
  Response send(
      String method,
      String path,
      Object body,
      Credentials credentials,
      Deadline deadline,
      Set<Integer> handled)
      throws GitHubFailure {
    String what = method + " " + path;
    String lastProblem = null;
    boolean credentialsRefreshed = false;
    int attempt = 0;
    while (true) {
      attempt++;
      Duration remaining = deadline.remaining();
      if (remaining.isZero()) {
        throw GitHubFailure.retryLater(
            what + ": call budget spent" + (lastProblem == null ? "" : " after " + lastProblem));
      }
      String authorization = credentials.authorization(deadline);
      HttpResponse<String> response;
      try {
        response = http.send(request(method, path, body, authorization, deadline), ofString());
      } catch (IOException e) {
        lastProblem = "I/O failure (" + e.getClass().getSimpleName() + ")";
        if (backOff(what, lastProblem, attempt, deadline)) {
          continue;
        }
        throw GitHubFailure.retryLater(
            what + ": " + lastProblem + " after " + attempt + " attempts");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw GitHubFailure.retryLater(what + ": interrupted");
      }
      int status = response.statusCode();
      if (status / 100 == 2) {
        return new Response(status, parse(what, status, response.body()), response.headers());
      }
      if (handled.contains(status)) {
        return new Response(status, null, response.headers());
      }
      String problem = "HTTP " + status + message(response.body());
      if (status == 401 && !credentialsRefreshed && credentials.invalidate(authorization)) {
        credentialsRefreshed = true;
        attempt--;
        LOG.info("GitHub {} answered 401; retrying once with a fresh installation token", what);
        continue;
      }
      Optional<Duration> rateLimitWait = rateLimitWait(status, response.headers());
      if (rateLimitWait.isPresent()) {
        Duration wait = rateLimitWait.get();
        if (attempt < MAX_ATTEMPTS
            && wait.compareTo(maxInCallWait) <= 0
            && wait.compareTo(deadline.remaining()) < 0) {
          LOG.info(
              "GitHub {} rate limited (HTTP {}); waiting {} ms as asked, attempt {}/{}",
              what,
              status,
              wait.toMillis(),
              attempt,
              MAX_ATTEMPTS);
          sleep(what, wait);
          lastProblem = "rate limiting (HTTP " + status + ")";
          continue;
        }
        throw GitHubFailure.retryLater(
            what + ": rate limited by GitHub (HTTP " + status + "), retry after " + describe(wait));
      }
      if (status >= 500) {
        lastProblem = problem;
        if (backOff(what, problem, attempt, deadline)) {
          continue;
        }
        throw GitHubFailure.retryLater(what + ": " + problem + " after " + attempt + " attempts");
      }
      throw GitHubFailure.rejected(what + ": " + problem);
    }
  }

  private HttpRequest request(
      String method, String path, Object body, String authorization, Deadline deadline) {
    Duration remaining = deadline.remaining();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(remaining.compareTo(httpTimeout) < 0 ? remaining : httpTimeout)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "runfleet")
            .header("Authorization", authorization);
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
    }
    return builder.build();
  }

  /** Waits before the next attempt; false when attempts or budget are spent. */
  private boolean backOff(String what, String problem, int attempt, Deadline deadline)
      throws GitHubFailure {
    if (attempt >= MAX_ATTEMPTS) {
      return false;
    }
    Duration wait = FullJitter.delay(BACKOFF_BASE, BACKOFF_CAP, attempt);
    if (wait.compareTo(deadline.remaining()) >= 0) {
      return false;
    }
    LOG.info(
        "GitHub {} failed: {}; retrying in {} ms, attempt {}/{}",
        what,
        problem,
        wait.toMillis(),
        attempt,
        MAX_ATTEMPTS);
    sleep(what, wait);
    return true;
  }

  private void sleep(String what, Duration wait) throws GitHubFailure {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GitHubFailure.retryLater(what + ": interrupted while waiting to retry");
    }
  }

  /**
   * The wait GitHub asks for when it rate limits: 429, or 403 with no requests remaining or a
   * Retry-After (a secondary rate limit). Empty when the answer is no rate limit.
   */
  Optional<Duration> rateLimitWait(int status, HttpHeaders headers) {
    Optional<String> retryAfter = headers.firstValue("retry-after");
    boolean exhausted = headers.firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent();
    if (status != 429 && !(status == 403 && (exhausted || retryAfter.isPresent()))) {
      return Optional.empty();
    }
    Optional<Duration> asked = retryAfter.flatMap(this::parseRetryAfter);
    if (asked.isEmpty() && exhausted) {
      asked =
          headers
              .firstValue("x-ratelimit-reset")
              .flatMap(GitHubHttp::parseLong)
              .map(
                  reset ->
                      Duration.ofSeconds(Math.max(0, reset - clock.instant().getEpochSecond())));
    }
    return Optional.of(asked.orElse(UNSPECIFIED_RATE_LIMIT_WAIT));
  }

  private Optional<Duration> parseRetryAfter(String value) {
    Optional<Long> seconds = parseLong(value);
    if (seconds.isPresent()) {
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds.get())));
    }
    try {
      Instant at =
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return Optional.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Object parse(String what, int status, String body) throws GitHubFailure {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.read(body);
    } catch (IOException e) {
      // The body may be a secret-bearing answer: say that it was malformed, never what it held.
      throw GitHubFailure.retryLater(what + ": HTTP " + status + " with a body that is not JSON");
    }
  }

  /** GitHub's {@code message} (never secret) as ": message", or a trimmed non-JSON body. */
  private String message(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text;
    try {
      JsonObject node = JsonObject.of(Json.read(body));
      String message = node == null ? null : node.text("message");
      text = message != null ? message : body;
    } catch (IOException e) {
      text = body;
    }
    text = text.replaceAll("\\s+", " ").strip();
    if (text.length() > MAX_MESSAGE_LENGTH) {
      text = text.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String describe(Duration wait) {
    long seconds = (wait.toMillis() + 999) / 1000;
    return seconds + " s";
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
