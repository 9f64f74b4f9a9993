package dev.runfleet.orchestrators.hostevents;

/**
 * Who owns a host: the runner and platform its {@code runfleet:*} tags name, when its {@code
 * runfleet:stage} tag is this stage's. Events carry no tags, so each end is looked up once.
 */
public interface HostOwners {

  Owner owner(HostEnd end);

  /** Outcome of {@link #owner}. */
  sealed interface Owner {
    record Ours(String runnerName, String platform) implements Owner {}

    /** Untagged, another stage's, or unknown to the host API. */
    record NotOurs(String why) implements Owner {}

    record RetryLater(String reason) implements Owner {}
  }
}
