package dev.runfleet.publisher.flow;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.Runner;

/**
 * One stream record, decoded: what changed in the jobs table, identified by its sequence number.
 */
public sealed interface Change {

  String sequenceNumber();

  /** A job projection changed; {@code before} is null for a new job. */
  record JobChanged(String sequenceNumber, Job before, Job after) implements Change {}

  /** A runner record changed; {@code before} is null for a new runner. */
  record RunnerChanged(String sequenceNumber, Runner before, Runner after) implements Change {}

  /** A runner record was removed (by TTL); {@code before} is what it held. */
  record RunnerRemoved(String sequenceNumber, Runner before) implements Change {}

  /** Anything the publisher does not react to (events, deliveries, counters, other removals). */
  record Unrelated(String sequenceNumber) implements Change {}
}
