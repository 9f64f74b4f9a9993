package dev.runfleet.common.port;

import dev.runfleet.common.domain.AllowList;

/** The allow-list in force now: the runtime parameter, read through a short cache. */
public interface AllowListSource {

  /**
   * @throws StoreUnavailableException when no valid list was ever read (the parameter store cannot
   *     answer, or the parameter has been invalid since start): nothing may run until it can
   */
  AllowList current();
}
