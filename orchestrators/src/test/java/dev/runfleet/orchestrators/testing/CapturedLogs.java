package dev.runfleet.orchestrators.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures every log line while open, rendered by the layout the function really writes with (the
 * console appender's JSON layout from {@code log4j2.xml}), so a test sees the bytes CloudWatch
 * would get: message, MDC fields and stack traces.
 */
public final class CapturedLogs implements AutoCloseable {

  private final LoggerContext context;
  private final Capture capture;

  private CapturedLogs(LoggerContext context, Capture capture) {
    this.context = context;
    this.capture = capture;
  }

  public static CapturedLogs start() {
    LoggerContext context = LoggerContext.getContext(false);
    Configuration configuration = context.getConfiguration();
    Layout<?> layout =
        configuration.getAppenders().values().stream()
            .map(Appender::getLayout)
            .filter(l -> l != null)
            .findFirst()
            .orElseGet(() -> PatternLayout.createDefaultLayout(configuration));
    Capture capture = new Capture(layout);
    capture.start();
    configuration.addAppender(capture);
    configuration.getRootLogger().addAppender(capture, null, null);
    for (LoggerConfig logger : configuration.getLoggers().values()) {
      if (logger != configuration.getRootLogger()) {
        logger.addAppender(capture, null, null);
      }
    }
    context.updateLoggers();
    return new CapturedLogs(context, capture);
  }

  /** The lines written so far, as rendered. */
  public List<String> lines() {
    synchronized (capture.lines) {
      return List.copyOf(capture.lines);
    }
  }

  @Override
  public void close() {
    Configuration configuration = context.getConfiguration();
    for (LoggerConfig logger : configuration.getLoggers().values()) {
      logger.removeAppender(capture.getName());
    }
    configuration.getRootLogger().removeAppender(capture.getName());
    context.updateLoggers();
    capture.stop();
  }

  private static final class Capture extends AbstractAppender {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    Capture(Layout<?> layout) {
      super("captured-logs", null, layout, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      lines.add(
          new String(getLayout().toByteArray(event), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
