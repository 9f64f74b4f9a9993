package dev.runfleet.orchestrators.github;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link GitHubAppClient} reaches GitHub as an App.
 *
 * @param appId the GitHub App's id, the JWT issuer
 * @param apiBaseUrl {@code https://api.github.com}, or {@code https://HOST/api/v3} on GitHub
 *     Enterprise Server
 * @param runnerGroupId the runner group organisation runners join (1 is the default group)
 * @param clock the clock for JWT times and token expiry
 * @param httpTimeout the longest a single HTTP exchange may take
 * @param maxInCallWait the longest wait GitHub may ask for (Retry-After, rate-limit reset) that a
 *     call sits out before retrying; a longer wait ends the call with a retry-later outcome
 * @param callBudget the longest one port call may take, every retry and wait included
 */
public record GitHubAppSettings(
    long appId,
    URI apiBaseUrl,
    long runnerGroupId,
    Clock clock,
    Duration httpTimeout,
    Duration maxInCallWait,
    Duration callBudget) {

  public static final URI GITHUB_COM = URI.create("https://api.github.com");
  public static final long DEFAULT_RUNNER_GROUP = 1;

  public GitHubAppSettings {
    if (appId <= 0) {
      throw new IllegalArgumentException("appId must be positive, got " + appId);
    }
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    String scheme = apiBaseUrl.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("apiBaseUrl must be an http(s) URL, got " + apiBaseUrl);
    }
    if (apiBaseUrl.getHost() == null) {
      throw new IllegalArgumentException("apiBaseUrl has no host: " + apiBaseUrl);
    }
    if (apiBaseUrl.getQuery() != null || apiBaseUrl.getFragment() != null) {
      throw new IllegalArgumentException(
          "apiBaseUrl must not carry a query or fragment: " + apiBaseUrl);
    }
    String url = apiBaseUrl.toString();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    apiBaseUrl = URI.create(url);
    if (runnerGroupId <= 0) {
      throw new IllegalArgumentException("runnerGroupId must be positive, got " + runnerGroupId);
    }
    Objects.requireNonNull(clock, "clock");
    requirePositive(httpTimeout, "httpTimeout");
    Objects.requireNonNull(maxInCallWait, "maxInCallWait");
    if (maxInCallWait.isNegative()) {
      throw new IllegalArgumentException("maxInCallWait must not be negative");
    }
    requirePositive(callBudget, "callBudget");
  }

  /**
   * Settings for github.com with the default runner group, the system clock, a 10 s HTTP timeout,
   * waits of up to 2 s sat out in a call, and a 20 s budget per call.
   */
  public static GitHubAppSettings of(long appId) {
    return new GitHubAppSettings(
        appId,
        GITHUB_COM,
        DEFAULT_RUNNER_GROUP,
        Clock.systemUTC(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofSeconds(20));
  }

  public GitHubAppSettings withApiBaseUrl(URI url) {
    return new GitHubAppSettings(
        appId, url, runnerGroupId, clock, httpTimeout, maxInCallWait, callBudget);
  }

  public GitHubAppSettings withRunnerGroupId(long id) {
    return new GitHubAppSettings(
        appId, apiBaseUrl, id, clock, httpTimeout, maxInCallWait, callBudget);
  }

  public GitHubAppSettings withClock(Clock c) {
    return new GitHubAppSettings(
        appId, apiBaseUrl, runnerGroupId, c, httpTimeout, maxInCallWait, callBudget);
  }

  public GitHubAppSettings withHttpTimeout(Duration timeout) {
    return new GitHubAppSettings(
        appId, apiBaseUrl, runnerGroupId, clock, timeout, maxInCallWait, callBudget);
  }

  public GitHubAppSettings withMaxInCallWait(Duration wait) {
    return new GitHubAppSettings(
        appId, apiBaseUrl, runnerGroupId, clock, httpTimeout, wait, callBudget);
  }

  public GitHubAppSettings withCallBudget(Duration budget) {
    return new GitHubAppSettings(
        appId, apiBaseUrl, runnerGroupId, clock, httpTimeout, maxInCallWait, budget);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
