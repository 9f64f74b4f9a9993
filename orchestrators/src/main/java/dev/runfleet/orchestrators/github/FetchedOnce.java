package dev.runfleet.orchestrators.github;

import dev.runfleet.aws.AwsErrors;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A key source that fetches once and keeps the key in memory; a failed fetch is not cached, so the
 * next call tries again.
 */
abstract class FetchedOnce implements PrivateKeySource {

  private volatile String pem;

  @Override
  public final String pem() {
    String cached = pem;
    if (cached != null) {
      return cached;
    }
    synchronized (this) {
      if (pem == null) {
        pem = fetch();
      }
      return pem;
    }
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
