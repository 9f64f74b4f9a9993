package dev.runfleet.producer.intake;

/**
 * A verified body whose field is well-formed but outside what GitHub sends or the job store can
 * order: a number past its type, a time the table cannot keep. The message names the field and
 * never quotes its value.
 */
public final class OutOfRangeException extends MalformedPayloadException {

  private static final long serialVersionUID = 1L;

  public OutOfRangeException(String message) {
    super(message);
  }
}
