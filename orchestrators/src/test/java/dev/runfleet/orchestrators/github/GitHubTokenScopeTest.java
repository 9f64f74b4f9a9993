package dev.runfleet.orchestrators.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.runfleet.orchestrators.github.GitHubTestBed.INSTALLATION;
import static dev.runfleet.orchestrators.github.GitHubTestBed.ORG;
import static dev.runfleet.orchestrators.github.GitHubTestBed.REPO;
import static dev.runfleet.orchestrators.github.GitHubTestBed.TOKEN;
import static dev.runfleet.orchestrators.github.GitHubTestBed.jit;
import static dev.runfleet.orchestrators.github.GitHubTestBed.jitMinted;
import static dev.runfleet.orchestrators.github.GitHubTestBed.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Installation tokens are asked for the one permission their use needs, so a token that leaks from
 * one call cannot do what another call does.
 */
class GitHubTokenScopeTest {

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String TOKENS = "/app/installations/" + INSTALLATION + "/access_tokens";
  private static final ObjectMapper JSON = new ObjectMapper();

  private GitHubTestBed bed;

  @BeforeEach
  void setUp() {
    bed = new GitHubTestBed(github);
    bed.stubToken("", INSTALLATION, TOKEN);
  }

  @Test
  void jitConfig_forOrganization_asksForSelfHostedRunnersWriteOnly() throws Exception {
    github.stubFor(
        post(urlPathEqualTo("/orgs/octo-org/actions/runners/generate-jitconfig"))
            .willReturn(jitMinted(23, "rf-1")));

    bed.client().createJitConfig(jit("rf-1", ORG));

    assertThat(permissionsAskedFor())
        .containsExactly("{\"organization_self_hosted_runners\":\"write\"}");
  }

  @Test
  void jitConfig_forRepository_asksForAdministrationWriteOnly() throws Exception {
    github.stubFor(
        post(urlPathEqualTo("/repos/octocat/hello-world/actions/runners/generate-jitconfig"))
            .willReturn(jitMinted(24, "rf-2")));

    bed.client().createJitConfig(jit("rf-2", REPO));

    assertThat(permissionsAskedFor()).containsExactly("{\"administration\":\"write\"}");
  }

  @Test
  void jobLookup_asksForActionsReadOnly_andNeverReusesTheRunnersToken() throws Exception {
    github.stubFor(
        delete(urlPathEqualTo("/repos/octocat/hello-world/actions/runners/23"))
            .willReturn(aResponse().withStatus(204)));
    github.stubFor(
        get(urlPathEqualTo("/repos/octocat/hello-world/actions/jobs/29679449"))
            .willReturn(json(200, "{\"id\":29679449,\"status\":\"queued\"}")));
    GitHubAppClient client = bed.client();

    client.deleteRunner(REPO, 23);
    client.job(REPO, 29679449);
    client.deleteRunner(REPO, 23);

    // One token per use, each cached for its own use.
    assertThat(permissionsAskedFor())
        .containsExactly("{\"administration\":\"write\"}", "{\"actions\":\"read\"}");
  }

  private static List<String> permissionsAskedFor() throws Exception {
    List<String> asked = new ArrayList<>();
    for (var request : github.findAll(postRequestedFor(urlPathEqualTo(TOKENS)))) {
      JsonNode body = JSON.readTree(request.getBodyAsString());
      asked.add(body.path("permissions").toString());
    }
    return asked;
  }
}
