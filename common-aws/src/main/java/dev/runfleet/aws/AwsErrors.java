package dev.runfleet.aws;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One reading of SDK failures for every adapter: the error code and message (null-safe), and
 * whether trying again later can succeed. AWS error messages carry no secret values.
 */
public final class AwsErrors {

  private AwsErrors() {}

  /** The AWS error code, or "HTTP <status>" / the exception's type when AWS named none. */
  public static String code(SdkException e) {
    if (e instanceof AwsServiceException service) {
      return service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
          ? "HTTP " + service.statusCode()
          : service.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }

  /** AWS's message for the error, else the exception's; never null. */
  public static String message(SdkException e) {
    if (e instanceof AwsServiceException service
        && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorMessage() != null) {
      return service.awsErrorDetails().errorMessage();
    }
    return e.getMessage() == null ? "" : e.getMessage();
  }

  /** {@code code: message}, for log lines and failure reasons. */
  public static String describe(SdkException e) {
    return code(e) + ": " + message(e);
  }

  /**
   * True when a later try can succeed: a client-side failure (network, timeout), throttling, a
   * server error, or one of the service's own transient {@code codes}. Anything else (access
   * denied, a missing resource, a malformed request) is configuration, which retrying will not
   * mend.
   */
  public static boolean isTransient(SdkException e, Set<String> codes) {
    if (!(e instanceof AwsServiceException service)) {
      return true;
    }
    return service.isThrottlingException()
        || service.statusCode() >= 500
        || codes.contains(code(service));
  }
}
