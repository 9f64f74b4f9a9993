package dev.runfleet.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.port.GitHubRunners.DeleteResult;
import dev.runfleet.common.port.GitHubRunners.JitRequest;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.local.runtime.SimHttp.Reply;
import dev.runfleet.local.sim.JobView;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.SimulatedGitHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated GitHub's REST API under {@value #BASE} on the runtime's port: exactly the routes
 * runfleet's {@code GitHubAppClient} calls, in GitHub's JSON shapes and status codes, backed by the
 * {@link SimulatedGitHub}'s state (one truth for webhooks, runners and jobs).
 *
 * <pre>
 * GET    /repos/{o}/{r}/installation                     App JWT     → {"id",...}
 * POST   /app/installations/{id}/access_tokens           App JWT     → 201 {"token","expires_at",...}
 * GET    /repos/{o}/{r}/actions/jobs/{id}                token       → the workflow job
 * POST   /repos/{o}/{r}/actions/jobs/{id}/rerun          token       → 201; 403 not finished; 404
 * GET    /orgs/{org}/actions/runners[?name=]             token       → {"total_count","runners"}
 * GET    /orgs/{org}/actions/runners/{id}                token       → the runner; 404
 * DELETE /orgs/{org}/actions/runners/{id}                token       → 204; 422 busy; 404
 * POST   /orgs/{org}/actions/runners/generate-jitconfig  token       → 201 {"runner","encoded_jit_config"}
 *        (the runner routes also under /repos/{o}/{r}/actions/runners)
 * GET    /app/hook/deliveries[?per_page=&amp;cursor=]        App JWT     → newest first, Link rel="next"
 * POST   /app/hook/deliveries/{id}/attempts              App JWT     → 202; 404
 * </pre>
 *
 * The App JWT must be RS256, signed by the simulated App's key ({@link #appKeyPem}), issued by
 * {@link #APP_ID}, unexpired and at most 10 minutes long; a token must be one this API issued and
 * unexpired. Anything else is GitHub's 401. Every authenticated request then draws the simulated
 * GitHub's fault schedule ({@code failNext}, {@code errorRate}): a 5xx, or a 429 / 403 rate limit
 * with {@code Retry-After} and {@code x-ratelimit-*} headers as GitHub sends them.
 */
final class SimGitHubApi {

  private static final Logger LOG = LoggerFactory.getLogger(SimGitHubApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCS = "https://docs.github.com/rest";

  /** Where the API lives on the runtime's port: the client's {@code apiBaseUrl} path. */
  static final String BASE = "/sim/github/api";

  /** The simulated App's id, the JWT issuer. */
  static final long APP_ID = 424242;

  /** The wait a simulated rate limit asks for: GitHub's usual minute. */
  static final long RATE_LIMIT_SECONDS = 60;

  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  private static final long MAX_JWT_SECONDS = 600;

  private final Supplier<SimulatedGitHub> gitHub;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger served = new AtomicInteger();
  private volatile KeyPair appKey;

  SimGitHubApi(Supplier<SimulatedGitHub> gitHub, Clock clock) {
    this.gitHub = gitHub;
    this.clock = clock;
  }

  /**
   * The simulated App's private key as PKCS#8 PEM, generated on first use and never logged: what
   * the runtime's GitHub client signs its JWTs with.
   */
  String appKeyPem() {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key().getPrivate().getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
  }

  /** Requests answered so far (every status, faults included). */
  int served() {
    return served.get();
  }

  private KeyPair key() {
    KeyPair current = appKey;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (appKey == null) {
        try {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(2048, random);
          appKey = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("no RSA key generator in this JVM", e);
        }
      }
      return appKey;
    }
  }

  /**
   * Answers one request under {@value #BASE}.
   *
   * @param path the full request path, {@value #BASE} included
   * @param apiUrl this API's absolute base URL, for the {@code Link} header
   */
  Reply answer(
      String method,
      String path,
      String rawQuery,
      byte[] body,
      String authorization,
      String apiUrl) {
    served.incrementAndGet();
    String[] p = path.substring(BASE.length()).replaceFirst("^/", "").split("/", -1);
    Route route = route(method, p);
    if (route == null) {
      return message(404, "Not Found");
    }
    Optional<Reply> refused = route.asApp() ? checkJwt(authorization) : checkToken(authorization);
    if (refused.isPresent()) {
      LOG.info("simulated GitHub API {} {} answered 401", method, path);
      return refused.get();
    }
    int fault = gitHub.get().restFault();
    if (fault != 0) {
      LOG.info("simulated GitHub API {} {} answers {} (scripted fault)", method, path, fault);
      return fault(fault);
    }
    try {
      return route.handler().answer(p, rawQuery, body, apiUrl);
    } catch (IOException e) {
      return message(400, "Problems parsing JSON");
    }
  }

  private interface Handler {
    Reply answer(String[] p, String rawQuery, byte[] body, String apiUrl) throws IOException;
  }

  private record Route(boolean asApp, Handler handler) {}

  private Route route(String method, String[] p) {
    boolean repo = p.length >= 3 && p[0].equals("repos");
    boolean org = p.length >= 2 && p[0].equals("orgs");
    if (repo && p.length == 4 && p[3].equals("installation") && method.equals("GET")) {
      return new Route(true, (q, query, body, url) -> installation(q[1] + "/" + q[2]));
    }
    if (p.length == 4 && p[0].equals("app") && p[1].equals("installations")) {
      if (p[3].equals("access_tokens") && method.equals("POST")) {
        return new Route(true, (q, query, body, url) -> accessToken(q[2]));
      }
    }
    if (p.length >= 3 && p[0].equals("app") && p[1].equals("hook") && p[2].equals("deliveries")) {
      if (p.length == 3 && method.equals("GET")) {
        return new Route(
            true,
            (q, query, body, url) ->
                gitHubShape(SimHttp.deliveries(gitHub.get(), query, url + "/app/hook/deliveries")));
      }
      if (p.length == 5 && p[4].equals("attempts") && method.equals("POST")) {
        return new Route(true, (q, query, body, url) -> redeliver(q[3]));
      }
    }
    if (repo && p.length >= 6 && p[3].equals("actions") && p[4].equals("jobs")) {
      String repository = p[1] + "/" + p[2];
      if (p.length == 6 && method.equals("GET")) {
        return new Route(false, (q, query, body, url) -> job(repository, q[5]));
      }
      if (p.length == 7 && p[6].equals("rerun") && method.equals("POST")) {
        return new Route(false, (q, query, body, url) -> rerun(repository, q[5]));
      }
    }
    int runners = repo ? 5 : org ? 4 : -1;
    if (runners > 0
        && p.length >= runners
        && p[runners - 2].equals("actions")
        && p[runners - 1].equals("runners")) {
      GitHubScope scope =
          repo
              ? new GitHubScope(null, p[1] + "/" + p[2], null)
              : new GitHubScope(p[1], p[1] + "/*", null);
      if (p.length == runners && method.equals("GET")) {
        return new Route(false, (q, query, body, url) -> runners(query));
      }
      if (p.length == runners + 1 && p[runners].equals("generate-jitconfig")) {
        return method.equals("POST")
            ? new Route(false, (q, query, body, url) -> jitConfig(scope, body))
            : null;
      }
      if (p.length == runners + 1 && (method.equals("GET") || method.equals("DELETE"))) {
        String id = p[runners];
        return new Route(
            false, (q, query, body, url) -> method.equals("GET") ? runner(id) : deleteRunner(id));
      }
    }
    return null;
  }

  // ---- routes ----

  private Reply installation(String repository) {
    Optional<Long> id = gitHub.get().installationOf(repository);
    if (id.isEmpty()) {
      return message(404, "Not Found");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("id", id.get());
    out.putObject("account").put("login", repository.substring(0, repository.indexOf('/')));
    out.put("app_id", APP_ID);
    out.put("target_type", "Organization");
    return new Reply(200, out);
  }

  private Reply accessToken(String installationId) {
    if (id(installationId) <= 0) {
      return message(404, "Not Found");
    }
    byte[] secret = new byte[20];
    random.nextBytes(secret);
    String token = "ghs_" + HexFormat.of().formatHex(secret);
    Instant expiresAt = clock.instant().plus(TOKEN_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
    tokens.put(token, expiresAt);
    ObjectNode out = JSON.createObjectNode();
    out.put("token", token);
    out.put("expires_at", expiresAt.toString());
    out.putObject("permissions");
    out.put("repository_selection", "all");
    return new Reply(201, out);
  }

  private Reply job(String repository, String idText) {
    long id = id(idText);
    Optional<SimJob> job = gitHub.get().known(id).filter(j -> sameRepository(j, repository));
    Optional<JobView> view = job.flatMap(j -> gitHub.get().view(id));
    if (view.isEmpty()) {
      return message(404, "Not Found");
    }
    SimJob j = job.get();
    JobView v = view.get();
    ObjectNode out = JSON.createObjectNode();
    out.put("id", v.id());
    out.put("run_id", j.runId());
    out.put("run_attempt", v.runAttempt());
    out.put("status", v.status());
    out.put("conclusion", v.conclusion());
    out.put("name", "build");
    out.put("head_branch", "main");
    out.put("created_at", j.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
    ArrayNode labels = out.putArray("labels");
    j.labels().forEach(labels::add);
    out.put("runner_name", v.runnerName());
    out.put("html_url", "https://github.com/" + j.repository() + "/actions/runs/" + j.runId());
    return new Reply(200, out);
  }

  private Reply rerun(String repository, String idText) {
    long id = id(idText);
    if (gitHub.get().known(id).filter(j -> sameRepository(j, repository)).isEmpty()) {
      return message(404, "Not Found");
    }
    return switch (gitHub.get().rerun(id)) {
      case RERUN -> new Reply(201, JSON.createObjectNode());
      case REFUSED -> message(403, "This job cannot be re-run: it has not failed or finished");
      case RETRY_LATER -> message(503, "Service Unavailable");
    };
  }

  private Reply runners(String rawQuery) {
    String name = SimHttp.query(rawQuery).get("name");
    ArrayNode list = JSON.createArrayNode();
    for (RunnerLookup.Found r : gitHub.get().runners()) {
      if (name == null || name.equals(r.name())) {
        list.add(runnerJson(r, List.of()));
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("total_count", list.size());
    out.set("runners", list);
    return new Reply(200, out);
  }

  private Reply runner(String idText) {
    return gitHub.get().runnerLookup(id(idText)) instanceof RunnerLookup.Found found
        ? new Reply(200, runnerJson(found, List.of()))
        : message(404, "Not Found");
  }

  private Reply deleteRunner(String idText) {
    long id = id(idText);
    if (!(gitHub.get().runnerLookup(id) instanceof RunnerLookup.Found found)) {
      return message(404, "Not Found");
    }
    DeleteResult result = gitHub.get().delete(id);
    return switch (result) {
      case DELETED -> new Reply(204, null);
      case BUSY ->
          message(422, "Bad request - Runner \"" + found.name() + "\" is still running a job\"");
      default -> message(503, "Service Unavailable");
    };
  }

  private Reply jitConfig(GitHubScope scope, byte[] body) throws IOException {
    JsonNode request = JSON.readTree(body);
    if (request == null || !request.isObject()) {
      return message(400, "Problems parsing JSON");
    }
    JsonNode name = request.path("name");
    JsonNode labels = request.path("labels");
    if (!name.isTextual() || name.asText().isBlank()) {
      return message(422, "Invalid request.\n\n\"name\" wasn't supplied.");
    }
    if (!request.path("runner_group_id").isIntegralNumber()) {
      return message(422, "Invalid request.\n\n\"runner_group_id\" wasn't supplied.");
    }
    if (!labels.isArray() || labels.isEmpty() || labels.size() > 100) {
      return message(422, "Invalid request.\n\n\"labels\" must hold 1 to 100 labels.");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode label : labels) {
      if (!label.isTextual() || label.asText().isBlank()) {
        return message(422, "Invalid request.\n\nevery label must be a non-empty string.");
      }
      names.add(label.asText());
    }
    if (gitHub.get().runners().stream().anyMatch(r -> r.name().equals(name.asText()))) {
      return message(
          409, "Already exists - A runner with the name " + name.asText() + " already exists.");
    }
    JitConfig config = gitHub.get().mint(new JitRequest(name.asText(), names, scope));
    ObjectNode out = JSON.createObjectNode();
    out.set(
        "runner",
        runnerJson(new RunnerLookup.Found(config.runnerId(), name.asText(), false, false), names));
    out.put("encoded_jit_config", config.encodedConfig());
    return new Reply(201, out);
  }

  private Reply redeliver(String idText) {
    return switch (gitHub.get().redeliver(id(idText), false)) {
      case ACCEPTED -> new Reply(202, JSON.createObjectNode());
      case REFUSED -> message(404, "Not Found");
      case RETRY_LATER -> message(503, "Service Unavailable");
    };
  }

  // ---- shapes, auth and faults ----

  private static ObjectNode runnerJson(RunnerLookup.Found r, List<String> labels) {
    ObjectNode out = JSON.createObjectNode();
    out.put("id", r.runnerId());
    out.put("name", r.name());
    out.put("os", "linux");
    out.put("status", r.online() ? "online" : "offline");
    out.put("busy", r.busy());
    out.put("ephemeral", true);
    ArrayNode array = out.putArray("labels");
    labels.forEach(l -> array.addObject().put("id", 0).put("name", l).put("type", "custom"));
    return out;
  }

  private static boolean sameRepository(SimJob job, String repository) {
    return repository.equalsIgnoreCase(job.repository());
  }

  /** A /sim error ({"error"}) in GitHub's shape ({"message"}); a success as it is. */
  private static Reply gitHubShape(Reply reply) {
    return reply.status() < 400
        ? reply
        : message(
            reply.status() == 400 ? 422 : reply.status(), reply.body().path("error").asText());
  }

  private Optional<Reply> checkToken(String authorization) {
    String token = credential(authorization);
    Instant expires = token == null ? null : tokens.get(token);
    return expires != null && clock.instant().isBefore(expires)
        ? Optional.empty()
        : Optional.of(message(401, "Bad credentials"));
  }

  /** GitHub's checks on an App JWT: RS256, this App's key and id, unexpired, at most 10 min. */
  private Optional<Reply> checkJwt(String authorization) {
    String jwt = credential(authorization);
    String[] parts = jwt == null ? new String[0] : jwt.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.of(message(401, "A JSON web token could not be decoded"));
    }
    try {
      Base64.Decoder decoder = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(decoder.decode(parts[0]));
      JsonNode claims = JSON.readTree(decoder.decode(parts[1]));
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key().getPublic());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!"RS256".equals(header.path("alg").asText())
          || !verifier.verify(decoder.decode(parts[2]))) {
        return Optional.of(message(401, "A JSON web token could not be decoded"));
      }
      long now = clock.instant().getEpochSecond();
      long iat = claims.path("iat").asLong(0);
      long exp = claims.path("exp").asLong(0);
      if (!Long.toString(APP_ID).equals(claims.path("iss").asText())) {
        return Optional.of(message(401, "'Issuer' claim ('iss') must be an Integer"));
      }
      if (exp <= now || iat > now + 60) {
        return Optional.of(message(401, "'Expiration time' claim ('exp') must be in the future"));
      }
      if (exp - iat > MAX_JWT_SECONDS) {
        return Optional.of(
            message(401, "'Expiration time' claim ('exp') is too far in the future"));
      }
      return Optional.empty();
    } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
      return Optional.of(message(401, "A JSON web token could not be decoded"));
    }
  }

  private static String credential(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    for (String scheme : List.of("Bearer ", "token ")) {
      if (value.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return value.substring(scheme.length()).strip();
      }
    }
    return null;
  }

  /** GitHub's answer for a scripted fault: 5xx, or a rate limit with its headers. */
  private Reply fault(int status) {
    if (status >= 500) {
      return message(status, status == 503 ? "Service Unavailable" : "Server Error");
    }
    long reset = clock.instant().getEpochSecond() + RATE_LIMIT_SECONDS;
    Map<String, String> headers =
        Map.of(
            "Retry-After",
            Long.toString(RATE_LIMIT_SECONDS),
            "x-ratelimit-limit",
            "5000",
            "x-ratelimit-remaining",
            status == 429 ? "0" : "4999",
            "x-ratelimit-used",
            status == 429 ? "5000" : "1",
            "x-ratelimit-reset",
            Long.toString(reset),
            "x-ratelimit-resource",
            "core");
    String text =
        status == 429
            ? "API rate limit exceeded for installation."
            : "You have exceeded a secondary rate limit. Please wait a few minutes before you"
                + " try again.";
    return new Reply(status, messageBody(text), headers);
  }

  private static long id(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Reply message(int status, String text) {
    return new Reply(status, messageBody(text));
  }

  private static ObjectNode messageBody(String text) {
    return JSON.createObjectNode().put("message", text).put("documentation_url", DOCS);
  }
}
