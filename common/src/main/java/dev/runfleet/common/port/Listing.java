package dev.runfleet.common.port;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One paginated listing as far as it got: the reconciler's orphan sweep lists hosts, runner
 * registrations and hand-over secrets page by page, each page call paid from its per-pass budget
 * ({@link Pages}). A listing that stopped early (budget spent, a call failed) is incomplete: its
 * items are still true, the rest waits for the next sweep.
 *
 * @param items what the pages read so far held
 * @param complete every page was read
 */
public record Listing<T>(List<T> items, boolean complete) {

  public Listing {
    items = List.copyOf(items);
  }

  /**
   * Asked before each page call: true when the call may be made (and is counted), false when the
   * budget is spent and the listing must stop there.
   */
  @FunctionalInterface
  public interface Pages extends BooleanSupplier {}
}
