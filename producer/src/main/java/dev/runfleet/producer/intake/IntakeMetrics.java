package dev.runfleet.producer.intake;

/** The counts the intake keeps, one call per webhook outcome. */
public interface IntakeMetrics {

  /** Every webhook, whatever its fate. */
  void received();

  /** A {@code workflow_job} event was appended. */
  void accepted();

  /** A {@code workflow_job} event was seen before. */
  void duplicate();

  /** A verified delivery runfleet does not act on (another event, an unknown action). */
  void ignored();

  void rejected(Rejection reason);

  /** The store could not take the event; GitHub is told to try later. */
  void storeUnavailable();

  /** The front door checks GitHub's hook ranges but knows none: the delivery is answered 503. */
  void hookRangesUnavailable();
}
