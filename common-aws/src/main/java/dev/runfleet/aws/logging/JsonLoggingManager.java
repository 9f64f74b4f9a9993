package dev.runfleet.aws.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import software.amazon.lambda.powertools.logging.internal.LoggingManager;

/**
 * Powertools' hook into the backend's levels ({@code POWERTOOLS_LOG_LEVEL}, sampling), as {@code
 * powertools-logging-log4j} is for log4j: without one Powertools falls back to a manager that
 * ignores levels and says so on standard error.
 */
public final class JsonLoggingManager implements LoggingManager {

  @Override
  public void setLogLevel(Level level) {
    loggers().setLevelOfEveryLogger(level);
  }

  @Override
  public Level getLogLevel(Logger logger) {
    return loggers().threshold(logger.getName());
  }

  private static JsonLoggers loggers() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof JsonLoggers loggers) {
      return loggers;
    }
    throw new IllegalStateException(
        "JsonLoggingManager needs JsonLogProvider as SLF4J's backend, found " + factory.getClass());
  }
}
