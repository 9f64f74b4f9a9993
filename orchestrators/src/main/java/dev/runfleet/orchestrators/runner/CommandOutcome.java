package dev.runfleet.orchestrators.runner;

/**
 * What became of one command: done (acknowledge), retry later (leave on the queue), or poison (to
 * the DLQ).
 */
public sealed interface CommandOutcome {

  record Done(String what) implements CommandOutcome {}

  record RetryLater(String reason) implements CommandOutcome {}

  record Poison(String reason) implements CommandOutcome {}
}
