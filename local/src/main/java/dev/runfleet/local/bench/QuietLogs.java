package dev.runfleet.local.bench;

import dev.runfleet.publisher.flow.FlowController;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps a flood out of the benchmark's output while it runs, so the report stays readable: the
 * controller's line per dispatch. Other warnings and errors still show.
 */
final class QuietLogs implements AutoCloseable {

  private static final Map<String, Level> QUIET =
      Map.of(FlowController.class.getName(), Level.WARN);

  private final Map<String, Level> before;

  private QuietLogs(Map<String, Level> before) {
    this.before = before;
  }

  static QuietLogs quiet() {
    Map<String, Level> before = new LinkedHashMap<>();
    QUIET.forEach(
        (logger, level) -> {
          before.put(logger, LogManager.getLogger(logger).getLevel());
          Configurator.setLevel(logger, level);
        });
    return new QuietLogs(before);
  }

  @Override
  public void close() {
    before.forEach(Configurator::setLevel);
  }
}
