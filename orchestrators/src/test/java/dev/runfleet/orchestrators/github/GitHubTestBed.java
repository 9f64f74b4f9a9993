package dev.runfleet.orchestrators.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.port.GitHubRunners.JitRequest;
import dev.runfleet.orchestrators.testing.MutableClock;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A GitHub App client against WireMock serving GitHub's documented answers, with a clock and a
 * sleeper the test drives.
 */
final class GitHubTestBed {

  static final long APP_ID = 4242;
  static final long INSTALLATION = 7001;
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  static final KeyPair KEYS = TestKeys.generate();
  static final String PEM = TestKeys.pkcs1Pem(KEYS);
  static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
  static final String ENCODED_JIT = "eyJydW5uZXIiOiJqaXQtc2VjcmV0LWNvbmZpZyJ9c2VjcmV0LWJsb2I=";
  static final GitHubScope ORG = new GitHubScope("octo-org", "octo-org/app", INSTALLATION);
  static final GitHubScope REPO = new GitHubScope(null, "octocat/hello-world", INSTALLATION);
  static final List<String> LABELS = List.of("self-hosted", "linux", "x64", "runfleet-small");

  static final String DOCS = "https://docs.github.com/rest/actions/self-hosted-runners";

  final WireMockExtension github;
  final MutableClock clock = new MutableClock(START);
  final RecordingSleeper sleeper = new RecordingSleeper(clock);

  GitHubTestBed(WireMockExtension github) {
    this.github = github;
  }

  GitHubAppSettings settings() {
    return GitHubAppSettings.of(APP_ID)
        .withApiBaseUrl(URI.create(github.baseUrl()))
        .withClock(clock)
        .withHttpTimeout(Duration.ofSeconds(5));
  }

  GitHubAppClient client() {
    return client(settings());
  }

  GitHubAppClient client(GitHubAppSettings settings) {
    return client(settings, () -> PEM);
  }

  GitHubAppClient client(GitHubAppSettings settings, PrivateKeySource key) {
    return new GitHubAppClient(settings, key, GitHubAppClient.defaultHttpClient(settings), sleeper);
  }

  static JitRequest jit(String runnerName, GitHubScope scope) {
    return new JitRequest(runnerName, LABELS, scope);
  }

  /** POST /app/installations/{id}/access_tokens answering a token valid for an hour from now. */
  void stubToken(String prefix, long installation, String token) {
    stubToken(prefix, installation, token, clock.instant().plus(Duration.ofHours(1)));
  }

  void stubToken(String prefix, long installation, String token, Instant expiresAt) {
    github.stubFor(
        post(urlPathEqualTo(prefix + "/app/installations/" + installation + "/access_tokens"))
            .withHeader("Authorization", matching("Bearer .+"))
            .willReturn(
                json(
                    201,
                    "{\"token\":\""
                        + token
                        + "\",\"expires_at\":\""
                        + expiresAt
                        + "\",\"permissions\":{\"organization_self_hosted_runners\":\"write\","
                        + "\"administration\":\"write\"},\"repository_selection\":\"all\"}")));
  }

  /** GitHub's 201 answer to generate-jitconfig. */
  static ResponseDefinitionBuilder jitMinted(long runnerId, String runnerName) {
    return json(
        201,
        "{\"runner\":{\"id\":"
            + runnerId
            + ",\"name\":\""
            + runnerName
            + "\",\"os\":\"unknown\",\"status\":\"offline\",\"busy\":false,\"labels\":["
            + "{\"id\":5,\"name\":\"self-hosted\",\"type\":\"read-only\"},"
            + "{\"id\":7,\"name\":\"linux\",\"type\":\"custom\"}]},"
            + "\"encoded_jit_config\":\""
            + ENCODED_JIT
            + "\"}");
  }

  /** GitHub's error body shape. */
  static ResponseDefinitionBuilder error(int status, String message) {
    return json(
        status,
        "{\"message\":\""
            + message
            + "\",\"documentation_url\":\""
            + DOCS
            + "\",\"status\":\""
            + status
            + "\"}");
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(body);
  }

  static StringValuePattern bearer(String token) {
    return equalTo("Bearer " + token);
  }
}
