package dev.runfleet.orchestrators.github;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
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

  /**
   * What a token is for, and the only permissions it is asked for: a token minted for one use
   * cannot serve another, so a leaked runner-registration token reads no jobs and the other way
   * round. GitHub adds {@code metadata: read} to every token.
   */
  enum Use {
    /** JIT configs and runner deletion for an organisation's runners. */
    ORGANIZATION_RUNNERS("organization_self_hosted_runners", "write"),
    /** JIT configs and runner deletion for a repository's runners. */
    REPOSITORY_RUNNERS("administration", "write"),
    /** Reading a workflow job. */
    READ_JOBS("actions", "read"),
    /** Re-running a workflow job (after its host was interrupted). */
    RERUN_JOBS("actions", "write");

    private final String permission;
    private final String level;

    Use(String permission, String level) {
      this.permission = permission;
      this.level = level;
    }

    static Use runners(GitHubScope scope) {
      return scope.isOrganization() ? ORGANIZATION_RUNNERS : REPOSITORY_RUNNERS;
    }
  }

  private record Key(long installationId, Use use) {}

  private final ConcurrentMap<Key, Token> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<Key, Object> locks = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Long> installationsByRepository = new ConcurrentHashMap<>();

  /** For installation tokens and lookups: a new JWT, with its own {@code jti}, per request. */
  private final GitHubHttp.Credentials appCredentials;

  /** For the {@code /app} API: one JWT reused for a minute ({@link AppJwt#current()}). */
  private final GitHubHttp.Credentials appApiCredentials;

  InstallationTokens(GitHubHttp http, AppJwt jwt, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.jwt = Objects.requireNonNull(jwt, "jwt");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.appCredentials = new AppCredentials(false);
    this.appApiCredentials = new AppCredentials(true);
  }

  /**
   * Acting as the App. An installation token is bought with a new JWT each time (DESIGN: identical
   * JWTs used in parallel have lost jobs at a peer); the {@code /app} API's reads and redelivery
   * requests, which the reconciler makes page after page, share one JWT for a minute, as GitHub
   * allows, instead of an RSA signature each.
   */
  private final class AppCredentials implements GitHubHttp.Credentials {

    private final boolean reuse;

    AppCredentials(boolean reuse) {
      this.reuse = reuse;
    }

    @Override
    public String authorization(Deadline deadline) throws GitHubFailure {
      return "Bearer " + (reuse ? jwt.current() : jwt.mint());
    }

    @Override
    public boolean invalidate(String authorization) {
      // GitHub refused the App's own JWT: read the key again before the one retry.
      return jwt.forgetKey();
    }
  }

  /** Credentials acting as the App itself, for the {@code /app} API. */
  GitHubHttp.Credentials app() {
    return appApiCredentials;
  }

  /**
   * Credentials acting as the installation that speaks for {@code scope}, with a token narrowed to
   * {@code use}.
   */
  GitHubHttp.Credentials forScope(GitHubScope scope, String repositoryPath, Use use) {
    return new GitHubHttp.Credentials() {
      private Key key;

      @Override
      public String authorization(Deadline deadline) throws GitHubFailure {
        long installationId =
            scope.installationId() != null
                ? scope.installationId()
                : installationOf(scope.repository(), repositoryPath, deadline);
        key = new Key(installationId, use);
        return "Bearer " + token(key, deadline);
      }

      @Override
      public boolean invalidate(String authorization) {
        return key != null && InstallationTokens.this.invalidate(key, authorization);
      }
    };
  }

  private String token(Key key, Deadline deadline) throws GitHubFailure {
    Token cached = tokens.get(key);
    if (fresh(cached)) {
      return cached.value();
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      cached = tokens.get(key);
      if (fresh(cached)) {
        return cached.value();
      }
      Token token = fetch(key, deadline);
      tokens.put(key, token);
      LOG.info(
          "installation token for installation {} ({}) fetched, valid until {}",
          key.installationId(),
          key.use(),
          token.expiresAt());
      return token.value();
    }
  }

  private boolean fresh(Token token) {
    return token != null
        && clock.instant().isBefore(token.expiresAt().minus(REFRESH_BEFORE_EXPIRY));
  }

  private Token fetch(Key key, Deadline deadline) throws GitHubFailure {
    long installationId = key.installationId();
    Map<String, Object> body = Map.of("permissions", Map.of(key.use().permission, key.use().level));
    GitHubHttp.Response response;
    try {
      response =
          http.send(
              "POST",
              "/app/installations/" + installationId + "/access_tokens",
              body,
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
    JsonObject answer = response.object();
    String value = answer.asText("token", "");
    String expiresAt = answer.asText("expires_at", "");
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
  private boolean invalidate(Key key, String authorization) {
    Token cached = tokens.get(key);
    if (cached != null && authorization.equals("Bearer " + cached.value())) {
      tokens.remove(key, cached);
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
    long id = Json.asLong(response.object().get("id"), 0);
    if (id <= 0) {
      throw GitHubFailure.retryLater(
          "GET " + repositoryPath + "/installation: answer lacked the installation id");
    }
    installationsByRepository.put(repository, id);
    return id;
  }
}
