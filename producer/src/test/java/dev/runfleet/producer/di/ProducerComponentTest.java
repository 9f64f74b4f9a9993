package dev.runfleet.producer.di;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.emulators.SsmStub;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.intake.WebhookIntake;
import dev.runfleet.producer.intake.WebhookRequest;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Dagger graph reads its webhook secrets from SSM once, at construction. */
class ProducerComponentTest {

  private SsmStub ssm;

  @BeforeEach
  void start() throws Exception {
    ssm = new SsmStub().put("/runfleet/current", "new secret").put("/runfleet/previous", "old");
  }

  @AfterEach
  void stop() {
    ssm.close();
  }

  private ProducerConfig config(Map<String, String> secrets) {
    Map<String, String> env = new java.util.HashMap<>(secrets);
    env.put(ProducerConfig.ENV_TABLE, "jobs-unused");
    env.put("RUNFLEET_AWS_ENDPOINT_SSM", ssm.endpoint().toString());
    return ProducerConfig.from(env);
  }

  private static int ping(WebhookIntake intake, String secret) {
    byte[] body = Fixtures.bytes(Fixtures.PING);
    return intake
        .handle(
            new WebhookRequest(
                Webhooks.headers("ping", body, secret),
                new String(body, StandardCharsets.UTF_8),
                false))
        .statusCode();
  }

  @Test
  void component_withSsmSecrets_acceptsCurrentAndPrevious() {
    ProducerComponent component =
        ProducerComponent.create(
            config(
                Map.of(
                    ProducerConfig.ENV_WEBHOOK_SECRET_PARAM, "/runfleet/current",
                    ProducerConfig.ENV_WEBHOOK_SECRET_PREVIOUS_PARAM, "/runfleet/previous")));
    WebhookIntake intake = component.intake();

    assertThat(ping(intake, "new secret")).isEqualTo(200);
    assertThat(ping(intake, "old")).isEqualTo(200);
    assertThat(ping(intake, "/runfleet/current")).isEqualTo(401);
    assertThat(ssm.requests).hasSize(2);
  }

  private static int pingFrom(WebhookIntake intake, String sourceIp) {
    byte[] body = Fixtures.bytes(Fixtures.PING);
    return intake
        .handle(
            new WebhookRequest(
                Webhooks.headers("ping", body, "new secret"),
                new String(body, StandardCharsets.UTF_8),
                false,
                sourceIp))
        .statusCode();
  }

  private WebhookIntake guarded() {
    return ProducerComponent.create(
            config(
                Map.of(
                    ProducerConfig.ENV_WEBHOOK_SECRET_PARAM, "/runfleet/current",
                    ProducerConfig.ENV_HOOK_RANGES_PARAMETER, "/runfleet-github/t/hook-ranges",
                    ProducerConfig.ENV_PARAMETER_CACHE_SECONDS, "0")))
        .intake();
  }

  @Test
  void component_withHookRangesParameter_admitsGitHubsRangesOnly() {
    ssm.put("/runfleet-github/t/hook-ranges", "192.30.252.0/22,2a0a:a440::/29");
    WebhookIntake intake = guarded();

    assertThat(pingFrom(intake, "192.30.252.7")).isEqualTo(200);
    assertThat(pingFrom(intake, "2a0a:a440::7")).isEqualTo(200);
    assertThat(pingFrom(intake, "203.0.113.9")).isEqualTo(403);
  }

  @Test
  void component_whileHookRangesParameterIsMissingOrEmpty_answers503ToEveryone() {
    WebhookIntake intake = guarded();

    assertThat(pingFrom(intake, "192.30.252.7")).isEqualTo(503);
    ssm.put("/runfleet-github/t/hook-ranges", " ");
    assertThat(pingFrom(intake, "192.30.252.7")).isEqualTo(503);
    ssm.put("/runfleet-github/t/hook-ranges", "192.30.252.0/22");
    assertThat(pingFrom(intake, "192.30.252.7")).isEqualTo(200);
  }

  @Test
  void component_whenHookRangesTurnInvalid_keepsTheLastGoodList() {
    ssm.put("/runfleet-github/t/hook-ranges", "192.30.252.0/22");
    WebhookIntake intake = guarded();
    assertThat(pingFrom(intake, "192.30.252.7")).isEqualTo(200);

    ssm.put("/runfleet-github/t/hook-ranges", "0.0.0.0/0,not a range");

    assertThat(pingFrom(intake, "192.30.252.7")).isEqualTo(200);
    assertThat(pingFrom(intake, "203.0.113.9")).isEqualTo(403);
  }

  @Test
  void component_readsSsmOnceNotPerWebhook() {
    WebhookIntake intake =
        ProducerComponent.create(
                config(Map.of(ProducerConfig.ENV_WEBHOOK_SECRET_PARAM, "/runfleet/current")))
            .intake();
    int before = ssm.requests.size();

    for (int i = 0; i < 5; i++) {
      assertThat(ping(intake, "new secret")).isEqualTo(200);
    }

    assertThat(ssm.requests).hasSize(before).hasSize(1);
  }

  @Test
  void component_whenSecretParameterMissing_failsAtStart() {
    ProducerComponent component =
        ProducerComponent.create(
            config(Map.of(ProducerConfig.ENV_WEBHOOK_SECRET_PARAM, "/runfleet/absent")));

    assertThatThrownBy(component::intake)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/runfleet/absent");
  }
}
