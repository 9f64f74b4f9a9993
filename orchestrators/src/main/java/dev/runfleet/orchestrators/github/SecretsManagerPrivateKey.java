package dev.runfleet.orchestrators.github;

import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** The App key as a Secrets Manager secret's SecretString, read once and kept in memory. */
public final class SecretsManagerPrivateKey extends FetchedKey {

  private final SecretsManagerClient client;
  private final String secretId;

  /**
   * @param secretId the secret's ARN or name
   */
  public SecretsManagerPrivateKey(SecretsManagerClient client, String secretId) {
    this.client = Objects.requireNonNull(client, "client");
    this.secretId = Objects.requireNonNull(secretId, "secretId");
  }

  @Override
  String fetch() {
    GetSecretValueResponse response;
    try {
      response = client.getSecretValue(request -> request.secretId(secretId));
    } catch (SdkException e) {
      throw unavailable("secret " + secretId, e);
    }
    String value = response.secretString();
    if (value == null || value.isBlank()) {
      throw new Unavailable(
          "secret " + secretId + " has no SecretString (store the PEM as text)", false);
    }
    return value;
  }
}
