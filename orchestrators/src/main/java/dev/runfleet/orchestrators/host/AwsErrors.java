package dev.runfleet.orchestrators.host;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Null-safe reading of an AWS error's code and message. */
final class AwsErrors {

  private AwsErrors() {}

  static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
        ? "HTTP " + e.statusCode()
        : e.awsErrorDetails().errorCode();
  }

  static String message(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
      return e.awsErrorDetails().errorMessage();
    }
    return e.getMessage() == null ? "" : e.getMessage();
  }
}
