package dev.runfleet.orchestrators.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runfleet.common.domain.GitHubScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installation access tokens, cached per installation until shortly before they expire, and the
 * installation ids of repositories whose events named none. Safe for concurrent use: one thread per
 * installation fetches while the others wait for its token.
 */
final class InstallationTokens {

  private static final Logger LOG = LoggerFactory.getLogger(InstallationTokens.class);

  /** A token this close to its expiry is replaced, so no call starts with a dying token. */
  static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

  private record Token(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[value=****, expiresAt=" + expiresAt + "]";
    }
  }

  private final GitHubHttp http;
  private final AppJwt jwt;
  private final Clock clock;
  private final ConcurrentMap<Long, Token> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, Object> locks = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Long> installationsByRepository = new ConcurrentHashMap<>();
  private final GitHubHttp.Credentials appCredentials;

  InstallationTokens(GitHubHttp http, AppJwt jwt, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.jwt = Objects.requireNonNull(jwt, "jwt");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.appCredentials =
        new GitHubHttp.Credentials() {
          @Override
          public String authorization(Deadline deadline) throws GitHubFailure {
            return "Bearer " + jwt.mint();
          }

          @Override
          public boolean invalidate(String authorization) {
            return false;
          }
        };
  }

  /** Credentials acting as the installation that speaks for {@code scope}. */
  GitHubHttp.Credentials forScope(GitHubScope scope, String repositoryPath) {
    return new GitHubHttp.Credentials() {
      private long installationId;

      @Override
      public String authorization(Deadline deadline) throws GitHubFailure {
        installationId =
            scope.installationId() != null
                ? scope.installationId()
                : installationOf(scope.repository(), repositoryPath, deadline);
        return "Bearer " + token(installationId, deadline);
      }

      @Override
      public boolean invalidate(String authorization) {
        return InstallationTokens.this.invalidate(installationId, authorization);
      }
    };
  }

  private String token(long installationId, Deadline deadline) throws GitHubFailure {
    Token cached = tokens.get(installationId);
    if (fresh(cached)) {
      return cached.value();
    }
    synchronized (locks.computeIfAbsent(installationId, id -> new Object())) {
      cached = tokens.get(installationId);
      if (fresh(cached)) {
        return cached.value();
      }
      Token token = fetch(installationId, deadline);
      tokens.put(installationId, token);
      LOG.info(
          "installation token for installation {} fetched, valid until {}",
          installationId,
          token.expiresAt());
      return token.value();
    }
  }

  private boolean fresh(Token token) {
    return token != null
        && clock.instant().isBefore(token.expiresAt().minus(REFRESH_BEFORE_EXPIRY));
  }

  private Token fetch(long installationId, Deadline deadline) throws GitHubFailure {
    GitHubHttp.Response response;
    try {
      response =
          http.send(
              "POST",
              "/app/installations/" + installationId + "/access_tokens",
              null,
              appCredentials,
              deadline,
              Set.of());
    } catch (GitHubFailure e) {
      if (!e.retryable()) {
        // The installation may be gone (App uninstalled): look it up afresh next time.
        installationsByRepository.values().removeIf(id -> id == installationId);
      }
      throw e;
    }
    JsonNode body = response.body();
    String value = body.path("token").asText("");
    String expiresAt = body.path("expires_at").asText("");
    if (value.isEmpty() || expiresAt.isEmpty()) {
      throw GitHubFailure.retryLater(
          "installation " + installationId + ": access token answer lacked token or expires_at");
    }
    try {
      return new Token(value, Instant.parse(expiresAt));
    } catch (DateTimeParseException e) {
      throw GitHubFailure.retryLater(
          "installation " + installationId + ": access token answer has an unreadable expires_at");
    }
  }

  /**
   * Drops the token GitHub refused (revoked). Always worth one retry: when another thread already
   * dropped or replaced it, the next attempt gets that thread's token.
   */
  private boolean invalidate(long installationId, String authorization) {
    Token cached = tokens.get(installationId);
    if (cached != null && authorization.equals("Bearer " + cached.value())) {
      tokens.remove(installationId, cached);
    }
    return true;
  }

  private long installationOf(String repository, String repositoryPath, Deadline deadline)
      throws GitHubFailure {
    Long known = installationsByRepository.get(repository);
    if (known != null) {
      return known;
    }
    GitHubHttp.Response response =
        http.send(
            "GET", repositoryPath + "/installation", null, appCredentials, deadline, Set.of());
    long id = response.body().path("id").asLong(0);
    if (id <= 0) {
      throw GitHubFailure.retryLater(
          "GET " + repositoryPath + "/installation: answer lacked the installation id");
    }
    installationsByRepository.put(repository, id);
    return id;
  }
}
