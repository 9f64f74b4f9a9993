package dev.runfleet.producer.hookranges;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.emulators.SsmStub;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The refresher end to end in one process: GitHub's meta API on WireMock, the parameter in the SSM
 * emulator, reached through the handler's own wiring and the real SDK client.
 */
class HookRangesRefreshTest {

  private static final String PARAMETER = "/runfleet-github/test/hook-ranges";

  /** The shape of GitHub's answer, trimmed to a few of its lists. */
  private static final String META =
      """
      {"verifiable_password_authentication": false,
       "hooks": ["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20",
                 "2a0a:a440::/29", "2606:50c0::/32"],
       "web": ["192.30.252.0/22"], "api": ["192.30.252.0/22"]}
      """;

  private static final String RANGES =
      "192.30.252.0/22,185.199.108.0/22,140.82.112.0/20,143.55.64.0/20,2a0a:a440::/29,"
          + "2606:50c0::/32";

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private SsmStub ssm;
  private SsmClient reader;
  private HookRangesRefreshHandler handler;

  @BeforeEach
  void start() {
    ssm = new SsmStub();
    reader =
        new dev.runfleet.aws.AwsClients(AwsSettings.emulator(ssm.endpoint()))
            .configure(SsmClient.builder())
            .build();
    handler =
        new HookRangesRefreshHandler(
            HookRangesRefreshConfig.from(
                Map.of(
                    HookRangesRefreshConfig.ENV_HOOK_RANGES_PARAMETER,
                    PARAMETER,
                    HookRangesRefreshConfig.ENV_GITHUB_API_URL,
                    github.baseUrl() + "/api/v3",
                    "RUNFLEET_AWS_ENDPOINT_SSM",
                    ssm.endpoint().toString())));
  }

  @AfterEach
  void stop() {
    reader.close();
    ssm.close();
  }

  private String parameter() {
    return reader.getParameter(b -> b.name(PARAMETER)).parameter().value();
  }

  private long version() {
    return reader.getParameter(b -> b.name(PARAMETER)).parameter().version();
  }

  private long puts() {
    return ssm.requests.stream().filter(r -> r.has("Overwrite")).count();
  }

  @Test
  void refresh_whenParameterIsMissing_writesGitHubsHooksAsAStringParameter() {
    github.stubFor(get("/api/v3/meta").willReturn(okJson(META)));

    assertThat(handler.handleRequest(null, null)).isEqualTo("written");

    assertThat(parameter()).isEqualTo(RANGES);
    assertThat(reader.getParameter(b -> b.name(PARAMETER)).parameter().typeAsString())
        .isEqualTo("String");
    github.verify(
        getRequestedFor(urlEqualTo("/api/v3/meta"))
            .withHeader(
                "Accept",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                    "application/vnd.github+json")));
  }

  @Test
  void refresh_whenTheListIsUnchanged_writesNothing() {
    github.stubFor(get("/api/v3/meta").willReturn(okJson(META)));
    ssm.put(PARAMETER, RANGES);
    long before = version();

    assertThat(handler.handleRequest(null, null)).isEqualTo("unchanged");

    assertThat(version()).isEqualTo(before);
    assertThat(puts()).isZero();
  }

  @Test
  void refresh_whenGitHubChangedTheList_overwritesTheParameter() {
    github.stubFor(get("/api/v3/meta").willReturn(okJson(META)));
    ssm.put(PARAMETER, "192.30.252.0/22");

    assertThat(handler.handleRequest(null, null)).isEqualTo("written");

    assertThat(parameter()).isEqualTo(RANGES);
    assertThat(puts()).isEqualTo(1);
  }

  @Test
  void refresh_whenHooksIsEmpty_failsAndKeepsTheOldValue() {
    github.stubFor(get("/api/v3/meta").willReturn(okJson("{\"hooks\": []}")));
    ssm.put(PARAMETER, RANGES);

    assertThatThrownBy(() -> handler.handleRequest(null, null))
        .isInstanceOf(HookRangesRefreshHandler.HookRangesNotRefreshedException.class)
        .hasMessageContaining("empty");

    assertThat(parameter()).isEqualTo(RANGES);
    assertThat(puts()).isZero();
  }

  @Test
  void refresh_whenAnEntryIsNoCidr_failsNamingItAndKeepsTheOldValue() {
    github.stubFor(
        get("/api/v3/meta")
            .willReturn(okJson("{\"hooks\": [\"192.30.252.0/22\", \"0.0.0.0/0 or so\"]}")));
    ssm.put(PARAMETER, RANGES);

    assertThatThrownBy(() -> handler.handleRequest(null, null))
        .hasMessageContaining("entry 2")
        .hasMessageContaining("0.0.0.0/0 or so");

    assertThat(parameter()).isEqualTo(RANGES);
  }

  @Test
  void refresh_whenHooksIsMissingOrNotText_fails() {
    github.stubFor(get("/api/v3/meta").willReturn(okJson("{\"web\": []}")));
    assertThatThrownBy(() -> handler.handleRequest(null, null)).hasMessageContaining("hooks");

    github.stubFor(get("/api/v3/meta").willReturn(okJson("{\"hooks\": [42]}")));
    assertThatThrownBy(() -> handler.handleRequest(null, null)).hasMessageContaining("NUMBER");
    assertThat(puts()).isZero();
  }

  @Test
  void refresh_whenGitHubAnswersAnError_failsAndWritesNothing() {
    github.stubFor(get("/api/v3/meta").willReturn(aResponse().withStatus(403)));

    assertThatThrownBy(() -> handler.handleRequest(null, null)).hasMessageContaining("403");

    assertThat(puts()).isZero();
  }

  @Test
  void config_refusesAPlainHttpGitHubUrlBeyondThisMachine() {
    assertThatThrownBy(
            () ->
                HookRangesRefreshConfig.from(
                    Map.of(
                        HookRangesRefreshConfig.ENV_HOOK_RANGES_PARAMETER,
                        PARAMETER,
                        HookRangesRefreshConfig.ENV_GITHUB_API_URL,
                        "http://github.example")))
        .hasMessageContaining("must be an https URL");
    assertThatThrownBy(() -> HookRangesRefreshConfig.from(Map.of()))
        .hasMessageContaining(HookRangesRefreshConfig.ENV_HOOK_RANGES_PARAMETER + " is missing");
    assertThat(
            HookRangesRefreshConfig.from(
                    Map.of(HookRangesRefreshConfig.ENV_HOOK_RANGES_PARAMETER, PARAMETER))
                .gitHubApiUrl())
        .isEqualTo(URI.create("https://api.github.com"));
  }

  @Test
  void config_readsTheSameParameterKeyAsTheProducer() {
    assertThat(HookRangesRefreshConfig.ENV_HOOK_RANGES_PARAMETER)
        .isEqualTo(dev.runfleet.producer.ProducerConfig.ENV_HOOK_RANGES_PARAMETER);
  }
}
