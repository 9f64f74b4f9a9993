package dev.runfleet.producer.intake;

/**
 * Why a webhook was refused; {@link #dimension()} is the {@code reason} dimension of {@code
 * EventsRejected}.
 */
public enum Rejection {
  SIGNATURE("signature", 401),
  MALFORMED("malformed", 400),
  /** A number or time out of range, or a name past GitHub's limits. */
  OUT_OF_RANGE("out_of_range", 400),
  TOO_LARGE("too_large", 413),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
  MISSING_DELIVERY("missing_delivery", 400),
  /** The caller's address is outside GitHub's hook ranges (when the front door checks them). */
  SOURCE_IP("source_ip", 403);

  private final String dimension;
  private final int statusCode;

  Rejection(String dimension, int statusCode) {
    this.dimension = dimension;
    this.statusCode = statusCode;
  }

  public String dimension() {
    return dimension;
  }

  public int statusCode() {
    return statusCode;
  }
}
