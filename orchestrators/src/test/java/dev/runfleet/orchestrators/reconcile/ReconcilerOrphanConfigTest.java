package dev.runfleet.orchestrators.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The orphan sweep's keys in the reconciler's configuration. */
class ReconcilerOrphanConfigTest {

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put(ReconcilerConfig.ENV_TABLE, "runfleet-test-jobs");
    env.put(ReconcilerConfig.ENV_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:commands");
    return env;
  }

  private static Map<String, String> withApp(Map<String, String> env) {
    env.put(ReconcilerConfig.ENV_GITHUB_APP_ID, "12345");
    env.put(
        ReconcilerConfig.ENV_GITHUB_PRIVATE_KEY_ARN,
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/app-key-AbCdEf");
    return env;
  }

  @Test
  void orphanSweep_defaultsToEveryTenMinutes_withTenMinutesGrace() {
    ReconcilerConfig config = ReconcilerConfig.from(env());

    assertThat(config.orphans()).isEqualTo(OrphanSettings.defaults());
    assertThat(config.orphans().every()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.jitSecretPrefix()).isNull();
  }

  @Test
  void orphanSweep_zeroTurnsItOff_andTheGraceIsRead() {
    Map<String, String> env = env();
    env.put(ReconcilerConfig.ENV_ORPHAN_SWEEP_SECONDS, "0");
    env.put(ReconcilerConfig.ENV_ORPHAN_GRACE_SECONDS, "900");

    ReconcilerConfig config = ReconcilerConfig.from(env);

    assertThat(config.orphans().off()).isTrue();
    assertThat(config.orphans().grace()).isEqualTo(Duration.ofSeconds(900));
  }

  @Test
  void withTheApp_theSecretPrefixIsRequired_andEveryProblemIsNamedAtOnce() {
    Map<String, String> env = withApp(env());
    env.put(ReconcilerConfig.ENV_ORPHAN_GRACE_SECONDS, "0");

    assertThatThrownBy(() -> ReconcilerConfig.from(env))
        .hasMessageContaining(ReconcilerConfig.ENV_JIT_SECRET_PREFIX)
        .hasMessageContaining(ReconcilerConfig.ENV_ORPHAN_GRACE_SECONDS);
  }

  @Test
  void withTheApp_andItsSecretPrefix_theConfigurationHoldsIt() {
    Map<String, String> env = withApp(env());
    env.put(ReconcilerConfig.ENV_JIT_SECRET_PREFIX, "runfleet/test/jit");

    assertThat(ReconcilerConfig.from(env).jitSecretPrefix()).isEqualTo("runfleet/test/jit");
    assertThat(ReconcilerConfig.from(env).toString())
        .contains("orphans=")
        .contains("runfleet/test/jit");
  }
}
