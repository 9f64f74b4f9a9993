package dev.runfleet.aws;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.port.AllowListSource;
import dev.runfleet.common.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The allow-list from the {@code /runfleet/{stage}/allow} SSM parameter, cached by the rule of
 * {@link CachedParameter} (the same as the publisher's caps): no parameter, or an empty one, lets
 * everyone in; an invalid value is refused and the last good list stays in force.
 *
 * <p>Before any valid list was read (a cold start while SSM fails, or while the value is invalid)
 * it answers {@link StoreUnavailableException}: the producer then answers 503 and the orchestrator
 * retries, rather than letting anyone in or refusing a job for good.
 */
public final class AllowListParameter implements AllowListSource {

  private final CachedParameter<AllowList> parameter;

  /**
   * @param ssm the process's Parameter Store, asked for at the first read
   */
  public AllowListParameter(
      Supplier<ParameterStore> ssm, String stage, Duration maxAge, Clock clock) {
    this.parameter =
        new CachedParameter<>(
            ssm,
            RuntimeParameters.allow(stage),
            maxAge,
            clock,
            AllowListParameter::parse,
            AllowList::describe);
  }

  @Override
  public AllowList current() {
    return parameter.current();
  }

  private static AllowList parse(String raw) {
    AllowList.Parsed parsed = AllowList.parse(raw);
    if (parsed instanceof AllowList.Parsed.Invalid invalid) {
      throw new IllegalArgumentException(invalid.reason());
    }
    return ((AllowList.Parsed.Valid) parsed).list();
  }
}
