package dev.runfleet.aws.lambda;

/**
 * The event as a whole cannot be read (not JSON, or no {@code Records} array): no record of it can
 * be named, so the invocation fails and Lambda's retry and failure rules apply to the whole batch.
 */
public final class MalformedEventException extends RuntimeException {

  MalformedEventException(String message) {
    super(message);
  }
}
