package dev.runfleet.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Sends this JVM's log lines to a file instead of the console, in the console's layout ({@code
 * log4j2.xml}), so a command that draws on the terminal (the demo) keeps it to itself.
 */
public final class LogFile {

  /** The appender {@code log4j2.xml} names for the console. */
  static final String CONSOLE = "console";

  private static final String FILE = "file";

  private LogFile() {}

  /**
   * From now on every logger that wrote to the console (or to an earlier file) writes to {@code
   * file} (created or truncated).
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void redirect(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // Fails here, with the reason, rather than inside log4j, which would only print a status
      // line.
      Files.write(file, new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the log file " + file, e);
    }
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Appender console = config.getAppender(CONSOLE);
    FileAppender appender =
        FileAppender.newBuilder()
            .setName(FILE + ":" + file)
            .withFileName(file.toString())
            .withAppend(true)
            .setLayout(
                console != null ? console.getLayout() : PatternLayout.createDefaultLayout(config))
            .setConfiguration(config)
            .build();
    appender.start();
    config.addAppender(appender);
    List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
    loggers.add(config.getRootLogger());
    for (LoggerConfig logger : loggers) {
      List<String> replaced =
          logger.getAppenders().keySet().stream()
              .filter(name -> name.equals(CONSOLE) || name.startsWith(FILE + ":"))
              .toList();
      if (!replaced.isEmpty()) {
        replaced.forEach(logger::removeAppender);
        logger.addAppender(appender, null, null);
      }
    }
    context.updateLoggers();
  }

  /**
   * {@code runfleet-COMMAND-TIME.log} in the temporary directory: where a command logs by default.
   */
  public static Path defaultPath(String command) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of(
        System.getProperty("java.io.tmpdir"), "runfleet-" + command + "-" + stamp + ".log");
  }

  /** Back to {@code log4j2.xml} as written: the console (tests that redirected use it). */
  public static void restoreConsole() {
    ((LoggerContext) LogManager.getContext(false)).reconfigure();
  }
}
