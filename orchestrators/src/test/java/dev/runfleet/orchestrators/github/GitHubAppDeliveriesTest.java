package dev.runfleet.orchestrators.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.runfleet.orchestrators.github.GitHubTestBed.APP_ID;
import static dev.runfleet.orchestrators.github.GitHubTestBed.KEYS;
import static dev.runfleet.orchestrators.github.GitHubTestBed.error;
import static dev.runfleet.orchestrators.github.GitHubTestBed.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubDeliveries.Delivery;
import dev.runfleet.common.port.GitHubDeliveries.DeliveryPage;
import dev.runfleet.common.port.GitHubDeliveries.RedeliverResult;
import dev.runfleet.orchestrators.testing.CapturedLogs;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The App's webhook delivery log and redelivery against WireMock serving GitHub's answers. */
class GitHubAppDeliveriesTest {

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String DELIVERIES = "/app/hook/deliveries";
  private static final String ATTEMPTS = DELIVERIES + "/22451237891/attempts";

  /** GitHub's documented example item ("Simple webhook delivery"), as listed. */
  private static final String PAGE_1 =
      "[{\"id\":22451237891,\"guid\":\"0b989ba4-242f-11e5-81e1-c7b6966d2516\","
          + "\"delivered_at\":\"2026-03-02T09:58:16Z\",\"redelivery\":false,\"duration\":10.08,"
          + "\"status\":\"Invalid HTTP Response: 502\",\"status_code\":502,"
          + "\"event\":\"workflow_job\",\"action\":\"queued\",\"installation_id\":123,"
          + "\"repository_id\":456,\"throttled_at\":null},"
          + "{\"id\":22451237890,\"guid\":\"1c6f3f14-242f-11e5-81e1-c7b6966d2516\","
          + "\"delivered_at\":\"2026-03-02T09:57:00Z\",\"redelivery\":true,\"duration\":0.27,"
          + "\"status\":\"OK\",\"status_code\":200,\"event\":\"installation\",\"action\":null,"
          + "\"installation_id\":123,\"repository_id\":null}]";

  private static final String PAGE_2 =
      "[{\"id\":22451230000,\"guid\":\"2a7e8f00-242f-11e5-81e1-c7b6966d2516\","
          + "\"delivered_at\":\"2026-03-02T09:50:00Z\",\"redelivery\":false,\"duration\":10.0,"
          + "\"status\":\"timed out\",\"status_code\":0,\"event\":\"workflow_job\","
          + "\"action\":\"completed\",\"installation_id\":123,\"repository_id\":456}]";

  private GitHubTestBed bed;

  @BeforeEach
  void setUp() {
    bed = new GitHubTestBed(github);
  }

  private GitHubDeliveries deliveries() {
    return bed.client().deliveries();
  }

  @Test
  void page_readsGitHubsItemsAndTheNextCursorFromTheLinkHeader() {
    github.stubFor(
        get(urlPathEqualTo(DELIVERIES))
            .withQueryParam("cursor", absent())
            .willReturn(
                json(200, PAGE_1)
                    .withHeader(
                        "Link",
                        "<"
                            + github.baseUrl()
                            + DELIVERIES
                            + "?per_page=100&cursor=v1_22451237889%3D%3D>; rel=\"next\"")));
    github.stubFor(
        get(urlPathEqualTo(DELIVERIES))
            .withQueryParam("cursor", equalTo("v1_22451237889=="))
            .willReturn(
                json(200, PAGE_2)
                    .withHeader(
                        "Link",
                        "<"
                            + github.baseUrl()
                            + DELIVERIES
                            + "?per_page=100&cursor=v1_22451237891>; rel=\"prev\"")));

    DeliveryPage first = deliveries().page(null, 100);
    DeliveryPage.Page page = (DeliveryPage.Page) first;
    DeliveryPage second = deliveries().page(page.nextCursor(), 100);

    assertThat(page.nextCursor()).isEqualTo("v1_22451237889==");
    assertThat(page.deliveries())
        .containsExactly(
            new Delivery(
                22451237891L,
                "0b989ba4-242f-11e5-81e1-c7b6966d2516",
                Instant.parse("2026-03-02T09:58:16Z"),
                false,
                502,
                "workflow_job",
                "queued"),
            new Delivery(
                22451237890L,
                "1c6f3f14-242f-11e5-81e1-c7b6966d2516",
                Instant.parse("2026-03-02T09:57:00Z"),
                true,
                200,
                "installation",
                null));
    assertThat(second).isInstanceOf(DeliveryPage.Page.class);
    DeliveryPage.Page last = (DeliveryPage.Page) second;
    assertThat(last.nextCursor()).isNull();
    assertThat(last.deliveries())
        .singleElement()
        .satisfies(d -> assertThat(d.statusCode()).isZero());
    github.verify(
        getRequestedFor(urlPathEqualTo(DELIVERIES)).withQueryParam("per_page", equalTo("100")));
  }

  @Test
  void page_isAuthenticatedAsTheAppWithAJwt() {
    github.stubFor(get(urlPathEqualTo(DELIVERIES)).willReturn(json(200, "[]")));

    assertThat(deliveries().page(null, 100)).isEqualTo(new DeliveryPage.Page(List.of(), null));

    LoggedRequest request = github.findAll(getRequestedFor(urlPathEqualTo(DELIVERIES))).get(0);
    Jwts.Decoded jwt =
        Jwts.decode(Jwts.bearer(request.getHeader("Authorization")), KEYS.getPublic());
    assertThat(jwt.signatureValid()).isTrue();
    assertThat(jwt.claims().path("iss").asText()).isEqualTo(Long.toString(APP_ID));
    // No installation token was bought: /app endpoints take the App's own JWT.
    github.verify(0, postRequestedFor(urlPathEqualTo("/app/installations/7001/access_tokens")));
  }

  @Test
  void pages_withinAMinute_shareOneJwt_andALaterPageHasANewOne() {
    github.stubFor(get(urlPathEqualTo(DELIVERIES)).willReturn(json(200, "[]")));
    GitHubDeliveries deliveries = deliveries();

    deliveries.page(null, 100);
    bed.clock.advance(AppJwt.REUSE.minusSeconds(1));
    deliveries.page(null, 100);
    bed.clock.advance(java.time.Duration.ofSeconds(1));
    deliveries.page(null, 100);

    List<String> jwts =
        github.findAll(getRequestedFor(urlPathEqualTo(DELIVERIES))).stream()
            .map(r -> Jwts.bearer(r.getHeader("Authorization")))
            .toList();
    assertThat(jwts).hasSize(3);
    assertThat(jwts.get(1)).as("one RSA signature for the minute").isEqualTo(jwts.get(0));
    assertThat(jwts.get(2)).isNotEqualTo(jwts.get(0));
    assertThat(Jwts.decode(jwts.get(2), KEYS.getPublic()).signatureValid()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503})
  void page_whenGitHubFailsWith5xx_isRetryLater(int status) {
    github.stubFor(get(urlPathEqualTo(DELIVERIES)).willReturn(error(status, "Server Error")));

    assertThat(deliveries().page(null, 100)).isInstanceOf(DeliveryPage.RetryLater.class);
  }

  @Test
  void page_whenRateLimited_isRetryLater() {
    github.stubFor(
        get(urlPathEqualTo(DELIVERIES))
            .willReturn(error(429, "Too Many Requests").withHeader("Retry-After", "600")));

    assertThat(deliveries().page(null, 100)).isInstanceOf(DeliveryPage.RetryLater.class);
  }

  @Test
  void page_whenSecondaryRateLimited_isRetryLater() {
    github.stubFor(
        get(urlPathEqualTo(DELIVERIES))
            .willReturn(
                error(403, "You have exceeded a secondary rate limit")
                    .withHeader("Retry-After", "600")));

    assertThat(deliveries().page(null, 100)).isInstanceOf(DeliveryPage.RetryLater.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404, 422})
  void page_whenRefused_isRefused(int status) {
    github.stubFor(get(urlPathEqualTo(DELIVERIES)).willReturn(error(status, "Refused")));

    assertThat(deliveries().page("v1_stale", 100)).isInstanceOf(DeliveryPage.Refused.class);
  }

  @Test
  void redeliver_whenGitHubAccepts_isAccepted() {
    github.stubFor(post(urlPathEqualTo(ATTEMPTS)).willReturn(json(202, "{}")));

    assertThat(deliveries().redeliver(22451237891L)).isEqualTo(RedeliverResult.ACCEPTED);

    LoggedRequest request = github.findAll(postRequestedFor(urlPathEqualTo(ATTEMPTS))).get(0);
    assertThat(
            Jwts.decode(Jwts.bearer(request.getHeader("Authorization")), KEYS.getPublic())
                .signatureValid())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 422})
  void redeliver_whenRefused_isRefused(int status) {
    github.stubFor(post(urlPathEqualTo(ATTEMPTS)).willReturn(error(status, "Validation Failed")));

    assertThat(deliveries().redeliver(22451237891L)).isEqualTo(RedeliverResult.REFUSED);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 503})
  void redeliver_whenThrottledOrUnavailable_isRetryLater(int status) {
    github.stubFor(
        post(urlPathEqualTo(ATTEMPTS))
            .willReturn(error(status, "Try later").withHeader("Retry-After", "600")));

    assertThat(deliveries().redeliver(22451237891L)).isEqualTo(RedeliverResult.RETRY_LATER);
  }

  @Test
  void logsAndReasons_neverHoldTheJwtOrTheKey() {
    github.stubFor(get(urlPathEqualTo(DELIVERIES)).willReturn(error(401, "Bad credentials")));
    github.stubFor(post(urlPathEqualTo(ATTEMPTS)).willReturn(aResponse().withStatus(502)));

    List<String> lines;
    DeliveryPage refused;
    try (CapturedLogs logs = CapturedLogs.start()) {
      refused = deliveries().page(null, 100);
      deliveries().redeliver(22451237891L);
      lines = logs.lines();
    }

    List<String> jwts =
        github.findAll(getRequestedFor(urlPathEqualTo(DELIVERIES))).stream()
            .map(r -> Jwts.bearer(r.getHeader("Authorization")))
            .toList();
    assertThat(jwts).isNotEmpty();
    String reason = ((DeliveryPage.Refused) refused).reason();
    assertThat(reason).contains("401").contains("Bad credentials");
    assertThat(lines).anyMatch(l -> l.contains("401")).anyMatch(l -> l.contains("502"));
    for (String jwt : jwts) {
      String signature = jwt.substring(jwt.lastIndexOf('.') + 1);
      assertThat(reason).doesNotContain(jwt).doesNotContain(signature);
      assertThat(lines).noneMatch(l -> l.contains(jwt)).noneMatch(l -> l.contains(signature));
    }
    assertThat(lines).noneMatch(l -> l.contains("PRIVATE KEY"));
    for (String keyLine : TestKeys.pemBodyLines(GitHubTestBed.PEM)) {
      assertThat(lines).noneMatch(l -> l.contains(keyLine));
    }
  }

  @Test
  void nextCursor_isNullWithoutANextLink() {
    assertThat(
            GitHubAppDeliveries.nextCursor(
                java.net.http.HttpHeaders.of(
                    java.util.Map.of(
                        "link",
                        List.of(
                            "<https://api.github.com/app/hook/deliveries?cursor=a>; rel=\"prev\","
                                + " <https://api.github.com/app/hook/deliveries?cursor=b>;"
                                + " rel=\"first\"")),
                    (a, b) -> true)))
        .isNull();
  }
}
