package dev.runfleet.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitHubAppParametersTest {

  @Test
  void names_areTheContractSharedWithTerraform() {
    assertThat(GitHubAppParameters.appId("prod")).isEqualTo("/runfleet-github/prod/app-id");
    assertThat(GitHubAppParameters.webhookSecret("prod"))
        .isEqualTo("/runfleet-github/prod/webhook-secret");
    assertThat(GitHubAppParameters.privateKey("prod"))
        .isEqualTo("/runfleet-github/prod/private-key");
    assertThat(GitHubAppParameters.all("prod"))
        .containsExactly(
            "/runfleet-github/prod/app-id",
            "/runfleet-github/prod/webhook-secret",
            "/runfleet-github/prod/private-key");
  }

  @Test
  void names_stayOutsideTheRuntimeParametersPath() {
    for (String name : GitHubAppParameters.all("dev")) {
      assertThat(name).doesNotStartWith(RuntimeParameters.prefix("dev"));
    }
  }
}
