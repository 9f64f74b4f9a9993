package dev.runfleet.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.common.config.Env;
import dev.runfleet.common.domain.PlatformCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put(ProducerConfig.ENV_TABLE, "jobs");
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET, "s3cr3t-value");
    return env;
  }

  @Test
  void from_minimalEnvironment_appliesDefaults() {
    ProducerConfig config = ProducerConfig.from(minimal());

    assertThat(config.table()).isEqualTo("jobs");
    assertThat(config.webhookSecret())
        .isEqualTo(new ProducerConfig.SecretSource.Plain("s3cr3t-value"));
    assertThat(config.previousWebhookSecret()).isEmpty();
    assertThat(config.maxBodyBytes()).isEqualTo(1_048_576);
    assertThat(config.platforms().names()).isEqualTo(PlatformCatalog.defaults().names());
    assertThat(config.aws().region()).isEqualTo("us-east-1");
    assertThat(config.aws().endpointOverride()).isEmpty();
    assertThat(config.readsSecretsFromSsm()).isFalse();
  }

  @Test
  void from_whenEverythingMissing_namesEveryProblemInOneMessage() {
    assertThatThrownBy(() -> ProducerConfig.from(Map.of(ProducerConfig.ENV_MAX_BODY_BYTES, "ten")))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessageContaining(ProducerConfig.ENV_TABLE)
        .hasMessageContaining(ProducerConfig.ENV_WEBHOOK_SECRET)
        .hasMessageContaining(ProducerConfig.ENV_WEBHOOK_SECRET_PARAM)
        .hasMessageContaining(ProducerConfig.ENV_MAX_BODY_BYTES);
  }

  @Test
  void from_whenBothSecretSourcesSet_refuses() {
    Map<String, String> env = minimal();
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET_PARAM, "/runfleet/webhook-secret");
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET_PREVIOUS, "old");
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET_PREVIOUS_PARAM, "/runfleet/old");

    assertThatThrownBy(() -> ProducerConfig.from(env))
        .hasMessageContaining(
            "set only one of RUNFLEET_WEBHOOK_SECRET and RUNFLEET_WEBHOOK_SECRET_PARAM")
        .hasMessageContaining(
            "set only one of RUNFLEET_WEBHOOK_SECRET_PREVIOUS and RUNFLEET_WEBHOOK_SECRET_PREVIOUS_PARAM")
        .hasMessageNotContaining("s3cr3t-value");
  }

  @Test
  void from_ssmParameters_areReadAtStart() {
    Map<String, String> env = minimal();
    env.remove(ProducerConfig.ENV_WEBHOOK_SECRET);
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET_PARAM, "/runfleet/webhook-secret");
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET_PREVIOUS, "old-plain");

    ProducerConfig config = ProducerConfig.from(env);

    assertThat(config.webhookSecret())
        .isEqualTo(new ProducerConfig.SecretSource.SsmParameter("/runfleet/webhook-secret"));
    assertThat(config.previousWebhookSecret())
        .isEqualTo(Optional.of(new ProducerConfig.SecretSource.Plain("old-plain")));
    assertThat(config.readsSecretsFromSsm()).isTrue();
    assertThat(config.webhookSecret().resolve(name -> "value of " + name))
        .isEqualTo("value of /runfleet/webhook-secret");
  }

  @Test
  void toString_masksSecretsButNamesParameters() {
    Map<String, String> env = minimal();
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET_PREVIOUS_PARAM, "/runfleet/old-secret");

    String text = ProducerConfig.from(env).toString();

    assertThat(text)
        .doesNotContain("s3cr3t-value")
        .contains("plain(****)")
        .contains("ssm(/runfleet/old-secret)")
        .contains("table=jobs");
    assertThat(new ProducerConfig.SecretSource.Plain("s3cr3t-value").toString())
        .doesNotContain("s3cr3t-value");
  }

  @Test
  void from_platformsJson_replacesDefaults() {
    Map<String, String> env = minimal();
    env.put(
        ProducerConfig.ENV_PLATFORMS,
        "[{\"name\":\"k8s\",\"labels\":[\"self-hosted\",\"k8s\"],\"hostKind\":\"ECS_FARGATE\","
            + "\"arch\":\"x64\",\"cap\":3}]");
    env.put(ProducerConfig.ENV_MAX_BODY_BYTES, "2048");

    ProducerConfig config = ProducerConfig.from(env);

    assertThat(config.platforms().names()).containsExactly("k8s");
    assertThat(config.maxBodyBytes()).isEqualTo(2048);
  }

  @Test
  void from_invalidPlatformsJson_isAProblem() {
    Map<String, String> env = minimal();
    env.put(ProducerConfig.ENV_PLATFORMS, "{not json");
    env.put(ProducerConfig.ENV_MAX_BODY_BYTES, "999999999");

    assertThatThrownBy(() -> ProducerConfig.from(env))
        .hasMessageContaining(ProducerConfig.ENV_PLATFORMS + " is invalid")
        .hasMessageContaining(ProducerConfig.ENV_MAX_BODY_BYTES + " must be between");
  }

  @Test
  void keys_listEveryProducerKey() {
    assertThat(ProducerConfig.KEYS)
        .containsExactlyInAnyOrder(
            "RUNFLEET_TABLE",
            "RUNFLEET_WEBHOOK_SECRET",
            "RUNFLEET_WEBHOOK_SECRET_PARAM",
            "RUNFLEET_WEBHOOK_SECRET_PREVIOUS",
            "RUNFLEET_WEBHOOK_SECRET_PREVIOUS_PARAM",
            "RUNFLEET_PLATFORMS",
            "RUNFLEET_MAX_BODY_BYTES",
            "RUNFLEET_STAGE",
            "RUNFLEET_PARAMETER_CACHE_SECONDS",
            "RUNFLEET_MAX_EVENT_AGE_SECONDS",
            "RUNFLEET_HOOK_RANGES_PARAMETER");
  }

  @Test
  void hookRangesParameter_isOffUnlessSet() {
    assertThat(ProducerConfig.from(minimal()).hookRangesParameter()).isEmpty();

    Map<String, String> env = minimal();
    env.put(ProducerConfig.ENV_HOOK_RANGES_PARAMETER, "/runfleet-github/prod/hook-ranges");
    ProducerConfig config = ProducerConfig.from(env);

    assertThat(config.hookRangesParameter()).contains("/runfleet-github/prod/hook-ranges");
    assertThat(config.toString()).contains("hookRanges=ssm(/runfleet-github/prod/hook-ranges)");
  }

  @Test
  void stageAndParameterCache_defaultToDevAndFiveSeconds_andAreValidatedWithTheRest() {
    ProducerConfig config = ProducerConfig.from(minimal());
    assertThat(config.stage()).isEqualTo("dev");
    assertThat(config.parameterCache()).hasSeconds(5);

    Map<String, String> env = new java.util.HashMap<>(minimal());
    env.put(ProducerConfig.ENV_STAGE, "no spaces");
    env.put(ProducerConfig.ENV_PARAMETER_CACHE_SECONDS, "-1");
    assertThatThrownBy(() -> ProducerConfig.from(env))
        .hasMessageContaining(ProducerConfig.ENV_STAGE)
        .hasMessageContaining(ProducerConfig.ENV_PARAMETER_CACHE_SECONDS);
  }
}
