package dev.runfleet.aws.logging;

import java.nio.charset.StandardCharsets;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A named logger of {@link JsonLoggers}: writes each line it lets through to standard output. */
final class JsonLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  private final transient JsonLoggers loggers;

  JsonLogger(String name, JsonLoggers loggers) {
    this.name = name;
    this.loggers = loggers;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= loggers.threshold(name).toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
    String line =
        JsonLogLine.format(
            System.currentTimeMillis(),
            level,
            name,
            MessageFormatter.basicArrayFormat(pattern, arguments),
            MDC.getCopyOfContextMap(),
            thrown);
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    // one write per line: PrintStream synchronises it, so concurrent lines never interleave
    System.out.write(bytes, 0, bytes.length);
    System.out.flush();
  }
}
