package dev.runfleet.producer.intake;

/**
 * Which source addresses may deliver webhooks: GitHub's hook ranges when the front door checks them
 * ({@code RUNFLEET_HOOK_RANGES_PARAMETER}), anyone when it does not (the default).
 */
@FunctionalInterface
public interface HookSources {

  /** Every source: the check is off. */
  HookSources ANYWHERE = sourceIp -> true;

  /**
   * @param sourceIp the caller's address as API Gateway saw it; null when the transport gave none
   * @throws dev.runfleet.common.port.StoreUnavailableException when the check is on but no valid
   *     list of ranges is known (the parameter is missing, empty, invalid or unreadable)
   */
  boolean admits(String sourceIp);
}
