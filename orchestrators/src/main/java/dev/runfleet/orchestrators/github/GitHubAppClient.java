package dev.runfleet.orchestrators.github;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.Listing;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GitHubRunners} over GitHub's REST API, authenticated as a GitHub App installation. Every
 * failure comes back as an outcome value (retry later, rejected), never as an exception; tokens,
 * JWTs, the key and JIT configs never reach a log line or a reason.
 */
public final class GitHubAppClient implements GitHubRunners {

  private static final Logger LOG = LoggerFactory.getLogger(GitHubAppClient.class);

  /** Repository runners cannot join organisation groups: they belong to the default group. */
  static final long REPOSITORY_RUNNER_GROUP = 1;

  /** GitHub's largest page of runners. */
  static final int PAGE_SIZE = 100;

  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
  private static final Pattern REPOSITORY_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final GitHubAppSettings settings;
  private final GitHubHttp http;
  private final InstallationTokens tokens;

  public GitHubAppClient(GitHubAppSettings settings, PrivateKeySource privateKey) {
    this(settings, privateKey, defaultHttpClient(settings), Sleeper.SYSTEM);
  }

  public GitHubAppClient(
      GitHubAppSettings settings,
      PrivateKeySource privateKey,
      HttpClient httpClient,
      Sleeper sleeper) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = new GitHubHttp(httpClient, sleeper, settings);
    this.tokens =
        new InstallationTokens(
            http, new AppJwt(settings.appId(), privateKey, settings.clock()), settings.clock());
  }

  /**
   * The App's webhook delivery log, over this client's HTTP exchange and App key (one key read, one
   * set of retries and deadlines).
   */
  public GitHubDeliveries deliveries() {
    return new GitHubAppDeliveries(http, tokens.app(), settings);
  }

  /** HTTP/1.1: one request at a time per function, and no h2c upgrade for a plain-HTTP GHES. */
  public static HttpClient defaultHttpClient(GitHubAppSettings settings) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.httpTimeout())
        // Redirects would carry the Authorization header to wherever GitHub points.
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public JitResult createJitConfig(JitRequest request) {
    String runner = request.runnerName();
    if (request.labels().isEmpty()) {
      return rejected(runner, "a JIT runner needs at least one label; none were given");
    }
    Deadline deadline = deadline();
    try {
      String runners = runnersPath(request.scope());
      GitHubHttp.Credentials credentials =
          tokens.forScope(
              request.scope(),
              repositoryPath(request.scope()),
              InstallationTokens.Use.runners(request.scope()));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", runner);
      body.put(
          "runner_group_id",
          request.scope().isOrganization() ? settings.runnerGroupId() : REPOSITORY_RUNNER_GROUP);
      body.put("labels", List.copyOf(request.labels()));
      body.put("work_folder", "_work");
      String path = runners + "/generate-jitconfig";
      GitHubHttp.Response response =
          http.send("POST", path, body, credentials, deadline, Set.of(409));
      if (response.status() == 409) {
        // A retry after a crash: the runner registered last time holds the name.
        LOG.info("runner name {} is already registered; removing the stale runner", runner);
        removeStaleRunner(runners, runner, credentials, deadline);
        response = http.send("POST", path, body, credentials, deadline, Set.of(409));
        if (response.status() == 409) {
          return retryLater(
              runner, "POST " + path + ": runner name still taken after removing the stale runner");
        }
      }
      JitConfig config = jitConfig(path, response.object());
      LOG.info("JIT config minted for runner {} (runner id {})", runner, config.runnerId());
      return new JitResult.Minted(config);
    } catch (GitHubFailure failure) {
      return failure.retryable()
          ? retryLater(runner, failure.reason())
          : rejected(runner, failure.reason());
    }
  }

  @Override
  public DeleteResult deleteRunner(GitHubScope scope, long runnerId) {
    Deadline deadline = deadline();
    try {
      String path = runnersPath(scope) + "/" + runnerId;
      GitHubHttp.Response response =
          http.send(
              "DELETE",
              path,
              null,
              tokens.forScope(scope, repositoryPath(scope), InstallationTokens.Use.runners(scope)),
              deadline,
              Set.of(404, 422));
      if (response.status() == 422) {
        LOG.info("runner id {} is running a job; GitHub keeps it registered", runnerId);
        return DeleteResult.BUSY;
      }
      LOG.info(
          "runner id {} deregistered{}",
          runnerId,
          response.status() == 404 ? " (GitHub knew it no longer)" : "");
      return DeleteResult.DELETED;
    } catch (GitHubFailure failure) {
      if (failure.retryable()) {
        LOG.warn("runner id {} not deregistered now: {}", runnerId, failure.reason());
        return DeleteResult.RETRY_LATER;
      }
      LOG.warn("runner id {} cannot be deregistered: {}", runnerId, failure.reason());
      return DeleteResult.REFUSED;
    }
  }

  /**
   * A refusal (credentials, permissions) answers {@link JobLookup.RetryLater}: the port has no
   * rejection for lookups, and "not found" would tell a reconciler the job is gone.
   */
  @Override
  public JobLookup job(GitHubScope scope, long jobId) {
    try {
      String repository = repositoryPath(scope);
      String path = repository + "/actions/jobs/" + jobId;
      Optional<JsonObject> found =
          getUnless404(path, scope, repository, InstallationTokens.Use.READ_JOBS);
      if (found.isEmpty()) {
        return new JobLookup.NotFound("GET " + path + ": HTTP 404");
      }
      JsonObject body = found.get();
      String status = body.text("status");
      if (status == null) {
        throw GitHubFailure.retryLater("GET " + path + ": answer lacked the job's status");
      }
      return new JobLookup.Found(
          Json.asLong(body.get("id"), jobId),
          status,
          body.text("conclusion"),
          body.text("runner_name"));
    } catch (GitHubFailure failure) {
      LOG.warn("job {} not looked up: {}", jobId, failure.reason());
      return new JobLookup.RetryLater(lookupFailure(failure));
    }
  }

  /** {@code GET .../actions/runners/{id}}: a refusal answers RetryLater, as for {@link #job}. */
  @Override
  public RunnerLookup runner(GitHubScope scope, long runnerId) {
    try {
      String path = runnersPath(scope) + "/" + runnerId;
      Optional<JsonObject> found =
          getUnless404(path, scope, repositoryPath(scope), InstallationTokens.Use.runners(scope));
      if (found.isEmpty()) {
        return new RunnerLookup.NotFound("GET " + path + ": HTTP 404");
      }
      JsonObject body = found.get();
      String status = body.text("status");
      if (status == null || !(body.get("busy") instanceof Boolean busy)) {
        throw GitHubFailure.retryLater("GET " + path + ": answer lacked status or busy");
      }
      return new RunnerLookup.Found(
          Json.asLong(body.get("id"), runnerId), body.text("name"), "online".equals(status), busy);
    } catch (GitHubFailure failure) {
      LOG.warn("runner id {} not looked up: {}", runnerId, failure.reason());
      return new RunnerLookup.RetryLater(lookupFailure(failure));
    }
  }

  /**
   * {@code GET .../actions/runners?per_page=100&page=N} until a page holds fewer than 100 or all of
   * {@code total_count} are read. A failure (throttled, refused) ends the listing incomplete.
   */
  @Override
  public Listing<RunnerLookup.Found> listRunners(GitHubScope scope, Listing.Pages pages) {
    List<RunnerLookup.Found> found = new ArrayList<>();
    try {
      String runners = runnersPath(scope);
      for (int page = 1; ; page++) {
        if (!pages.getAsBoolean()) {
          return new Listing<>(found, false);
        }
        JsonObject body =
            getUnless404(
                    runners + "?per_page=" + PAGE_SIZE + "&page=" + page,
                    scope,
                    repositoryPath(scope),
                    InstallationTokens.Use.runners(scope))
                .orElseThrow(() -> GitHubFailure.rejected("GET " + runners + ": HTTP 404"));
        List<Object> listed = body.items("runners");
        for (Object item : listed) {
          JsonObject runner = JsonObject.orEmpty(item);
          long id = Json.asLong(runner.get("id"), 0);
          String name = runner.text("name");
          if (id > 0 && name != null) {
            found.add(
                new RunnerLookup.Found(
                    id,
                    name,
                    "online".equals(runner.text("status")),
                    // A reading without busy counts as busy: nothing is deleted on a doubt.
                    !Boolean.FALSE.equals(runner.get("busy"))));
          }
        }
        if (listed.size() < PAGE_SIZE || found.size() >= Json.asLong(body.get("total_count"), 0)) {
          return new Listing<>(found, true);
        }
      }
    } catch (GitHubFailure failure) {
      LOG.warn("runners of {} not listed in full now: {}", scope.repository(), failure.reason());
      return new Listing<>(found, false);
    }
  }

  /** A lookup's answer, or empty for GitHub's 404. */
  private Optional<JsonObject> getUnless404(
      String path, GitHubScope scope, String repository, InstallationTokens.Use use)
      throws GitHubFailure {
    GitHubHttp.Response response =
        http.send(
            "GET", path, null, tokens.forScope(scope, repository, use), deadline(), Set.of(404));
    return response.status() == 404 ? Optional.empty() : Optional.of(response.object());
  }

  /**
   * The port has no rejection for lookups, and "not found" would tell the reconciler the thing is
   * gone: a refusal (credentials, permissions) reads as a retry, its reason saying so.
   */
  private static String lookupFailure(GitHubFailure failure) {
    return failure.retryable() ? failure.reason() : "refused: " + failure.reason();
  }

  /**
   * {@code POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun}: 201 when GitHub queued a new
   * attempt; 403 (not re-runnable now, or the App lacks Actions: write) and 404 are refusals.
   */
  @Override
  public RerunResult rerunJob(GitHubScope scope, long jobId) {
    Deadline deadline = deadline();
    try {
      String repository = repositoryPath(scope);
      String path = repository + "/actions/jobs/" + jobId + "/rerun";
      GitHubHttp.Response response =
          http.send(
              "POST",
              path,
              Map.of(),
              tokens.forScope(scope, repository, InstallationTokens.Use.RERUN_JOBS),
              deadline,
              // Not 403: a secondary rate limit answers 403 too, and must read as retry later.
              Set.of(404, 409, 422));
      if (response.status() >= 400) {
        LOG.warn("job {} not re-run: POST {} answered HTTP {}", jobId, path, response.status());
        return RerunResult.REFUSED;
      }
      LOG.info("job {} re-run at GitHub", jobId);
      return RerunResult.RERUN;
    } catch (GitHubFailure failure) {
      LOG.warn("job {} not re-run: {}", jobId, failure.reason());
      return failure.retryable() ? RerunResult.RETRY_LATER : RerunResult.REFUSED;
    }
  }

  private void removeStaleRunner(
      String runners, String name, GitHubHttp.Credentials credentials, Deadline deadline)
      throws GitHubFailure {
    String query = runners + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    JsonObject listed = http.send("GET", query, null, credentials, deadline, Set.of()).object();
    for (Object item : listed.items("runners")) {
      JsonObject runner = JsonObject.orEmpty(item);
      long id = Json.asLong(runner.get("id"), 0);
      if (id <= 0 || !name.equals(runner.asText("name"))) {
        continue;
      }
      GitHubHttp.Response deleted =
          http.send("DELETE", runners + "/" + id, null, credentials, deadline, Set.of(404, 422));
      if (deleted.status() == 422) {
        throw GitHubFailure.retryLater(
            "runner name " + name + " is held by runner id " + id + ", which is running a job");
      }
      LOG.info("stale runner id {} named {} removed", id, name);
    }
  }

  private static JitConfig jitConfig(String path, JsonObject body) throws GitHubFailure {
    long runnerId = Json.asLong(body.object("runner").get("id"), 0);
    String encoded = body.asText("encoded_jit_config", "");
    if (runnerId <= 0 || encoded.isEmpty()) {
      throw GitHubFailure.retryLater(
          "POST " + path + ": answer lacked runner.id or encoded_jit_config");
    }
    return new JitConfig(runnerId, encoded);
  }

  private static String runnersPath(GitHubScope scope) throws GitHubFailure {
    if (scope.isOrganization()) {
      String org = scope.organization();
      if (!OWNER.matcher(org).matches()) {
        throw GitHubFailure.rejected("not a GitHub organisation name: " + org);
      }
      return "/orgs/" + org + "/actions/runners";
    }
    return repositoryPath(scope) + "/actions/runners";
  }

  private static String repositoryPath(GitHubScope scope) throws GitHubFailure {
    String repository = scope.repository();
    int slash = repository.indexOf('/');
    String owner = slash < 0 ? "" : repository.substring(0, slash);
    String name = slash < 0 ? "" : repository.substring(slash + 1);
    if (!OWNER.matcher(owner).matches()
        || !REPOSITORY_NAME.matcher(name).matches()
        || name.equals(".")
        || name.equals("..")) {
      throw GitHubFailure.rejected("not a GitHub repository (owner/name): " + repository);
    }
    return "/repos/" + owner + "/" + name;
  }

  private Deadline deadline() {
    return Deadline.after(settings.clock(), settings.callBudget());
  }

  private static JitResult retryLater(String runner, String reason) {
    LOG.warn("JIT config for runner {} deferred: {}", runner, reason);
    return new JitResult.RetryLater(reason);
  }

  private static JitResult rejected(String runner, String reason) {
    LOG.warn("JIT config for runner {} refused: {}", runner, reason);
    return new JitResult.Rejected(reason);
  }
}
