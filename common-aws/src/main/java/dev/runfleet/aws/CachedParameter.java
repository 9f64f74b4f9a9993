package dev.runfleet.aws;

import dev.runfleet.common.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A runtime parameter read with one GetParameter at most once per cache period, and the rule every
 * such parameter follows (the allow-list, GitHub's hook ranges):
 *
 * <ul>
 *   <li>the value (null when the parameter does not exist) goes through the parser, which either
 *       gives the value in force or refuses it with an {@link IllegalArgumentException} saying why;
 *   <li>a refused value is logged at ERROR once per distinct value, and the last good value stays
 *       in force;
 *   <li>SSM unreachable: the last good value stays in force.
 * </ul>
 *
 * Before any good value was read (a cold start while SSM fails, or while the value is refused) it
 * answers {@link StoreUnavailableException} and reads again at the next call: callers answer
 * "later" rather than act on no value.
 *
 * @param <T> the parsed value
 */
public final class CachedParameter<T> {

  private static final Logger LOG = LoggerFactory.getLogger(CachedParameter.class);

  private final Supplier<ParameterStore> ssm;
  private final String name;
  private final Duration maxAge;
  private final Clock clock;
  private final Function<String, T> parser;
  private final Function<T, String> describe;

  private T lastGood;
  private String lastRefused;
  private boolean refusedOnce;
  private Instant fetchedAt;

  /**
   * @param ssm the process's Parameter Store, asked for at the first read (so a cold start that
   *     serves only a ping builds none)
   * @param parser the value in force for the parameter's text (null: no such parameter)
   * @param describe how a value in force reads in a log line
   */
  public CachedParameter(
      Supplier<ParameterStore> ssm,
      String name,
      Duration maxAge,
      Clock clock,
      Function<String, T> parser,
      Function<T, String> describe) {
    this.ssm = Objects.requireNonNull(ssm, "ssm");
    this.name = Objects.requireNonNull(name, "name");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.describe = Objects.requireNonNull(describe, "describe");
  }

  public String name() {
    return name;
  }

  /**
   * @throws StoreUnavailableException when no good value was read yet
   */
  public synchronized T current() {
    Instant now = clock.instant();
    if (fetchedAt == null || !now.isBefore(fetchedAt.plus(maxAge))) {
      refresh();
      fetchedAt = now;
    }
    if (lastGood == null) {
      fetchedAt = null;
      throw new StoreUnavailableException(
          "no valid value of " + name + " known yet (unreadable, missing or invalid)", null);
    }
    return lastGood;
  }

  private void refresh() {
    String raw;
    try {
      raw = ssm.get().get(name, false).orElse(null);
    } catch (SdkException e) {
      LOG.warn(
          "parameter {} unreadable ({}); {}",
          name,
          AwsErrors.describe(e),
          lastGood == null ? "no value is in force until it is read" : "the last value stays");
      return;
    }
    T parsed;
    try {
      parsed = parser.apply(raw);
    } catch (IllegalArgumentException e) {
      if (!refusedOnce || !Objects.equals(raw, lastRefused)) {
        LOG.error(
            "parameter {} has invalid value {}: {}; keeping {}",
            name,
            raw == null ? "(none: it does not exist)" : "'" + raw + "'",
            e.getMessage(),
            lastGood == null ? "no value in force until it is fixed" : describe.apply(lastGood));
        lastRefused = raw;
        refusedOnce = true;
      }
      return;
    }
    if (!parsed.equals(lastGood)) {
      LOG.info("parameter {} in force: {}", name, describe.apply(parsed));
    }
    lastGood = parsed;
    refusedOnce = false;
    lastRefused = null;
  }
}
