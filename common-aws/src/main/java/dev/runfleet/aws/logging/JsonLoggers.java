package dev.runfleet.aws.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The loggers of a Lambda jar and their one rule: our own code ({@code dev.runfleet}) logs at INFO,
 * libraries at WARN, unless Powertools set one level for all ({@code POWERTOOLS_LOG_LEVEL}, through
 * {@link JsonLoggingManager}).
 */
public final class JsonLoggers implements ILoggerFactory {

  static final String OWN_CODE = "dev.runfleet";

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private volatile Level everyLogger;

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new JsonLogger(n, this));
  }

  /** The lowest level a logger of this name writes. */
  Level threshold(String name) {
    Level all = everyLogger;
    if (all != null) {
      return all;
    }
    return name.startsWith(OWN_CODE) ? Level.INFO : Level.WARN;
  }

  /** One level for every logger, or {@code null} for the rule above. */
  void setLevelOfEveryLogger(Level level) {
    this.everyLogger = level;
  }
}
