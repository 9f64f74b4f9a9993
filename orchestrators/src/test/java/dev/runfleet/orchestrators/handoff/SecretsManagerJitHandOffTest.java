package dev.runfleet.orchestrators.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff.BindResult;
import dev.runfleet.common.port.JitHandOff.RemoveResult;
import dev.runfleet.common.port.JitHandOff.StoreResult;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

class SecretsManagerJitHandOffTest {

  private static final String RUNNER = "rf-fargate-42-1-1";
  private static final String ROLE_ID = "AROAEXAMPLEROLEID1234";
  private static final JitConfig CONFIG = new JitConfig(7, "ZW5jb2RlZC1qaXQtY29uZmln");

  private final FakeSecretsManager secrets = new FakeSecretsManager();
  private final SecretsManagerJitHandOff handOff =
      new SecretsManagerJitHandOff(
          secrets, "runfleet/test/jit/", "alias/runfleet", "test", ROLE_ID);

  private String stored(StoreResult result) {
    assertThat(result).isInstanceOf(StoreResult.Stored.class);
    return ((StoreResult.Stored) result).reference();
  }

  @Test
  void store_namesTheSecretPrefixPlatformRunnerAnd128RandomBits() {
    String ref = stored(handOff.store("fargate", RUNNER, CONFIG));

    assertThat(ref).matches("runfleet/test/jit/fargate/" + RUNNER + "/[0-9a-f]{32}");
  }

  @Test
  void store_namesAreUnguessable_notDerivableFromTheRunnerOrJob() {
    Set<String> randomParts = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      FakeSecretsManager fresh = new FakeSecretsManager();
      SecretsManagerJitHandOff another =
          new SecretsManagerJitHandOff(fresh, "runfleet/test/jit", null, "test", ROLE_ID);
      String ref = stored(another.store("fargate", RUNNER, CONFIG));
      randomParts.add(ref.substring(ref.lastIndexOf('/') + 1));
    }
    // The same runner, job and attempt give a different name every time.
    assertThat(randomParts).hasSize(50);
  }

  @Test
  void store_createsTheSecret_taggedAndEncryptedWithTheConfiguredKey() {
    String ref = stored(handOff.store("fargate", RUNNER, CONFIG));

    assertThat(secrets.secrets).containsEntry(ref, CONFIG.encodedConfig());
    CreateSecretRequest create =
        secrets.requests.stream()
            .filter(CreateSecretRequest.class::isInstance)
            .map(CreateSecretRequest.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(create.kmsKeyId()).isEqualTo("alias/runfleet");
    assertThat(create.tags())
        .extracting(t -> t.key() + "=" + t.value())
        .contains("runfleet:runner=" + RUNNER, "runfleet:stage=test")
        .noneMatch(t -> t.startsWith(SecretsManagerJitHandOff.HOST_TAG));
    assertThat(create.description()).doesNotContain(CONFIG.encodedConfig());
  }

  @Test
  void store_whenAnEarlierAttemptLeftASecret_replacesItsValueUnderTheSameName() {
    String first = stored(handOff.store("fargate", RUNNER, new JitConfig(6, "b2xkLXVudXNlZA==")));

    String second = stored(handOff.store("fargate", RUNNER, CONFIG));

    assertThat(second).isEqualTo(first);
    assertThat(secrets.secrets)
        .containsOnlyKeys(first)
        .containsEntry(first, CONFIG.encodedConfig());
  }

  @Test
  void store_doesNotReuseTheSecretOfARunnerWhoseNameStartsTheSame() {
    String other = stored(handOff.store("fargate", RUNNER + "0", CONFIG));

    String mine = stored(handOff.store("fargate", RUNNER, CONFIG));

    assertThat(mine).isNotEqualTo(other);
  }

  @Test
  void store_whileAPreviousSecretIsBeingDeleted_retriesLater() {
    secrets.failures.add(FakeSecretsManager.NONE); // ListSecrets answers
    secrets.failures.add(
        InvalidRequestException.builder()
            .statusCode(400)
            .message("You can't create this secret because it is scheduled for deletion.")
            .build());

    assertThat(handOff.store("fargate", RUNNER, CONFIG)).isInstanceOf(StoreResult.RetryLater.class);
  }

  @Test
  void store_whenThrottledOrUnreachable_retriesLater() {
    secrets.failures.add(FakeSecretsManager.error(400, "ThrottlingException"));
    secrets.failures.add(SdkClientException.create("connect timed out"));

    assertThat(handOff.store("fargate", RUNNER, CONFIG)).isInstanceOf(StoreResult.RetryLater.class);
    assertThat(handOff.store("fargate", RUNNER, CONFIG)).isInstanceOf(StoreResult.RetryLater.class);
  }

  @Test
  void store_whenAccessIsDenied_isRejected_withoutTheConfigInTheReason() {
    secrets.failures.add(FakeSecretsManager.NONE); // ListSecrets answers
    secrets.failures.add(FakeSecretsManager.error(400, "AccessDeniedException"));

    StoreResult result = handOff.store("fargate", RUNNER, CONFIG);

    assertThat(result).isInstanceOf(StoreResult.Rejected.class);
    assertThat(((StoreResult.Rejected) result).reason())
        .contains("AccessDeniedException")
        .doesNotContain(CONFIG.encodedConfig());
  }

  @Test
  void bindToHost_ecsTask_tagsRoleIdAndTaskId_theTaskRoleSessionsAwsUserid() {
    String ref = stored(handOff.store("fargate", RUNNER, CONFIG));

    BindResult bound =
        handOff.bindToHost(ref, "arn:aws:ecs:eu-west-1:123456789012:task/runfleet/0123abcd4567ef");

    assertThat(bound).isEqualTo(BindResult.BOUND);
    assertThat(secrets.tag(ref, "runfleet:host")).isEqualTo(ROLE_ID + ":0123abcd4567ef");
  }

  @Test
  void bindToHost_ec2Instance_tagsRoleIdAndInstanceId_theInstanceRolesAwsUserid() {
    String ref = stored(handOff.store("ec2-linux-x64", RUNNER, CONFIG));

    assertThat(handOff.bindToHost(ref, "i-0123456789abcdef0")).isEqualTo(BindResult.BOUND);
    assertThat(secrets.tag(ref, "runfleet:host")).isEqualTo(ROLE_ID + ":i-0123456789abcdef0");
  }

  @Test
  void bindToHost_whenThrottled_retriesLater_andWhenDenied_isRefused() {
    String ref = stored(handOff.store("fargate", RUNNER, CONFIG));
    secrets.failures.add(FakeSecretsManager.error(400, "ThrottlingException"));
    secrets.failures.add(FakeSecretsManager.error(400, "AccessDeniedException"));

    assertThat(handOff.bindToHost(ref, "i-1")).isEqualTo(BindResult.RETRY_LATER);
    assertThat(handOff.bindToHost(ref, "i-1")).isEqualTo(BindResult.REFUSED);
    assertThat(secrets.tag(ref, "runfleet:host")).isNull();
  }

  @Test
  void remove_deletesAtOnceWithoutRecoveryWindow() {
    String ref = stored(handOff.store("fargate", RUNNER, CONFIG));

    assertThat(handOff.remove(ref)).isEqualTo(RemoveResult.REMOVED);
    assertThat(secrets.secrets).doesNotContainKey(ref);
    DeleteSecretRequest delete =
        (DeleteSecretRequest) secrets.requests.get(secrets.requests.size() - 1);
    assertThat(delete.forceDeleteWithoutRecovery()).isTrue();
  }

  @Test
  void removeAll_deletesEveryHandOffSecretOfTheRunner_andNoOtherRunners() {
    String mine = stored(handOff.store("fargate", RUNNER, CONFIG));
    secrets.secrets.put("runfleet/test/jit/fargate/" + RUNNER + "/feedface", "left by a crash");
    String other = stored(handOff.store("fargate", RUNNER + "0", CONFIG));

    assertThat(handOff.removeAll("fargate", RUNNER)).isEqualTo(RemoveResult.REMOVED);

    assertThat(secrets.secrets).containsOnlyKeys(other);
    assertThat(mine).isNotEqualTo(other);
  }

  @Test
  void removeAll_whenListingIsThrottled_retriesLater() {
    secrets.failures.add(FakeSecretsManager.error(400, "ThrottlingException"));

    assertThat(handOff.removeAll("fargate", RUNNER)).isEqualTo(RemoveResult.RETRY_LATER);
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
