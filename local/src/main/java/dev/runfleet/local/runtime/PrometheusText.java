package dev.runfleet.local.runtime;

import java.util.Locale;
import java.util.Map;

/**
 * The Prometheus text exposition format (version 0.0.4) for {@code /api/metrics}: the functions'
 * metric totals as counters, the fleet's state as labelled gauges.
 */
final class PrometheusText {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder();

  /**
   * A counter per metric the functions emitted: {@code EventsAccepted} → {@code
   * runfleet_events_accepted_total}.
   */
  PrometheusText counters(Map<String, Double> totals) {
    totals.forEach(
        (name, value) -> {
          String metric = "runfleet_" + snake(name) + "_total";
          out.append("# TYPE ").append(metric).append(" counter\n");
          out.append(metric).append(' ').append(number(value)).append('\n');
        });
    return this;
  }

  /** One gauge with a value per label value, e.g. in flight per platform. */
  PrometheusText gauge(
      String name, String help, String label, Map<String, ? extends Number> values) {
    String metric = "runfleet_" + name;
    out.append("# HELP ").append(metric).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(metric).append(" gauge\n");
    values.forEach(
        (labelValue, value) ->
            out.append(metric)
                .append('{')
                .append(label)
                .append("=\"")
                .append(escape(labelValue))
                .append("\"} ")
                .append(number(value.doubleValue()))
                .append('\n'));
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  static String snake(String camel) {
    return camel
        .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .replaceAll("[^A-Za-z0-9_]", "_")
        .toLowerCase(Locale.ROOT);
  }

  private static String number(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value)
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
