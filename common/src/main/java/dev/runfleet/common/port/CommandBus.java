package dev.runfleet.common.port;

import dev.runfleet.common.contract.RunnerCommand;

/**
 * Where the publisher sends runner commands (SNS in AWS), with the platform as a routing attribute.
 */
public interface CommandBus {

  /**
   * @throws StoreUnavailableException when the bus cannot accept the command now: retryable
   */
  void publish(RunnerCommand command);
}
