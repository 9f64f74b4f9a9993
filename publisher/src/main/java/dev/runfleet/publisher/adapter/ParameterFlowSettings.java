package dev.runfleet.publisher.adapter;

import dev.runfleet.aws.ParameterStore;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.flow.FlowSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The operator's limits from the runtime parameters ({@link RuntimeParameters}), read with one
 * GetParametersByPath and cached for a few seconds (a failed read is tried again at the next call).
 * A missing parameter falls back to its documented default; an invalid one is refused with a log
 * line naming it, and the last good value stays in force; an unreachable store leaves every last
 * good value in force.
 */
@Singleton
public final class ParameterFlowSettings implements FlowSettings {

  private static final Logger LOG = LoggerFactory.getLogger(ParameterFlowSettings.class);

  private final ParameterStore ssm;
  private final String prefix;
  private final Duration maxAge;
  private final Clock clock;
  private final int defaultGlobalCap;
  private final Map<String, Object> lastGood = new ConcurrentHashMap<>();
  private final Map<String, String> refused = new ConcurrentHashMap<>();
  private volatile Map<String, String> lastValues = Map.of();
  private volatile Instant fetchedAt;

  @Inject
  public ParameterFlowSettings(ParameterStore ssm, PublisherConfig config, Clock clock) {
    this.ssm = ssm;
    this.prefix = RuntimeParameters.prefix(config.stage());
    this.maxAge = Duration.ofSeconds(config.parameterCacheSeconds());
    this.clock = clock;
    this.defaultGlobalCap = config.globalCap();
  }

  @Override
  public int platformCap(Platform platform) {
    return value(
        "caps/" + platform.name(), t -> box(RuntimeParameters.parseCap(t)), platform.cap());
  }

  @Override
  public int globalCap() {
    return value(
        "caps/" + RuntimeParameters.GLOBAL,
        t -> box(RuntimeParameters.parseCap(t)),
        defaultGlobalCap);
  }

  @Override
  public boolean paused() {
    return value("paused", RuntimeParameters::parsePaused, false);
  }

  @Override
  public LaunchRate launchRate() {
    return value("launch-rate", RuntimeParameters::parseLaunchRate, LaunchRate.DEFAULT);
  }

  @SuppressWarnings("unchecked")
  private <T> T value(String key, Function<String, Optional<T>> parse, T fallback) {
    String raw = values().get(key);
    if (raw == null) {
      lastGood.remove(key);
      return fallback;
    }
    Optional<T> parsed = parse.apply(raw);
    if (parsed.isPresent()) {
      refused.remove(key);
      lastGood.put(key, parsed.get());
      return parsed.get();
    }
    T kept = (T) lastGood.getOrDefault(key, fallback);
    if (!raw.equals(refused.put(key, raw))) {
      LOG.error("parameter {}{} has invalid value '{}'; keeping {}", prefix, key, raw, kept);
    }
    return kept;
  }

  private Map<String, String> values() {
    Instant now = clock.instant();
    Instant fetched = fetchedAt;
    if (fetched != null && now.isBefore(fetched.plus(maxAge))) {
      return lastValues;
    }
    try {
      Map<String, String> normalised = new java.util.HashMap<>();
      ssm.getByPath(prefix).forEach((name, v) -> normalised.put(relative(name), v));
      lastValues = Map.copyOf(normalised);
      fetchedAt = now;
    } catch (SdkException e) {
      LOG.warn(
          "runtime parameters under {} unreadable ({}); last values stay in force",
          prefix,
          e.toString());
    }
    return lastValues;
  }

  private String relative(String name) {
    String n = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    return n.startsWith("/") ? n.substring(1) : n;
  }

  private static Optional<Integer> box(OptionalInt value) {
    return value.isPresent() ? Optional.of(value.getAsInt()) : Optional.empty();
  }
}
