package dev.runfleet.local.bench;

import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Sends one logger's lines, at a chosen level, through a real layout into a sink that counts and
 * drops them: a benchmark then pays for every line it logs (level check, message, layout, the
 * appender's lock) without flooding its report.
 */
final class DiscardedLogs implements AutoCloseable {

  /** The local runtime's console pattern. */
  private static final String PATTERN =
      "%d{HH:mm:ss.SSS} %-5level %-28.28c{1.} [%t] %msg%n%throwable";

  private final LoggerContext context;
  private final String logger;
  private final OutputStreamAppender appender;
  private final Counting sink;

  private DiscardedLogs(
      LoggerContext context, String logger, OutputStreamAppender appender, Counting sink) {
    this.context = context;
    this.logger = logger;
    this.appender = appender;
    this.sink = sink;
  }

  static DiscardedLogs install(String logger, Level level) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Counting sink = new Counting();
    OutputStreamAppender appender =
        OutputStreamAppender.newBuilder()
            .setName("bench-discarded-" + logger)
            .setLayout(
                PatternLayout.newBuilder().withConfiguration(config).withPattern(PATTERN).build())
            .setTarget(sink)
            .build();
    appender.start();
    LoggerConfig loggerConfig = new LoggerConfig(logger, level, false);
    loggerConfig.addAppender(appender, null, null);
    config.addLogger(logger, loggerConfig);
    context.updateLoggers();
    return new DiscardedLogs(context, logger, appender, sink);
  }

  /** Lines logged since the last reset. */
  long lines() {
    return sink.lines.sum();
  }

  void reset() {
    sink.lines.reset();
  }

  @Override
  public void close() {
    context.getConfiguration().removeLogger(logger);
    context.updateLoggers();
    appender.stop();
  }

  /** Counts the lines written to it and keeps none. */
  private static final class Counting extends OutputStream {
    final LongAdder lines = new LongAdder();

    @Override
    public void write(int b) {
      if (b == '\n') {
        lines.increment();
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (bytes[i] == '\n') {
          lines.increment();
        }
      }
    }
  }
}
