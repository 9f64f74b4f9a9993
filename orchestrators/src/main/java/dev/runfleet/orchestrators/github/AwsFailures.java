package dev.runfleet.orchestrators.github;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Classifies an SDK failure to read the App key: throttling and outages pass, the rest stays. */
final class AwsFailures {

  private AwsFailures() {}

  static PrivateKeySource.Unavailable unavailable(String what, SdkException e) {
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      boolean retryable = service.isThrottlingException() || service.statusCode() >= 500;
      return new PrivateKeySource.Unavailable(
          what
              + " could not be read: "
              + (code == null ? service.getClass().getSimpleName() : code)
              + " (HTTP "
              + service.statusCode()
              + ")",
          retryable);
    }
    // A client-side failure (network, timeout, credentials): worth another try later. SDK messages
    // carry no secret values.
    return new PrivateKeySource.Unavailable(
        what + " could not be read: " + e.getClass().getSimpleName() + ": " + e.getMessage(), true);
  }
}
