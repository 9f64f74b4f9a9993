package dev.runfleet.orchestrators.github;

import dev.runfleet.aws.ParameterStore;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Where the GitHub App's private key (PEM, PKCS#1 or PKCS#8) comes from. */
@FunctionalInterface
public interface PrivateKeySource {

  /**
   * The PEM text of the key.
   *
   * @throws Unavailable when the key cannot be read now or at all
   */
  String pem();

  /**
   * A source reading the key from the Secrets Manager secret or the SSM SecureString parameter the
   * ARN names. Only the client the ARN needs is built.
   */
  static PrivateKeySource fromArn(
      String arn, Supplier<SecretsManagerClient> secretsManager, Supplier<ParameterStore> ssm) {
    Objects.requireNonNull(arn, "arn");
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || parts[5].isEmpty()) {
      throw new IllegalArgumentException("not an ARN: " + arn);
    }
    switch (parts[2]) {
      case "secretsmanager":
        return new SecretsManagerPrivateKey(secretsManager.get(), arn);
      case "ssm":
        if (!parts[5].startsWith("parameter/")) {
          throw new IllegalArgumentException("not an SSM parameter ARN: " + arn);
        }
        return new SsmPrivateKey(ssm.get(), arn);
      default:
        throw new IllegalArgumentException(
            "the GitHub App key must live in Secrets Manager or SSM Parameter Store, not in "
                + parts[2]
                + ": "
                + arn);
    }
  }

  /**
   * The key could not be read. The message names where from and why, never the key itself. {@link
   * #retryable()} tells throttling and outages apart from missing secrets and denied access.
   */
  final class Unavailable extends RuntimeException {
    private final boolean retryable;

    public Unavailable(String message, boolean retryable) {
      super(message, null, false, false);
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }
}
