package dev.runfleet.orchestrators.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GitHubAppSettingsTest {

  @Test
  void of_defaultsToGitHubComWithDefaultGroupAndTwoSecondInCallWait() {
    GitHubAppSettings settings = GitHubAppSettings.of(4242);

    assertThat(settings.apiBaseUrl()).isEqualTo(URI.create("https://api.github.com"));
    assertThat(settings.runnerGroupId()).isEqualTo(1);
    assertThat(settings.maxInCallWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.httpTimeout()).isLessThan(settings.callBudget());
  }

  @Test
  void apiBaseUrl_dropsTrailingSlashOfEnterpriseServerUrl() {
    GitHubAppSettings settings =
        GitHubAppSettings.of(4242).withApiBaseUrl(URI.create("https://ghe.example.com/api/v3/"));

    assertThat(settings.apiBaseUrl()).isEqualTo(URI.create("https://ghe.example.com/api/v3"));
  }

  @Test
  void settings_refuseNonsense() {
    assertThatThrownBy(() -> GitHubAppSettings.of(0)).hasMessageContaining("appId");
    assertThatThrownBy(
            () -> GitHubAppSettings.of(1).withApiBaseUrl(URI.create("ftp://ghe.example.com")))
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> GitHubAppSettings.of(1).withRunnerGroupId(0))
        .hasMessageContaining("runnerGroupId");
    assertThatThrownBy(() -> GitHubAppSettings.of(1).withCallBudget(Duration.ZERO))
        .hasMessageContaining("callBudget");
  }
}
