package dev.runfleet.orchestrators.github;

import dev.runfleet.aws.ParameterStore;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/** The App key as an SSM SecureString parameter, decrypted, read once and kept in memory. */
public final class SsmPrivateKey extends FetchedKey {

  private final ParameterStore client;
  private final String parameter;

  /**
   * @param parameter the parameter's name or ARN
   */
  public SsmPrivateKey(ParameterStore client, String parameter) {
    this.client = Objects.requireNonNull(client, "client");
    this.parameter = Objects.requireNonNull(parameter, "parameter");
  }

  @Override
  String fetch() {
    Optional<String> read;
    try {
      read = client.get(parameter, true);
    } catch (SdkException e) {
      throw unavailable("parameter " + parameter, e);
    }
    if (read.isEmpty()) {
      throw new Unavailable("parameter " + parameter + " does not exist", false);
    }
    String value = read.get();
    if (value.isBlank()) {
      throw new Unavailable("parameter " + parameter + " is empty", false);
    }
    return value;
  }
}
