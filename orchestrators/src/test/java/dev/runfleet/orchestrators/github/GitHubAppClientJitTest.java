package dev.runfleet.orchestrators.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.runfleet.orchestrators.github.GitHubTestBed.ENCODED_JIT;
import static dev.runfleet.orchestrators.github.GitHubTestBed.INSTALLATION;
import static dev.runfleet.orchestrators.github.GitHubTestBed.ORG;
import static dev.runfleet.orchestrators.github.GitHubTestBed.REPO;
import static dev.runfleet.orchestrators.github.GitHubTestBed.TOKEN;
import static dev.runfleet.orchestrators.github.GitHubTestBed.bearer;
import static dev.runfleet.orchestrators.github.GitHubTestBed.error;
import static dev.runfleet.orchestrators.github.GitHubTestBed.jit;
import static dev.runfleet.orchestrators.github.GitHubTestBed.jitMinted;
import static dev.runfleet.orchestrators.github.GitHubTestBed.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.port.GitHubRunners.JitRequest;
import dev.runfleet.common.port.GitHubRunners.JitResult;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.orchestrators.testing.CapturedLogs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitHubAppClientJitTest {

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String ORG_JIT = "/orgs/octo-org/actions/runners/generate-jitconfig";
  private static final String REPO_JIT =
      "/repos/octocat/hello-world/actions/runners/generate-jitconfig";
  private static final String TOKENS = "/app/installations/" + INSTALLATION + "/access_tokens";
  private static final ObjectMapper JSON = new ObjectMapper();

  private GitHubTestBed bed;

  @BeforeEach
  void setUp() {
    bed = new GitHubTestBed(github);
    bed.stubToken("", INSTALLATION, TOKEN);
  }

  @Test
  void createJitConfig_forOrganization_postsLabelsAndGroupWithInstallationToken() throws Exception {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(jitMinted(23, "rf-1")));
    GitHubAppClient client = bed.client(bed.settings().withRunnerGroupId(12));

    JitResult result = client.createJitConfig(jit("rf-1", ORG));

    assertThat(result).isEqualTo(new JitResult.Minted(new JitConfig(23, ENCODED_JIT)));
    LoggedRequest request = github.findAll(postRequestedFor(urlPathEqualTo(ORG_JIT))).get(0);
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(request.getHeader("Accept")).isEqualTo("application/vnd.github+json");
    assertThat(request.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
    assertThat(request.getHeader("User-Agent")).isEqualTo("runfleet");
    JsonNode body = JSON.readTree(request.getBodyAsString());
    assertThat(body.path("name").asText()).isEqualTo("rf-1");
    assertThat(body.path("runner_group_id").asLong()).isEqualTo(12);
    assertThat(body.path("work_folder").asText()).isEqualTo("_work");
    assertThat(body.path("labels"))
        .extracting(JsonNode::asText)
        .containsExactly("self-hosted", "linux", "x64", "runfleet-small");
  }

  @Test
  void createJitConfig_forRepository_usesRepositoryPathAndDefaultGroup() throws Exception {
    github.stubFor(post(urlPathEqualTo(REPO_JIT)).willReturn(jitMinted(24, "rf-2")));

    JitResult result =
        bed.client(bed.settings().withRunnerGroupId(12)).createJitConfig(jit("rf-2", REPO));

    assertThat(result).isEqualTo(new JitResult.Minted(new JitConfig(24, ENCODED_JIT)));
    JsonNode body =
        JSON.readTree(
            github.findAll(postRequestedFor(urlPathEqualTo(REPO_JIT))).get(0).getBodyAsString());
    assertThat(body.path("runner_group_id").asLong()).isEqualTo(1);
    assertThat(body.path("labels")).extracting(JsonNode::asText).contains("self-hosted");
    github.verify(0, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_withoutInstallationId_looksItUpOncePerRepository() {
    github.stubFor(
        get(urlPathEqualTo("/repos/octocat/hello-world/installation"))
            .willReturn(json(200, "{\"id\":" + INSTALLATION + ",\"app_id\":4242}")));
    github.stubFor(post(urlPathEqualTo(REPO_JIT)).willReturn(jitMinted(25, "rf-3")));
    GitHubScope unknownInstallation = new GitHubScope(null, "octocat/hello-world", null);
    GitHubAppClient client = bed.client();

    assertThat(client.createJitConfig(jit("rf-3", unknownInstallation)))
        .isInstanceOf(JitResult.Minted.class);
    assertThat(client.createJitConfig(jit("rf-4", unknownInstallation)))
        .isInstanceOf(JitResult.Minted.class);

    List<LoggedRequest> lookups =
        github.findAll(getRequestedFor(urlPathEqualTo("/repos/octocat/hello-world/installation")));
    assertThat(lookups).hasSize(1);
    // The lookup speaks as the App itself: a JWT, not an installation token.
    assertThat(
            Jwts.decode(
                    Jwts.bearer(lookups.get(0).getHeader("Authorization")),
                    GitHubTestBed.KEYS.getPublic())
                .signatureValid())
        .isTrue();
  }

  @Test
  void createJitConfig_sendsVerifiableShortLivedJwtForTheToken() {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(jitMinted(23, "rf-1")));

    bed.client().createJitConfig(jit("rf-1", ORG));

    String jwt =
        Jwts.bearer(
            github
                .findAll(postRequestedFor(urlPathEqualTo(TOKENS)))
                .get(0)
                .getHeader("Authorization"));
    Jwts.Decoded decoded = Jwts.decode(jwt, GitHubTestBed.KEYS.getPublic());
    assertThat(decoded.signatureValid()).isTrue();
    assertThat(decoded.header().path("alg").asText()).isEqualTo("RS256");
    assertThat(decoded.claims().path("iss").asText()).isEqualTo("4242");
    long iat = decoded.claims().path("iat").asLong();
    long exp = decoded.claims().path("exp").asLong();
    assertThat(iat).isEqualTo(GitHubTestBed.START.getEpochSecond() - 60);
    assertThat(exp - iat).isPositive().isLessThanOrEqualTo(600);
    assertThat(decoded.claims().path("jti").asText()).isNotBlank();
  }

  @Test
  void createJitConfig_forTwoInstallationsInOneSecond_mintsJwtsWithDistinctJti() {
    long other = 7002;
    bed.stubToken("", other, "ghs_other");
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(jitMinted(23, "rf-1")));
    GitHubAppClient client = bed.client();

    client.createJitConfig(jit("rf-1", ORG));
    client.createJitConfig(jit("rf-2", new GitHubScope("octo-org", "octo-org/app", other)));

    List<Jwts.Decoded> jwts =
        github
            .findAll(postRequestedFor(urlPathMatching("/app/installations/\\d+/access_tokens")))
            .stream()
            .map(
                r ->
                    Jwts.decode(
                        Jwts.bearer(r.getHeader("Authorization")), GitHubTestBed.KEYS.getPublic()))
            .toList();
    assertThat(jwts).hasSize(2).allMatch(Jwts.Decoded::signatureValid);
    assertThat(jwts.get(0).claims().path("iat")).isEqualTo(jwts.get(1).claims().path("iat"));
    assertThat(jwts.get(0).claims().path("jti").asText())
        .isNotEqualTo(jwts.get(1).claims().path("jti").asText());
  }

  @Test
  void createJitConfig_twiceWithinTokenLifetime_fetchesOneToken() {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(jitMinted(23, "rf-1")));
    GitHubAppClient client = bed.client();

    client.createJitConfig(jit("rf-1", ORG));
    bed.clock.advance(Duration.ofMinutes(54));
    client.createJitConfig(jit("rf-2", ORG));

    github.verify(1, postRequestedFor(urlPathEqualTo(TOKENS)));
    github.verify(
        2, postRequestedFor(urlPathEqualTo(ORG_JIT)).withHeader("Authorization", bearer(TOKEN)));
  }

  @Test
  void createJitConfig_whenTokenNearExpiry_fetchesFreshToken() {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(jitMinted(23, "rf-1")));
    GitHubAppClient client = bed.client();
    client.createJitConfig(jit("rf-1", ORG));

    bed.clock.advance(Duration.ofMinutes(56));
    bed.stubToken("", INSTALLATION, "ghs_second");
    client.createJitConfig(jit("rf-2", ORG));

    github.verify(2, postRequestedFor(urlPathEqualTo(TOKENS)));
    github.verify(
        1,
        postRequestedFor(urlPathEqualTo(ORG_JIT))
            .withHeader("Authorization", bearer("ghs_second")));
  }

  @Test
  void createJitConfig_whenTokenRevoked_refreshesItOnceAndSucceeds() {
    GitHubAppClient client = bed.client();
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(jitMinted(23, "rf-1")));
    client.createJitConfig(jit("rf-1", ORG));
    bed.stubToken("", INSTALLATION, "ghs_replacement");
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .withHeader("Authorization", bearer(TOKEN))
            .willReturn(error(401, "Bad credentials")));
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .withHeader("Authorization", bearer("ghs_replacement"))
            .willReturn(jitMinted(26, "rf-2")));

    JitResult result = client.createJitConfig(jit("rf-2", ORG));

    assertThat(result).isEqualTo(new JitResult.Minted(new JitConfig(26, ENCODED_JIT)));
    github.verify(2, postRequestedFor(urlPathEqualTo(TOKENS)));
  }

  @Test
  void createJitConfig_whenStillUnauthorized_rejectsWithStatusAndMessage() {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(error(401, "Bad credentials")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.Rejected.class);
    assertThat(((JitResult.Rejected) result).reason()).contains("401").contains("Bad credentials");
    github.verify(2, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_whenJwtRejected_retriesOnceWithTheKeyReadAgain_thenRejects() {
    github.stubFor(
        post(urlPathEqualTo(TOKENS))
            .willReturn(error(401, "A JSON web token could not be decoded")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.Rejected.class);
    assertThat(((JitResult.Rejected) result).reason())
        .contains("401")
        .contains("A JSON web token could not be decoded");
    // One retry after re-reading the key (a rotation would pass it), never more.
    github.verify(2, postRequestedFor(urlPathEqualTo(TOKENS)));
    github.verify(0, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_whenForbidden_rejectsWithGitHubMessage() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .willReturn(error(403, "Resource not accessible by integration")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result)
        .isEqualTo(
            new JitResult.Rejected(
                "POST " + ORG_JIT + ": HTTP 403: Resource not accessible by integration"));
    assertThat(bed.sleeper.waits()).isEmpty();
  }

  @Test
  void createJitConfig_whenOrganizationNotFound_rejects() {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(error(404, "Not Found")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.Rejected.class);
    assertThat(((JitResult.Rejected) result).reason()).contains("HTTP 404: Not Found");
    github.verify(1, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_whenRunnerGroupFull_rejectsWithGitHubMessage() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .willReturn(
                json(
                    422,
                    "{\"message\": \"The runner group has reached its maximum number of"
                        + " runners.\", \"documentation_url\": \"https://docs.github.com/rest/"
                        + "actions/self-hosted-runners#create-configuration-for-a-just-in-time-"
                        + "runner-for-an-organization\"}")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.Rejected.class);
    assertThat(((JitResult.Rejected) result).reason())
        .contains("HTTP 422")
        .contains("The runner group has reached its maximum number of runners.")
        .doesNotContain("documentation_url");
  }

  @Test
  void createJitConfig_whenRateLimited_honoursRetryAfter() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("secondary limit")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                error(429, "You have exceeded a secondary rate limit.")
                    .withHeader("Retry-After", "2"))
            .willSetStateTo("waited"));
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("secondary limit")
            .whenScenarioStateIs("waited")
            .willReturn(jitMinted(27, "rf-1")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isEqualTo(new JitResult.Minted(new JitConfig(27, ENCODED_JIT)));
    assertThat(bed.sleeper.waits()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void createJitConfig_whenRetryAfterExceedsInCallBudget_returnsRetryLaterWithWait() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .willReturn(
                error(429, "You have exceeded a secondary rate limit.")
                    .withHeader("Retry-After", "60")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("HTTP 429").contains("60 s");
    assertThat(bed.sleeper.waits()).isEmpty();
    github.verify(1, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_whenPrimaryRateLimitExhausted_returnsRetryLaterUntilReset() {
    long reset = GitHubTestBed.START.getEpochSecond() + 120;
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .willReturn(
                error(403, "API rate limit exceeded for installation ID 7001.")
                    .withHeader("x-ratelimit-limit", "5000")
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-used", "5000")
                    .withHeader("x-ratelimit-reset", Long.toString(reset))));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("HTTP 403").contains("120 s");
    assertThat(bed.sleeper.waits()).isEmpty();
  }

  @Test
  void createJitConfig_whenRateLimitResetsWithinBudget_waitsForResetAndRetries() {
    long reset = GitHubTestBed.START.getEpochSecond() + 1;
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("primary limit")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                error(403, "API rate limit exceeded for installation ID 7001.")
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-reset", Long.toString(reset)))
            .willSetStateTo("reset"));
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("primary limit")
            .whenScenarioStateIs("reset")
            .willReturn(jitMinted(28, "rf-1")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.Minted.class);
    assertThat(bed.sleeper.waits()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void createJitConfig_whenServerErrorsThenSucceeds_retriesWithJitteredBackoff() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(error(500, "Server Error"))
            .willSetStateTo("502"));
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("flaky")
            .whenScenarioStateIs("502")
            .willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"))
            .willSetStateTo("ok"));
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("flaky")
            .whenScenarioStateIs("ok")
            .willReturn(jitMinted(29, "rf-1")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isEqualTo(new JitResult.Minted(new JitConfig(29, ENCODED_JIT)));
    github.verify(3, postRequestedFor(urlPathEqualTo(ORG_JIT)));
    List<Duration> waits = bed.sleeper.waits();
    assertThat(waits).hasSize(2);
    assertThat(waits.get(0)).isBetween(Duration.ZERO, GitHubHttp.BACKOFF_BASE);
    assertThat(waits.get(1)).isBetween(Duration.ZERO, GitHubHttp.BACKOFF_BASE.multipliedBy(2));
  }

  @Test
  void createJitConfig_whenServiceStaysUnavailable_returnsRetryLaterAfterThreeAttempts() {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(error(503, "Service Unavailable")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason())
        .contains("HTTP 503: Service Unavailable")
        .contains("3 attempts");
    github.verify(3, postRequestedFor(urlPathEqualTo(ORG_JIT)));
    assertThat(bed.sleeper.waits()).hasSize(2);
  }

  @Test
  void createJitConfig_whenConnectionDrops_retriesThenReturnsRetryLater() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("I/O failure");
    github.verify(3, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_whenServerTooSlow_timesOutAndReturnsRetryLater() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT)).willReturn(jitMinted(30, "rf-1").withFixedDelay(2_000)));
    GitHubAppClient client = bed.client(bed.settings().withHttpTimeout(Duration.ofMillis(200)));

    JitResult result = client.createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("HttpTimeoutException");
  }

  @Test
  void createJitConfig_whenRetriesWouldOutlastCallBudget_stopsEarly() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .willReturn(error(429, "secondary rate limit").withHeader("Retry-After", "2")));
    GitHubAppClient client = bed.client(bed.settings().withCallBudget(Duration.ofMillis(1_500)));

    JitResult result = client.createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("2 s");
    assertThat(bed.sleeper.waits()).isEmpty();
  }

  @Test
  void createJitConfig_whenNameTaken_deletesStaleRunnerAndRetriesOnce() {
    String runners = "/orgs/octo-org/actions/runners";
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("crash retry")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(error(409, "Already exists - A runner with the name rf-1 already exists."))
            .willSetStateTo("deleted"));
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("crash retry")
            .whenScenarioStateIs("deleted")
            .willReturn(jitMinted(31, "rf-1")));
    github.stubFor(
        get(urlPathEqualTo(runners))
            .withQueryParam("name", equalTo("rf-1"))
            .willReturn(
                json(
                    200,
                    "{\"total_count\":1,\"runners\":[{\"id\":17,\"name\":\"rf-1\",\"os\":\"linux\","
                        + "\"status\":\"offline\",\"busy\":false,\"labels\":[]}]}")));
    github.stubFor(delete(urlPathEqualTo(runners + "/17")).willReturn(aResponse().withStatus(204)));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isEqualTo(new JitResult.Minted(new JitConfig(31, ENCODED_JIT)));
    github.verify(1, deleteRequestedFor(urlPathEqualTo(runners + "/17")));
    github.verify(2, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_whenNameStillTaken_returnsRetryLater() {
    String runners = "/repos/octocat/hello-world/actions/runners";
    github.stubFor(
        post(urlPathEqualTo(REPO_JIT))
            .willReturn(
                error(409, "Already exists - A runner with the name rf-1 already exists.")));
    github.stubFor(
        get(urlPathEqualTo(runners)).willReturn(json(200, "{\"total_count\":0,\"runners\":[]}")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", REPO));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("still taken");
    github.verify(2, postRequestedFor(urlPathEqualTo(REPO_JIT)));
    github.verify(
        1, getRequestedFor(urlPathEqualTo(runners)).withQueryParam("name", equalTo("rf-1")));
  }

  @Test
  void createJitConfig_whenStaleRunnerIsBusy_returnsRetryLaterWithoutRecreating() {
    String runners = "/orgs/octo-org/actions/runners";
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .willReturn(
                error(409, "Already exists - A runner with the name rf-1 already exists.")));
    github.stubFor(
        get(urlPathEqualTo(runners))
            .willReturn(
                json(
                    200,
                    "{\"total_count\":1,\"runners\":[{\"id\":18,\"name\":\"rf-1\",\"busy\":true}]}")));
    github.stubFor(
        delete(urlPathEqualTo(runners + "/18"))
            .willReturn(error(422, "Bad request - Runner rf-1 is still running a job")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("running a job");
    github.verify(1, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_onEnterpriseServer_usesApiV3Prefix() {
    bed.stubToken("/api/v3", INSTALLATION, TOKEN);
    github.stubFor(post(urlPathEqualTo("/api/v3" + ORG_JIT)).willReturn(jitMinted(32, "rf-1")));
    GitHubAppClient client =
        bed.client(bed.settings().withApiBaseUrl(URI.create(github.baseUrl() + "/api/v3/")));

    JitResult result = client.createJitConfig(jit("rf-1", ORG));

    assertThat(result).isEqualTo(new JitResult.Minted(new JitConfig(32, ENCODED_JIT)));
    github.verify(1, postRequestedFor(urlPathEqualTo("/api/v3" + TOKENS)));
    github.verify(0, postRequestedFor(urlPathEqualTo(ORG_JIT)));
  }

  @Test
  void createJitConfig_withoutLabels_rejectsWithoutCallingGitHub() {
    JitResult result = bed.client().createJitConfig(new JitRequest("rf-1", List.of(), ORG));

    assertThat(result).isInstanceOf(JitResult.Rejected.class);
    assertThat(github.getAllServeEvents()).isEmpty();
  }

  @Test
  void createJitConfig_withMalformedRepository_rejectsWithoutCallingGitHub() {
    JitResult result =
        bed.client().createJitConfig(jit("rf-1", new GitHubScope(null, "../../app", INSTALLATION)));

    assertThat(result).isInstanceOf(JitResult.Rejected.class);
    assertThat(github.getAllServeEvents()).isEmpty();
  }

  @Test
  void createJitConfig_whenAnswerLacksConfig_returnsRetryLater() {
    github.stubFor(post(urlPathEqualTo(ORG_JIT)).willReturn(json(201, "{\"runner\":{\"id\":33}}")));

    JitResult result = bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(result).isInstanceOf(JitResult.RetryLater.class);
    assertThat(((JitResult.RetryLater) result).reason()).contains("encoded_jit_config");
  }

  @Test
  void createJitConfig_neverLogsConfigTokenJwtOrKey() {
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("logged")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(error(502, "Bad Gateway"))
            .willSetStateTo("ok"));
    github.stubFor(
        post(urlPathEqualTo(ORG_JIT))
            .inScenario("logged")
            .whenScenarioStateIs("ok")
            .willReturn(jitMinted(34, "rf-1")));

    List<String> lines;
    try (CapturedLogs logs = CapturedLogs.start()) {
      GitHubAppClient client = bed.client();
      assertThat(client.createJitConfig(jit("rf-1", ORG))).isInstanceOf(JitResult.Minted.class);
      github.stubFor(
          post(urlPathEqualTo(ORG_JIT))
              .willReturn(error(403, "Resource not accessible by integration")));
      assertThat(client.createJitConfig(jit("rf-2", ORG))).isInstanceOf(JitResult.Rejected.class);
      lines = logs.lines();
    }

    String jwt =
        Jwts.bearer(
            github
                .findAll(postRequestedFor(urlPathEqualTo(TOKENS)))
                .get(0)
                .getHeader("Authorization"));
    assertThat(lines).anyMatch(l -> l.contains("502")).anyMatch(l -> l.contains("403"));
    assertThat(lines)
        .noneMatch(l -> l.contains(ENCODED_JIT))
        .noneMatch(l -> l.contains(TOKEN))
        .noneMatch(l -> l.contains(jwt))
        .noneMatch(l -> l.contains(jwt.substring(jwt.lastIndexOf('.') + 1)))
        .noneMatch(l -> l.contains("PRIVATE KEY"));
    for (String keyLine : TestKeys.pemBodyLines(GitHubTestBed.PEM)) {
      assertThat(lines).noneMatch(l -> l.contains(keyLine));
    }
  }
}
