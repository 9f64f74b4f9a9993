package dev.runfleet.common.port;

import java.time.Instant;

/**
 * The publisher's own wake-up: a dispatch pass arranged for a later moment (when the launch budget
 * refills) without anyone waiting for it. Deduplication is the caller's: it claims the fleet's one
 * pending wake-up in the {@link FlowControlStore} before asking for it here.
 */
public interface WakeUps {

  /** Arranges one dispatch pass at {@code at} or soon after (a queue's delay is whole seconds). */
  void schedule(Instant at, Instant now);

  /**
   * True when a wake-up reaches a handler of its own that runs the pass: the stream's batches then
   * hand every dispatch pass over to it (one at a time for the fleet) instead of running it
   * themselves. False for a stand-in that delivers nothing: batches then dispatch in place.
   */
  default boolean handsOverPasses() {
    return false;
  }
}
