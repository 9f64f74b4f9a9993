package dev.runfleet.orchestrators.handoff;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Hands JIT configs over as Secrets Manager secrets named {@code <prefix>/<platform>/<runner>}.
 * Only the platform's runner role may read and delete under {@code <prefix>/<platform>/}; the
 * runner deletes its secret right after reading it, and every tear-down or failed launch deletes it
 * too, so a config lives for the minute between launch and boot.
 */
public final class SecretsManagerJitHandOff implements JitHandOff {

  private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerJitHandOff.class);

  private static final Set<String> TRANSIENT_ERRORS = Set.of("LimitExceededException");

  private final SecretsManagerClient secrets;
  private final String prefix;
  private final String kmsKeyId;
  private final String stage;

  /**
   * @param prefix name prefix, such as {@code runfleet/prod/jit}
   * @param kmsKeyId the KMS key to encrypt with; null for the account's AWS-managed key
   * @param stage the runfleet:stage tag value
   */
  public SecretsManagerJitHandOff(
      SecretsManagerClient secrets, String prefix, String kmsKeyId, String stage) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.prefix = stripSlashes(Objects.requireNonNull(prefix, "prefix"));
    this.kmsKeyId = kmsKeyId;
    this.stage = Objects.requireNonNull(stage, "stage");
  }

  @Override
  public String reference(String platform, String runnerName) {
    return prefix + "/" + platform + "/" + runnerName;
  }

  @Override
  public StoreResult store(String reference, String runnerName, JitConfig config) {
    try {
      CreateSecretRequest.Builder request =
          CreateSecretRequest.builder()
              .name(reference)
              .description(
                  "runfleet JIT config of runner "
                      + runnerName
                      + ": read once and deleted by the runner")
              .secretString(config.encodedConfig())
              .tags(
                  tag("runfleet:runner", runnerName),
                  tag("runfleet:stage", stage),
                  tag("runfleet:purpose", "jit-config"));
      if (kmsKeyId != null) {
        request.kmsKeyId(kmsKeyId);
      }
      secrets.createSecret(request.build());
      return new StoreResult.Stored(reference);
    } catch (ResourceExistsException e) {
      // A retried launch minted a new config for the same runner: replace the old, unused one.
      return replace(reference, config);
    } catch (InvalidRequestException e) {
      // Most often: the name's previous secret is still being deleted. It is gone within seconds.
      return new StoreResult.RetryLater(
          "hand-over secret " + reference + ": " + AwsErrors.describe(e));
    } catch (SdkException e) {
      return failed(reference, e);
    }
  }

  private StoreResult replace(String reference, JitConfig config) {
    try {
      secrets.putSecretValue(b -> b.secretId(reference).secretString(config.encodedConfig()));
      return new StoreResult.Stored(reference);
    } catch (SdkException e) {
      return failed(reference, e);
    }
  }

  /** Access denied, a bad KMS key, a malformed name: configuration, refused; the rest retried. */
  private static StoreResult failed(String reference, SdkException e) {
    String what = "hand-over secret " + reference + ": " + AwsErrors.describe(e);
    return AwsErrors.isTransient(e, TRANSIENT_ERRORS)
        ? new StoreResult.RetryLater(what)
        : new StoreResult.Rejected(what);
  }

  @Override
  public RemoveResult remove(String reference) {
    try {
      secrets.deleteSecret(b -> b.secretId(reference).forceDeleteWithoutRecovery(true));
      return RemoveResult.REMOVED;
    } catch (ResourceNotFoundException e) {
      return RemoveResult.REMOVED; // the runner took it, as it should
    } catch (InvalidRequestException e) {
      return RemoveResult.REMOVED; // already scheduled for deletion
    } catch (SdkException e) {
      LOG.warn(
          "hand-over secret {} could not be deleted now: {}", reference, AwsErrors.describe(e));
      return RemoveResult.RETRY_LATER;
    }
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private static String stripSlashes(String value) {
    String out = value;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
