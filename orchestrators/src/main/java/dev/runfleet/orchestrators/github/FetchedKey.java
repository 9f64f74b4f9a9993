package dev.runfleet.orchestrators.github;

import dev.runfleet.aws.AwsErrors;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A key source that reads the key from AWS on every call and keeps nothing: {@link AppJwt} keeps
 * the parsed key for a bounded time, so the PEM text lives no longer than one parse.
 */
abstract class FetchedKey implements PrivateKeySource {

  @Override
  public final String pem() {
    return fetch();
  }

  abstract String fetch();

  /**
   * A failed read: worth another try when transient (network, timeout, throttling, an outage),
   * final otherwise (access denied, no such secret).
   */
  static PrivateKeySource.Unavailable unavailable(String what, SdkException e) {
    return new PrivateKeySource.Unavailable(
        what + " could not be read: " + AwsErrors.describe(e), AwsErrors.isTransient(e, Set.of()));
  }
}
