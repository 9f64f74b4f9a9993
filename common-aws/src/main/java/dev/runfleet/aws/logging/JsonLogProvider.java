package dev.runfleet.aws.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J backend of the Lambda jars: one JSON object per line on standard output ({@link
 * JsonLogLine}), in a dozen classes where log4j loaded some 700 before the first line and weighed
 * 2.4 MB in each jar. The shade step registers it (and {@link JsonLoggingManager}) in the Lambda
 * jars only; the local runtime and the tests keep log4j and {@code log4j2.xml}, which write the
 * same lines.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {

  private final JsonLoggers loggers = new JsonLoggers();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    // nothing to read: the levels are a rule (JsonLoggers), the format is fixed (JsonLogLine)
  }
}
