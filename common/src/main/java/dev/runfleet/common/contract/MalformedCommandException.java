package dev.runfleet.common.contract;

/**
 * A message that can never become a valid command: poison, for the dead-letter queue, never retried
 * for a fix.
 */
public final class MalformedCommandException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MalformedCommandException(String message) {
    super(message);
  }

  public MalformedCommandException(String message, Throwable cause) {
    super(message, cause);
  }
}
