package dev.runfleet.common.domain;

/**
 * Identity of one attempt of a GitHub workflow job. A re-run creates a new job id with a higher run
 * attempt, so the pair is what every idempotency key is built on.
 */
public record JobKey(long jobId, int runAttempt) {

  public JobKey {
    if (jobId <= 0) {
      throw new IllegalArgumentException("jobId must be positive: " + jobId);
    }
    if (runAttempt <= 0) {
      throw new IllegalArgumentException("runAttempt must be positive: " + runAttempt);
    }
  }

  /** The stable text form {@code <jobId>:<runAttempt>}, used in keys, ids and URLs. */
  public String asString() {
    return jobId + ":" + runAttempt;
  }

  public static JobKey parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("not a job key (expected <jobId>:<runAttempt>): " + text);
    }
    try {
      return new JobKey(
          Long.parseLong(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a job key (expected <jobId>:<runAttempt>): " + text, e);
    }
  }

  @Override
  public String toString() {
    return asString();
  }
}
