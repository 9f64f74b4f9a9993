package dev.runfleet.producer.intake;

/**
 * A verified body that is not a usable {@code workflow_job} payload; the message names the field.
 */
public class MalformedPayloadException extends Exception {

  private static final long serialVersionUID = 1L;

  public MalformedPayloadException(String message) {
    super(message);
  }

  public MalformedPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
