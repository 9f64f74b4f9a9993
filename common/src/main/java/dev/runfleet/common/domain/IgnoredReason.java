package dev.runfleet.common.domain;

import java.util.Arrays;

/** Why a job is {@link JobStatus#IGNORED}: an operator reads it in the table and the API. */
public enum IgnoredReason {
  /** No platform serves the job's labels (for example {@code ubuntu-latest}). */
  NO_PLATFORM("no-platform"),
  /** The job's organisation or repository is not on the allow-list. */
  NOT_ALLOWED("not-allowed"),
  /**
   * Dispatched as often as the reconciler allows, and never started at GitHub: no more runners are
   * requested for it (GitHub still holds it queued, or cancels it after 24 h).
   */
  DISPATCH_LIMIT("dispatch-limit");

  private final String wireName;

  IgnoredReason(String wireName) {
    this.wireName = wireName;
  }

  /** The name in table items, responses and logs. */
  public String wireName() {
    return wireName;
  }

  public static IgnoredReason fromWireName(String name) {
    return Arrays.stream(values())
        .filter(r -> r.wireName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown ignored reason " + name));
  }
}
