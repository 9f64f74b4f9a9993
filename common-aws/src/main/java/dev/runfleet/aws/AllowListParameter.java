package dev.runfleet.aws;

import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.port.AllowListSource;
import dev.runfleet.common.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The allow-list from the {@code /runfleet/{stage}/allow} SSM parameter, read with one GetParameter
 * at most once per cache period (the same rule as the publisher's caps):
 *
 * <ul>
 *   <li>no parameter, or an empty one: everyone is allowed;
 *   <li>a value that does not parse: refused with one error log line per distinct value, and the
 *       last good list stays in force;
 *   <li>SSM unreachable: the last good list stays in force.
 * </ul>
 *
 * Before any valid list was read (a cold start while SSM fails, or while the value is invalid) it
 * answers {@link StoreUnavailableException}: the producer then answers 503 and the orchestrator
 * retries, rather than letting anyone in or refusing a job for good.
 */
public final class AllowListParameter implements AllowListSource {

  private static final Logger LOG = LoggerFactory.getLogger(AllowListParameter.class);

  private final Supplier<SsmClient> ssm;
  private final String name;
  private final Duration maxAge;
  private final Clock clock;

  private AllowList lastGood;
  private String lastRefused;
  private Instant fetchedAt;

  /**
   * @param ssm the process's SSM client, built at the first read (so a cold start that serves only
   *     a ping builds none)
   */
  public AllowListParameter(Supplier<SsmClient> ssm, String stage, Duration maxAge, Clock clock) {
    this.ssm = ssm;
    this.name = RuntimeParameters.allow(stage);
    this.maxAge = maxAge;
    this.clock = clock;
  }

  @Override
  public synchronized AllowList current() {
    Instant now = clock.instant();
    if (fetchedAt == null || !now.isBefore(fetchedAt.plus(maxAge))) {
      refresh();
      fetchedAt = now;
    }
    if (lastGood == null) {
      // Read again at the next call: nothing is allowed until a valid list is known.
      fetchedAt = null;
      throw new StoreUnavailableException(
          "no valid allow-list known yet (" + name + " unreadable or invalid)", null);
    }
    return lastGood;
  }

  private void refresh() {
    String raw;
    try {
      raw = ssm.get().getParameter(b -> b.name(name)).parameter().value();
    } catch (ParameterNotFoundException e) {
      raw = null;
    } catch (SdkException e) {
      LOG.warn(
          "parameter {} unreadable ({}); {}",
          name,
          AwsErrors.describe(e),
          lastGood == null
              ? "nothing is allowed until it is read"
              : "the last list stays in force");
      return;
    }
    AllowList.Parsed parsed = AllowList.parse(raw);
    if (parsed instanceof AllowList.Parsed.Valid valid) {
      if (!valid.list().equals(lastGood)) {
        LOG.info("allow-list {} in force: {}", name, valid.list().describe());
      }
      lastGood = valid.list();
      lastRefused = null;
      return;
    }
    if (!raw.equals(lastRefused)) {
      LOG.error(
          "parameter {} has invalid value '{}': {}; keeping {}",
          name,
          raw,
          ((AllowList.Parsed.Invalid) parsed).reason(),
          lastGood == null ? "nothing allowed until it is fixed" : lastGood.describe());
      lastRefused = raw;
    }
  }
}
