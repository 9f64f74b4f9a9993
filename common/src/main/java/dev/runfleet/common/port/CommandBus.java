package dev.runfleet.common.port;

import dev.runfleet.common.contract.RunnerCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the publisher sends runner commands (SNS in AWS), with the platform as a routing attribute.
 */
public interface CommandBus {

  /**
   * @throws StoreUnavailableException when the bus cannot accept the command now: retryable
   */
  void publish(RunnerCommand command);

  /**
   * Publishes {@code commands} together, in as few calls as the bus allows. Every command is tried;
   * the ones the bus could not accept now come back, each with why (all retryable).
   */
  default List<Refused> publishAll(List<RunnerCommand> commands) {
    List<Refused> refused = new ArrayList<>();
    for (RunnerCommand command : commands) {
      try {
        publish(command);
      } catch (StoreUnavailableException e) {
        refused.add(new Refused(command, e.getMessage()));
      }
    }
    return refused;
  }

  /** A command the bus did not accept, and why. */
  record Refused(RunnerCommand command, String reason) {}
}
