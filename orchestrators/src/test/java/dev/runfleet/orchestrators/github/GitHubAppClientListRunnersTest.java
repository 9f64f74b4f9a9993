package dev.runfleet.orchestrators.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.runfleet.orchestrators.github.GitHubTestBed.INSTALLATION;
import static dev.runfleet.orchestrators.github.GitHubTestBed.ORG;
import static dev.runfleet.orchestrators.github.GitHubTestBed.REPO;
import static dev.runfleet.orchestrators.github.GitHubTestBed.TOKEN;
import static dev.runfleet.orchestrators.github.GitHubTestBed.bearer;
import static dev.runfleet.orchestrators.github.GitHubTestBed.error;
import static dev.runfleet.orchestrators.github.GitHubTestBed.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.common.port.Listing;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code listRunners} against WireMock serving GitHub's "list self-hosted runners" pages. */
class GitHubAppClientListRunnersTest {

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String ORG_RUNNERS = "/orgs/octo-org/actions/runners";
  private static final String REPO_RUNNERS = "/repos/octocat/hello-world/actions/runners";

  private GitHubTestBed bed;
  private final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void setUp() {
    bed = new GitHubTestBed(github);
    bed.stubToken("", INSTALLATION, TOKEN);
  }

  /** One runner as GitHub's list answers it. */
  private static String runner(long id, String status, boolean busy) {
    return "{\"id\":"
        + id
        + ",\"name\":\"rf-fargate-"
        + id
        + "-1-1\",\"os\":\"linux\",\"status\":\""
        + status
        + "\",\"busy\":"
        + busy
        + ",\"labels\":[{\"id\":5,\"name\":\"self-hosted\",\"type\":\"read-only\"}]}";
  }

  private static String page(int total, int from, int to) {
    return "{\"total_count\":"
        + total
        + ",\"runners\":["
        + IntStream.range(from, to)
            .mapToObj(i -> runner(i + 1, i % 2 == 0 ? "offline" : "online", i == 3))
            .collect(Collectors.joining(","))
        + "]}";
  }

  private void stubPage(String path, int page, String body) {
    github.stubFor(
        get(urlPathEqualTo(path))
            .withQueryParam("per_page", WireMock.equalTo("100"))
            .withQueryParam("page", WireMock.equalTo(Integer.toString(page)))
            .withHeader("Authorization", bearer(TOKEN))
            .willReturn(json(200, body)));
  }

  private boolean counted() {
    calls.incrementAndGet();
    return true;
  }

  @Test
  void listRunners_readsEveryPage_ofAnOrganisation() {
    stubPage(ORG_RUNNERS, 1, page(103, 0, 100));
    stubPage(ORG_RUNNERS, 2, page(103, 100, 103));

    Listing<RunnerLookup.Found> listed = bed.client().listRunners(ORG, this::counted);

    assertThat(listed.complete()).isTrue();
    assertThat(listed.items()).hasSize(103);
    assertThat(calls).hasValue(2);
    assertThat(listed.items().get(0))
        .isEqualTo(new RunnerLookup.Found(1, "rf-fargate-1-1-1", false, false));
    assertThat(listed.items().get(3))
        .isEqualTo(new RunnerLookup.Found(4, "rf-fargate-4-1-1", true, true));
  }

  @Test
  void listRunners_ofARepository_usesTheRepositoryPath() {
    stubPage(REPO_RUNNERS, 1, page(2, 0, 2));

    Listing<RunnerLookup.Found> listed = bed.client().listRunners(REPO, this::counted);

    assertThat(listed.items()).hasSize(2);
    github.verify(1, getRequestedFor(urlPathEqualTo(REPO_RUNNERS)));
  }

  @Test
  void listRunners_whenThePagesRunOut_stopsIncomplete_withWhatItRead() {
    stubPage(ORG_RUNNERS, 1, page(103, 0, 100));
    stubPage(ORG_RUNNERS, 2, page(103, 100, 103));

    Listing<RunnerLookup.Found> listed =
        bed.client().listRunners(ORG, () -> calls.incrementAndGet() <= 1);

    assertThat(listed.complete()).isFalse();
    assertThat(listed.items()).hasSize(100);
    github.verify(1, getRequestedFor(urlPathEqualTo(ORG_RUNNERS)));
  }

  @Test
  void listRunners_whenGitHubFails_isIncomplete() {
    github.stubFor(
        get(urlPathEqualTo(ORG_RUNNERS))
            .willReturn(error(403, "Resource not accessible by integration")));

    Listing<RunnerLookup.Found> listed = bed.client().listRunners(ORG, this::counted);

    assertThat(listed.complete()).isFalse();
    assertThat(listed.items()).isEmpty();
  }

  @Test
  void listRunners_readsARunnerWithoutBusyAsBusy() {
    stubPage(
        ORG_RUNNERS,
        1,
        "{\"total_count\":1,\"runners\":[{\"id\":9,\"name\":\"rf-fargate-9-1-1\",\"status\":\"offline\"}]}");

    assertThat(bed.client().listRunners(ORG, this::counted).items())
        .containsExactly(new RunnerLookup.Found(9, "rf-fargate-9-1-1", false, true));
  }
}
