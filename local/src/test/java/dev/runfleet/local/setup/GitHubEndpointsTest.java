package dev.runfleet.local.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GitHubEndpointsTest {

  @Test
  void githubDotCom_usesApiGithubCom_andAppsPaths() {
    GitHubEndpoints github =
        GitHubEndpoints.of(URI.create("https://github.com/"), Optional.empty());

    assertThat(github.web()).hasToString("https://github.com");
    assertThat(github.api()).hasToString("https://api.github.com");
    assertThat(github.installation("runfleet-dev"))
        .hasToString("https://github.com/apps/runfleet-dev/installations/new");
    assertThat(github.newApp(AppOwner.organisation("octo-org"), "s1"))
        .hasToString("https://github.com/organizations/octo-org/settings/apps/new?state=s1");
  }

  @Test
  void enterpriseServer_usesApiV3_andGithubAppsPaths() {
    GitHubEndpoints github =
        GitHubEndpoints.of(URI.create("https://ghe.example.com"), Optional.empty());

    assertThat(github.api()).hasToString("https://ghe.example.com/api/v3");
    assertThat(github.appPage("runfleet-prod"))
        .hasToString("https://ghe.example.com/github-apps/runfleet-prod");
    assertThat(github.installation("runfleet-prod"))
        .hasToString("https://ghe.example.com/github-apps/runfleet-prod/installations/new");
  }

  @Test
  void personalAccount_registersOnTheUsersOwnSettings() {
    GitHubEndpoints github = GitHubEndpoints.of(GitHubEndpoints.GITHUB_COM, Optional.empty());

    assertThat(github.newApp(AppOwner.repository("octocat/hello", true), "s"))
        .hasToString("https://github.com/settings/apps/new?state=s");
    assertThat(github.newApp(AppOwner.repository("octo-org/hello", false), "s"))
        .hasToString("https://github.com/organizations/octo-org/settings/apps/new?state=s");
  }

  @Test
  void explicitApiUrl_winsOverTheDerivedOne() {
    GitHubEndpoints github =
        GitHubEndpoints.of(
            GitHubEndpoints.GITHUB_COM, Optional.of(URI.create("http://127.0.0.1:8089/")));

    assertThat(github.api()).hasToString("http://127.0.0.1:8089");
  }

  @Test
  void plainHttp_isRefused_exceptOnThisMachine() {
    assertThatThrownBy(
            () -> GitHubEndpoints.of(URI.create("http://ghe.example.com"), Optional.empty()))
        .hasMessageContaining("must use https");
    assertThatThrownBy(
            () -> GitHubEndpoints.httpsOrLoopback("--webhook-url", URI.create("http://10.0.0.1/")))
        .hasMessageContaining("must use https");
    assertThat(GitHubEndpoints.httpsOrLoopback("--webhook-url", URI.create("http://localhost:1/")))
        .hasToString("http://localhost:1/");
  }

  @Test
  void credentialsInAUrl_areRefused_withoutBeingEchoed() {
    assertThatThrownBy(
            () ->
                GitHubEndpoints.httpsOrLoopback(
                    "--webhook-url", URI.create("https://me:hunter2@example.com/webhook")))
        .hasMessage("--webhook-url must not carry credentials");
  }

  @Test
  void githubUrlWithAPath_isRefused() {
    assertThatThrownBy(
            () -> GitHubEndpoints.of(URI.create("https://github.com/octo-org"), Optional.empty()))
        .hasMessageContaining("without a path");
  }
}
