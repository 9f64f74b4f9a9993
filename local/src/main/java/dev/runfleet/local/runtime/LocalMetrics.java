package dev.runfleet.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import dev.runfleet.aws.Telemetry;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The handlers' Powertools metrics, kept in memory instead of printed as CloudWatch EMF: all
 * handlers share one JVM here, and the EMF logger probes its environment on every flush. Totals are
 * served by the local API.
 */
public final class LocalMetrics implements Metrics {

  private final Map<String, DoubleAdder> totals = new ConcurrentHashMap<>();
  private volatile DimensionSet defaults = DimensionSet.of(Map.of());

  /**
   * Routes every {@code MetricsFactory.getMetricsInstance()} of this JVM to one shared instance.
   */
  public static LocalMetrics install() {
    LocalMetrics metrics = new LocalMetrics();
    Telemetry.useMetrics(() -> metrics);
    return metrics;
  }

  public Map<String, Double> totals() {
    Map<String, Double> out = new TreeMap<>();
    totals.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public void addMetric(String key, double value, MetricUnit unit, MetricResolution resolution) {
    totals.computeIfAbsent(key, k -> new DoubleAdder()).add(value);
  }

  @Override
  public void addDimension(DimensionSet dimensionSet) {}

  @Override
  public void setTimestamp(Instant timestamp) {}

  @Override
  public void addMetadata(String key, Object value) {}

  @Override
  public void setDefaultDimensions(DimensionSet dimensionSet) {
    defaults = dimensionSet;
  }

  @Override
  public DimensionSet getDefaultDimensions() {
    return defaults;
  }

  @Override
  public void setNamespace(String namespace) {}

  @Override
  public void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {}

  @Override
  public void clearDefaultDimensions() {
    defaults = DimensionSet.of(Map.of());
  }

  @Override
  public void flush() {}

  @Override
  public void captureColdStartMetric(Context context, DimensionSet dimensions) {}

  @Override
  public void captureColdStartMetric(DimensionSet dimensions) {}

  @Override
  public void flushMetrics(Consumer<Metrics> metricsConsumer) {
    metricsConsumer.accept(this);
  }

  @Override
  public void flushSingleMetric(
      String name, double value, MetricUnit unit, String namespace, DimensionSet dimensions) {
    addMetric(name, value, unit, MetricResolution.STANDARD);
  }
}
