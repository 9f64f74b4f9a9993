package dev.runfleet.aws;

import com.amazonaws.services.lambda.runtime.Context;
import dev.runfleet.aws.logging.JsonLogProvider;
import dev.runfleet.aws.logging.JsonLoggingManager;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

/**
 * Powertools logging and metrics without AspectJ: {@link #invoke} wraps one handler invocation so
 * its log lines carry the Lambda context and its metrics are flushed as CloudWatch EMF once at the
 * end, written by {@link EmfMetrics} behind Powertools' {@code Metrics}.
 */
public final class Telemetry {

  public static final String NAMESPACE = "runfleet";

  /**
   * The Lambda jars' logging backend, which SLF4J and Powertools load by name through ServiceLoader
   * (the shade step registers it): named here so the jars' minimizer, which keeps only what the
   * handlers reach, keeps it. Every handler reaches this class.
   */
  static final List<Class<?>> LAMBDA_LOGGING =
      List.of(JsonLogProvider.class, JsonLoggingManager.class);

  private static boolean providerChosen;

  private final Metrics metrics;
  private final String service;

  public Telemetry(String service) {
    this.service = service;
    useMetricsUnlessChosen(EmfMetrics::new);
    this.metrics = MetricsFactory.getMetricsInstance();
    metrics.setNamespace(NAMESPACE);
    metrics.setRaiseOnEmptyMetrics(false);
    metrics.setDefaultDimensions(DimensionSet.of("service", service));
  }

  /**
   * Makes {@code provider} this JVM's Powertools metrics backend (the local runtime keeps its
   * metrics in memory); every {@code Telemetry} built after it uses it.
   */
  public static synchronized void useMetrics(MetricsProvider provider) {
    MetricsFactory.setMetricsProvider(provider);
    providerChosen = true;
  }

  /** In Lambda: {@link EmfMetrics}, unless something chose another backend first. */
  private static synchronized void useMetricsUnlessChosen(MetricsProvider provider) {
    if (!providerChosen) {
      useMetrics(provider);
    }
  }

  public String service() {
    return service;
  }

  /** Runs one invocation with Powertools logging context and flushes the metrics it recorded. */
  public <T> T invoke(Context context, Supplier<T> body) {
    return PowertoolsLogging.withLogging(
        context,
        () -> {
          try {
            return body.get();
          } finally {
            metrics.flush();
          }
        });
  }

  public void count(String name) {
    metrics.addMetric(name, 1, MetricUnit.COUNT);
  }

  public void count(String name, double value) {
    metrics.addMetric(name, value, MetricUnit.COUNT);
  }

  /**
   * A count with one extra dimension, flushed on its own so the dimension does not leak onto other
   * metrics.
   */
  public void count(String name, String dimension, String value) {
    metrics.flushSingleMetric(
        name,
        1,
        MetricUnit.COUNT,
        NAMESPACE,
        DimensionSet.of("service", service, dimension, value));
  }

  public void millis(String name, double millis) {
    metrics.addMetric(name, millis, MetricUnit.MILLISECONDS);
  }
}
