package dev.runfleet.common.port;

/**
 * A store could not answer now (throttled, unreachable, contended past its retries); the caller may
 * retry later.
 */
public final class StoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
