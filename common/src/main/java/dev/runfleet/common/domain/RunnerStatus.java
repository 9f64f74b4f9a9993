package dev.runfleet.common.domain;

/**
 * Lifecycle of a runner runfleet requested. A runner holds its platform slot until it is STOPPED or
 * FAILED.
 */
public enum RunnerStatus {
  /** Slot reserved, spin-up command on its way. */
  REQUESTED,
  /** Compute started with a JIT config. */
  LAUNCHED,
  /** GitHub reported a job on it. */
  BUSY,
  /** Compute stopped and runner deregistered. */
  STOPPED,
  /** Launch refused for good; no compute exists. */
  FAILED;

  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }

  /** Requested or launched, and not running a job: free to take one, or to be torn down idle. */
  public boolean isWithoutWork() {
    return this == REQUESTED || this == LAUNCHED;
  }
}
