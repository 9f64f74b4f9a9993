package dev.runfleet.orchestrators.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff.RemoveResult;
import dev.runfleet.common.port.JitHandOff.StoreResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

class SecretsManagerJitHandOffTest {

  private static final String RUNNER = "rf-fargate-42-1-1";
  private static final JitConfig CONFIG = new JitConfig(7, "ZW5jb2RlZC1qaXQtY29uZmln");

  private final FakeSecretsManager secrets = new FakeSecretsManager();
  private final SecretsManagerJitHandOff handOff =
      new SecretsManagerJitHandOff(secrets, "runfleet/test/jit/", "alias/runfleet", "test");

  @Test
  void reference_isPrefixPlatformRunner_withoutDoubleSlash() {
    assertThat(handOff.reference("fargate", RUNNER))
        .isEqualTo("runfleet/test/jit/fargate/" + RUNNER);
  }

  @Test
  void store_createsTheSecret_taggedAndEncryptedWithTheConfiguredKey() {
    String ref = handOff.reference("fargate", RUNNER);

    StoreResult result = handOff.store(ref, RUNNER, CONFIG);

    assertThat(result).isEqualTo(new StoreResult.Stored(ref));
    assertThat(secrets.secrets).containsEntry(ref, CONFIG.encodedConfig());
    CreateSecretRequest create = (CreateSecretRequest) secrets.requests.get(0);
    assertThat(create.kmsKeyId()).isEqualTo("alias/runfleet");
    assertThat(create.tags())
        .extracting(t -> t.key() + "=" + t.value())
        .contains("runfleet:runner=" + RUNNER, "runfleet:stage=test");
    assertThat(create.description()).doesNotContain(CONFIG.encodedConfig());
  }

  @Test
  void store_whenTheSecretExistsFromAnEarlierAttempt_replacesItsValue() {
    String ref = handOff.reference("fargate", RUNNER);
    secrets.secrets.put(ref, "old-unused-config");

    StoreResult result = handOff.store(ref, RUNNER, CONFIG);

    assertThat(result).isEqualTo(new StoreResult.Stored(ref));
    assertThat(secrets.secrets).containsEntry(ref, CONFIG.encodedConfig());
  }

  @Test
  void store_whileThePreviousSecretIsBeingDeleted_retriesLater() {
    secrets.failures.add(
        InvalidRequestException.builder()
            .statusCode(400)
            .message(
                "You can't create this secret because a secret with this name is already"
                    + " scheduled for deletion.")
            .build());

    StoreResult result = handOff.store(handOff.reference("fargate", RUNNER), RUNNER, CONFIG);

    assertThat(result).isInstanceOf(StoreResult.RetryLater.class);
  }

  @Test
  void store_whenThrottledOrUnreachable_retriesLater() {
    secrets.failures.add(FakeSecretsManager.error(400, "ThrottlingException"));
    secrets.failures.add(SdkClientException.create("connect timed out"));

    assertThat(handOff.store("a", RUNNER, CONFIG)).isInstanceOf(StoreResult.RetryLater.class);
    assertThat(handOff.store("a", RUNNER, CONFIG)).isInstanceOf(StoreResult.RetryLater.class);
  }

  @Test
  void store_whenAccessIsDenied_isRejected_withoutTheConfigInTheReason() {
    secrets.failures.add(FakeSecretsManager.error(400, "AccessDeniedException"));

    StoreResult result = handOff.store("a", RUNNER, CONFIG);

    assertThat(result).isInstanceOf(StoreResult.Rejected.class);
    assertThat(((StoreResult.Rejected) result).reason())
        .contains("AccessDeniedException")
        .doesNotContain(CONFIG.encodedConfig());
  }

  @Test
  void remove_deletesAtOnceWithoutRecoveryWindow() {
    String ref = handOff.reference("fargate", RUNNER);
    handOff.store(ref, RUNNER, CONFIG);

    assertThat(handOff.remove(ref)).isEqualTo(RemoveResult.REMOVED);
    assertThat(secrets.secrets).doesNotContainKey(ref);
    DeleteSecretRequest delete = (DeleteSecretRequest) secrets.requests.get(1);
    assertThat(delete.forceDeleteWithoutRecovery()).isTrue();
  }

  @Test
  void remove_whenTheRunnerAlreadyTookIt_isRemoved() {
    assertThat(handOff.remove("runfleet/test/jit/fargate/gone")).isEqualTo(RemoveResult.REMOVED);
  }

  @Test
  void remove_whenThrottled_retriesLater() {
    secrets.failures.add(FakeSecretsManager.error(400, "ThrottlingException"));

    assertThat(handOff.remove("x")).isEqualTo(RemoveResult.RETRY_LATER);
  }
}
