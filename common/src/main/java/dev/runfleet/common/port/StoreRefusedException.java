package dev.runfleet.common.port;

/**
 * A store refused the request itself (a key or an item past its limits): retrying never helps, so
 * the caller treats what it was processing as poison rather than trying again.
 */
public final class StoreRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
