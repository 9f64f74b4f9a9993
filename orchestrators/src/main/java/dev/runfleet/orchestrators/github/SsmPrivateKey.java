package dev.runfleet.orchestrators.github;

import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;

/** The App key as an SSM SecureString parameter, decrypted, read once and kept in memory. */
public final class SsmPrivateKey extends FetchedKey {

  private final SsmClient client;
  private final String parameter;

  /**
   * @param parameter the parameter's name or ARN
   */
  public SsmPrivateKey(SsmClient client, String parameter) {
    this.client = Objects.requireNonNull(client, "client");
    this.parameter = Objects.requireNonNull(parameter, "parameter");
  }

  @Override
  String fetch() {
    GetParameterResponse response;
    try {
      response = client.getParameter(request -> request.name(parameter).withDecryption(true));
    } catch (SdkException e) {
      throw unavailable("parameter " + parameter, e);
    }
    String value = response.parameter() == null ? null : response.parameter().value();
    if (value == null || value.isBlank()) {
      throw new Unavailable("parameter " + parameter + " is empty", false);
    }
    return value;
  }
}
