package dev.runfleet.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.runfleet.common.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.common.internal.LambdaHandlerProcessor;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.internal.Validator;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools' {@link Metrics}, written as CloudWatch embedded metric format (EMF) lines to standard
 * output as Powertools' own {@code EmfMetricsLogger} writes them in Lambda, with jackson-core's
 * generator instead of the EMF library's bean serialisation.
 *
 * <p>Why not Powertools' logger: its first flush serialised the EMF library's model through Jackson
 * databind's bean introspection, probed the EC2 and ECS environments and loaded about 700 classes,
 * 0.25 s of every function's first invocation on a loaded 2-core machine. The lines are the same
 * objects (same members and values; {@code EmfMetricsTest} compares both writers' output for the
 * same calls): {@code _aws} with {@code Timestamp} (the epoch milliseconds at which the collection
 * began) and one {@code CloudWatchMetrics} directive (namespace, metric names and units, {@code
 * StorageResolution} 1 for high resolution, dimension key sets), then the Lambda properties ({@code
 * executionEnvironment}, {@code functionVersion}, {@code logStreamId}, {@code traceId} when
 * sampled), properties added with {@link #addMetadata}, dimension values and metric values (one
 * number, or a list when a metric was added more than once). More than 100 metrics, or a metric
 * with more than 100 values, are split over several lines as EMF requires. Outside Lambda the
 * output is the same (Powertools' logger would probe for an agent instead); the local runtime keeps
 * its metrics in memory anyway.
 *
 * <p>Thread-safe: every method holds the instance's lock. A process has one instance, and a
 * handler's calls may count from several threads at once (the publisher's concurrent passes in
 * tests; any executor a handler uses), which an unguarded map would corrupt.
 */
public final class EmfMetrics implements Metrics {

  private static final Logger LOG = LoggerFactory.getLogger(EmfMetrics.class);
  private static final int MAX_METRICS_PER_LINE = 100;
  private static final int MAX_VALUES_PER_METRIC = 100;
  private static final String DISABLED = "POWERTOOLS_METRICS_DISABLED";

  private final UnaryOperator<String> env;
  private final Clock clock;
  private final PrintStream out;

  private String namespace = "aws-embedded-metrics";
  private boolean raiseOnEmptyMetrics;
  private boolean hasMetrics;
  private Map<String, String> defaultDimensions = new LinkedHashMap<>();
  private final Map<String, Object> properties = new LinkedHashMap<>();

  // One EMF context: what the next line holds.
  private final Map<String, Metric> metrics = new LinkedHashMap<>();
  private final Map<String, Object> lineProperties = new LinkedHashMap<>();
  private List<Map<String, String>> dimensionSets = new ArrayList<>();
  private boolean emfDefaultDimensions = true;
  private Instant timestamp;

  /** As Lambda runs it: the process's environment, the system clock, standard output. */
  public EmfMetrics() {
    this(System::getenv, Clock.systemUTC(), System.out);
  }

  EmfMetrics(UnaryOperator<String> env, Clock clock, PrintStream out) {
    this.env = env;
    this.clock = clock;
    this.out = out;
    this.timestamp = clock.instant();
  }

  private record Metric(String unit, boolean highResolution, List<Double> values) {}

  @Override
  public synchronized void addMetric(
      String key, double value, MetricUnit unit, MetricResolution resolution) {
    if (key == null || key.isBlank() || key.length() > 1024) {
      throw new IllegalArgumentException("Metric name must be 1 to 1024 characters: " + key);
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Metric value must be finite: " + key + "=" + value);
    }
    metrics
        .computeIfAbsent(
            key,
            k -> new Metric(unit.getName(), resolution == MetricResolution.HIGH, new ArrayList<>()))
        .values()
        .add(value);
    hasMetrics = true;
  }

  @Override
  public synchronized void addDimension(DimensionSet dimensionSet) {
    requireDimensions(dimensionSet);
    Map<String, String> set = new LinkedHashMap<>(dimensionSet.getDimensions());
    dimensionSets.removeIf(existing -> existing.keySet().equals(set.keySet()));
    dimensionSets.add(set);
  }

  @Override
  public synchronized void setTimestamp(Instant timestamp) {
    Validator.validateTimestamp(timestamp);
    this.timestamp = timestamp;
  }

  /**
   * A top-level member of the next line, as Powertools 2 writes metadata: strings, numbers,
   * booleans and null only (the EMF library would bean-serialise anything else).
   */
  @Override
  public synchronized void addMetadata(String key, Object value) {
    if (value != null
        && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw new IllegalArgumentException(
          "metadata " + key + " must be a string, number or boolean: " + value.getClass());
    }
    lineProperties.put(key, value);
    properties.put(key, value);
  }

  @Override
  public synchronized void setDefaultDimensions(DimensionSet dimensionSet) {
    requireDimensions(dimensionSet);
    useOnly(dimensionSet.getDimensions());
    defaultDimensions = new LinkedHashMap<>(dimensionSet.getDimensions());
  }

  @Override
  public synchronized DimensionSet getDefaultDimensions() {
    return DimensionSet.of(defaultDimensions);
  }

  @Override
  public synchronized void setNamespace(String namespace) {
    Validator.validateNamespace(namespace);
    this.namespace = namespace;
  }

  @Override
  public synchronized void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {
    this.raiseOnEmptyMetrics = raiseOnEmptyMetrics;
  }

  @Override
  public synchronized void clearDefaultDimensions() {
    dimensionSets = new ArrayList<>();
    emfDefaultDimensions = false;
    defaultDimensions.clear();
  }

  @Override
  public synchronized void flush() {
    if (disabled()) {
      LOG.debug("Metrics are disabled, skipping flush");
      return;
    }
    Validator.validateNamespace(namespace);
    if (!hasMetrics) {
      if (raiseOnEmptyMetrics) {
        throw new IllegalStateException("No metrics were emitted");
      }
      LOG.warn("No metrics were emitted");
    }
    // The EMF library writes no line for a collection without metrics.
    if (!metrics.isEmpty()) {
      for (String line : lines()) {
        out.println(line);
      }
    }
    metrics.clear();
    lineProperties.clear();
    timestamp = clock.instant();
    dimensionSets = new ArrayList<>();
    emfDefaultDimensions = false;
    if (!defaultDimensions.isEmpty()) {
      useOnly(defaultDimensions);
    }
  }

  @Override
  public synchronized void captureColdStartMetric(Context context, DimensionSet dimensions) {
    if (LambdaHandlerProcessor.isColdStart()) {
      flushMetrics(
          m -> {
            if (dimensions != null) {
              m.setDefaultDimensions(dimensions);
            }
            m.addMetric("ColdStart", 1, MetricUnit.COUNT);
            if (context != null) {
              m.addMetadata("function_request_id", context.getAwsRequestId());
            }
            LambdaHandlerProcessor.getXrayTraceId()
                .ifPresent(traceId -> m.addMetadata("xray_trace_id", traceId));
          });
    }
  }

  @Override
  public synchronized void captureColdStartMetric(DimensionSet dimensions) {
    captureColdStartMetric(null, dimensions);
  }

  /** A separate line: a fresh collection with this one's namespace, dimensions and metadata. */
  @Override
  public synchronized void flushMetrics(Consumer<Metrics> body) {
    if (disabled()) {
      LOG.debug("Metrics are disabled, skipping single metric flush");
      return;
    }
    EmfMetrics separate = new EmfMetrics(env, clock, out);
    if (namespace != null) {
      separate.setNamespace(namespace);
    }
    if (!defaultDimensions.isEmpty()) {
      separate.setDefaultDimensions(DimensionSet.of(defaultDimensions));
    }
    properties.forEach(separate::addMetadata);
    body.accept(separate);
    separate.flush();
  }

  private boolean disabled() {
    return "true".equalsIgnoreCase(env.apply(DISABLED));
  }

  private void useOnly(Map<String, String> dimensions) {
    dimensionSets = new ArrayList<>();
    dimensionSets.add(new LinkedHashMap<>(dimensions));
    emfDefaultDimensions = false;
  }

  private static void requireDimensions(DimensionSet dimensionSet) {
    if (dimensionSet == null) {
      throw new IllegalArgumentException("DimensionSet cannot be null");
    }
  }

  /** The dimension sets of the line: EMF's own Lambda defaults when none was ever set. */
  private List<Map<String, String>> dimensionsOfLine() {
    if (!emfDefaultDimensions) {
      return dimensionSets;
    }
    String function = env.apply("AWS_LAMBDA_FUNCTION_NAME");
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("LogGroup", function == null ? "Unknown" : function);
    defaults.put("ServiceName", function == null ? "Unknown" : function);
    defaults.put("ServiceType", "AWS::Lambda::Function");
    List<Map<String, String>> sets = new ArrayList<>();
    for (Map<String, String> set : dimensionSets) {
      Map<String, String> merged = new LinkedHashMap<>(defaults);
      merged.putAll(set);
      sets.add(merged);
    }
    return sets.isEmpty() ? List.of(defaults) : sets;
  }

  /** The lines of this flush: the metrics in chunks of at most 100, each value list too. */
  private List<String> lines() {
    Map<String, Object> members = lambdaProperties();
    members.putAll(lineProperties);
    List<Map<String, String>> dimensions = dimensionsOfLine();
    List<Map<String, Metric>> chunks = new ArrayList<>();
    Map<String, Metric> chunk = new LinkedHashMap<>();
    List<Map.Entry<String, Metric>> queue = new ArrayList<>(metrics.entrySet());
    for (int i = 0; i < queue.size(); i++) {
      String name = queue.get(i).getKey();
      Metric metric = queue.get(i).getValue();
      if (chunk.size() == MAX_METRICS_PER_LINE || chunk.containsKey(name)) {
        chunks.add(chunk);
        chunk = new LinkedHashMap<>();
      }
      if (metric.values().size() <= MAX_VALUES_PER_METRIC) {
        chunk.put(name, metric);
      } else {
        List<Double> values = metric.values();
        chunk.put(
            name,
            new Metric(
                metric.unit(), metric.highResolution(), values.subList(0, MAX_VALUES_PER_METRIC)));
        queue.add(
            Map.entry(
                name,
                new Metric(
                    metric.unit(),
                    metric.highResolution(),
                    values.subList(MAX_VALUES_PER_METRIC, values.size()))));
      }
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    List<String> lines = new ArrayList<>(chunks.size());
    for (Map<String, Metric> lineMetrics : chunks) {
      lines.add(line(lineMetrics, dimensions, members));
    }
    return lines;
  }

  private Map<String, Object> lambdaProperties() {
    Map<String, Object> members = new LinkedHashMap<>();
    putIfSet(members, "executionEnvironment", env.apply("AWS_EXECUTION_ENV"));
    putIfSet(members, "functionVersion", env.apply("AWS_LAMBDA_FUNCTION_VERSION"));
    putIfSet(members, "logStreamId", env.apply("AWS_LAMBDA_LOG_STREAM_NAME"));
    String trace = env.apply("_X_AMZN_TRACE_ID");
    if (trace != null && trace.contains("Sampled=1")) {
      members.put("traceId", trace);
    }
    return members;
  }

  private static void putIfSet(Map<String, Object> members, String key, String value) {
    if (value != null) {
      members.put(key, value);
    }
  }

  private String line(
      Map<String, Metric> lineMetrics,
      List<Map<String, String>> dimensions,
      Map<String, Object> members) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator json = Json.factory().createGenerator(text)) {
      json.writeStartObject();
      json.writeObjectFieldStart("_aws");
      json.writeNumberField("Timestamp", timestamp.toEpochMilli());
      json.writeArrayFieldStart("CloudWatchMetrics");
      json.writeStartObject();
      json.writeStringField("Namespace", namespace);
      json.writeArrayFieldStart("Metrics");
      for (Map.Entry<String, Metric> metric : lineMetrics.entrySet()) {
        json.writeStartObject();
        json.writeStringField("Name", metric.getKey());
        json.writeStringField("Unit", metric.getValue().unit());
        if (metric.getValue().highResolution()) {
          json.writeNumberField("StorageResolution", 1);
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("Dimensions");
      for (Map<String, String> set : dimensions) {
        json.writeStartArray();
        for (String key : set.keySet()) {
          json.writeString(key);
        }
        json.writeEndArray();
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
      Map<String, Object> all = new LinkedHashMap<>(members);
      dimensions.forEach(all::putAll);
      lineMetrics.forEach(
          (name, metric) ->
              all.put(
                  name, metric.values().size() == 1 ? metric.values().get(0) : metric.values()));
      for (Map.Entry<String, Object> member : all.entrySet()) {
        json.writeFieldName(member.getKey());
        Json.write(json, member.getValue());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write an EMF line", e);
    }
    return text.toString();
  }
}
