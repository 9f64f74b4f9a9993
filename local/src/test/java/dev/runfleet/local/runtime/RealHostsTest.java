package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RealHostsTest {

  @Test
  void environment_keepsOnlyTheTableLocal_andEverythingElseOnRealAws() {
    Map<String, String> process =
        Map.of(
            "AWS_REGION", "eu-west-1",
            "RUNFLEET_GITHUB_APP_ID", "4242",
            "RUNFLEET_AWS_ENDPOINT_SSM", "http://stale:1");
    Map<String, String> local =
        Map.of(
            "AWS_REGION", "us-east-1",
            "RUNFLEET_AWS_ENDPOINT", "http://127.0.0.1:8000",
            "RUNFLEET_AWS_ENDPOINT_SNS", "http://127.0.0.1:9",
            "RUNFLEET_AWS_ENDPOINT_SSM", "http://127.0.0.1:8080",
            "RUNFLEET_TABLE", "runfleet-local",
            "RUNFLEET_PLATFORMS", "[]");

    Map<String, String> env = RealHosts.environment(process, local, "fargate");

    assertThat(env)
        .containsEntry("RUNFLEET_AWS_ENDPOINT_DYNAMODB", "http://127.0.0.1:8000")
        .containsEntry("RUNFLEET_TABLE", "runfleet-local")
        .containsEntry("RUNFLEET_PLATFORM", "fargate")
        .containsEntry("AWS_REGION", "eu-west-1")
        .containsEntry("RUNFLEET_GITHUB_APP_ID", "4242")
        .doesNotContainKeys(
            "RUNFLEET_AWS_ENDPOINT", "RUNFLEET_AWS_ENDPOINT_SSM", "RUNFLEET_AWS_ENDPOINT_SNS");
  }
}
