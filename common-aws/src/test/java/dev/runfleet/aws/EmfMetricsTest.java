package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@link EmfMetrics} against Powertools' own EMF logger as it runs in Lambda (the EMF library's
 * Lambda environment, its console sink): the same calls must print the same JSON objects.
 */
class EmfMetricsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-12-06T01:00:00.123Z");

  /** The EMF library in its Lambda environment, without its probing. */
  private static final class Lambda extends EnvironmentProvider {
    private final Environment lambda = new LambdaEnvironment();

    @Override
    public CompletableFuture<Environment> resolveEnvironment() {
      return CompletableFuture.completedFuture(lambda);
    }

    @Override
    public Environment getDefaultEnvironment() {
      return lambda;
    }
  }

  /** The lines that {@code calls} print through Powertools' logger, then through ours. */
  private static List<List<JsonNode>> both(Consumer<Metrics> calls) throws Exception {
    List<JsonNode> powertools =
        printed(
            out -> {
              PrintStream saved = System.out;
              System.setOut(out);
              try {
                calls.accept(new EmfMetricsLogger(new Lambda(), new MetricsContext()));
              } finally {
                System.setOut(saved);
              }
            });
    UnaryOperator<String> env = System::getenv;
    List<JsonNode> ours =
        printed(out -> calls.accept(new EmfMetrics(env, Clock.fixed(AT, ZoneOffset.UTC), out)));
    return List.of(powertools, ours);
  }

  private static List<JsonNode> printed(Consumer<PrintStream> writer) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    writer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(normalised(JSON.readTree(line)));
      }
    }
    return lines;
  }

  /** The EMF library keeps metrics in a hash map: their order in a line means nothing. */
  private static JsonNode normalised(JsonNode line) {
    JsonNode directives = line.path("_aws").path("CloudWatchMetrics");
    for (JsonNode directive : directives) {
      ArrayNode metrics = (ArrayNode) directive.get("Metrics");
      List<JsonNode> sorted = new ArrayList<>();
      metrics.forEach(sorted::add);
      sorted.sort(Comparator.comparing(m -> m.get("Name").asText()));
      metrics.removeAll();
      metrics.addAll(sorted);
    }
    return line;
  }

  private static void assertSame(Consumer<Metrics> calls) throws Exception {
    List<List<JsonNode>> lines = both(calls);
    assertThat(lines.get(0)).isNotEmpty();
    assertThat(lines.get(1)).isEqualTo(lines.get(0));
  }

  /**
   * One instance per process, counted from several threads at once (concurrent passes): no value is
   * lost and nothing throws, however the adds and flushes interleave.
   */
  @Test
  void addMetric_fromSeveralThreadsWhileFlushing_losesNoValue() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    EmfMetrics metrics = new EmfMetrics(name -> null, Clock.fixed(AT, ZoneOffset.UTC), out);
    metrics.setNamespace("runfleet");
    metrics.setRaiseOnEmptyMetrics(false);
    int threads = 4;
    int each = 100_000;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        running.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    metrics.addMetric("Counted", 1, MetricUnit.COUNT);
                  }
                  return null;
                }));
      }
      running.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                  metrics.flush();
                }
                return null;
              }));
      start.countDown();
      for (java.util.concurrent.Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    metrics.flush();

    double total = 0;
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode counted = JSON.readTree(line).path("Counted");
      if (counted.isArray()) {
        for (JsonNode value : counted) {
          total += value.asDouble();
        }
      } else {
        total += counted.asDouble();
      }
    }
    assertThat(total).isEqualTo(threads * each);
  }

  @Test
  void flush_ofCountsAndTimes_withDefaultDimensions_printsWhatPowertoolsPrints() throws Exception {
    assertSame(
        m -> {
          m.setNamespace("runfleet");
          m.setRaiseOnEmptyMetrics(false);
          m.setDefaultDimensions(DimensionSet.of("service", "producer"));
          m.setTimestamp(AT);
          m.addMetric("WebhooksRecorded", 1, MetricUnit.COUNT);
          m.addMetric("StoreMillis", 12.5, MetricUnit.MILLISECONDS);
          m.addMetric("WebhooksRecorded", 1, MetricUnit.COUNT);
          m.addMetric("Fast", 3, MetricUnit.COUNT, MetricResolution.HIGH);
          m.flush();
        });
  }

  @Test
  void everyUnit_isWrittenAsPowertoolsWritesIt() throws Exception {
    assertSame(
        m -> {
          m.setNamespace("runfleet");
          m.setDefaultDimensions(DimensionSet.of("service", "publisher"));
          m.setTimestamp(AT);
          for (MetricUnit unit : MetricUnit.values()) {
            m.addMetric("m-" + unit.name(), 2, unit);
          }
          m.flush();
        });
  }

  @Test
  void flushSingleMetric_isItsOwnLine_withItsDimensions() throws Exception {
    List<List<JsonNode>> lines =
        both(
            m -> {
              m.setNamespace("runfleet");
              m.setDefaultDimensions(DimensionSet.of("service", "orchestrators"));
              m.flushSingleMetric(
                  "Launches",
                  1,
                  MetricUnit.COUNT,
                  "runfleet",
                  DimensionSet.of("service", "orchestrators", "platform", "fargate"));
            });
    // The single metric's collection starts when it is flushed: only its timestamp differs.
    for (List<JsonNode> side : lines) {
      assertThat(side).hasSize(1);
      ((ObjectNode) side.get(0).get("_aws")).put("Timestamp", 0);
    }
    assertThat(lines.get(1)).isEqualTo(lines.get(0));
  }

  @Test
  void secondFlush_keepsTheDefaultDimensions_andStartsEmpty() throws Exception {
    assertSame(
        m -> {
          m.setNamespace("runfleet");
          m.setDefaultDimensions(DimensionSet.of("service", "producer"));
          m.addDimension(DimensionSet.of("kind", "queued"));
          m.setTimestamp(AT);
          m.addMetric("A", 1, MetricUnit.COUNT);
          m.flush();
          m.setTimestamp(AT);
          m.addMetric("B", 2, MetricUnit.COUNT);
          m.flush();
        });
  }

  @Test
  void manyMetrics_andManyValues_areSplitAsEmfRequires() throws Exception {
    List<List<JsonNode>> flushed =
        both(
            m -> {
              m.setNamespace("runfleet");
              m.setDefaultDimensions(DimensionSet.of("service", "producer"));
              m.setTimestamp(AT);
              for (int i = 0; i < 130; i++) {
                m.addMetric("m" + i, i, MetricUnit.COUNT);
              }
              for (int i = 0; i < 150; i++) {
                m.addMetric("many", i, MetricUnit.COUNT);
              }
              m.flush();
            });
    // The library splits a hash map's order; compare what reaches CloudWatch: each metric's values.
    assertThat(valuesByMetric(flushed.get(1))).isEqualTo(valuesByMetric(flushed.get(0)));
    for (List<JsonNode> side : flushed) {
      assertThat(side).hasSizeGreaterThan(1);
      for (JsonNode line : side) {
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").size()).isLessThanOrEqualTo(100);
      }
    }
  }

  private static Map<String, List<Double>> valuesByMetric(List<JsonNode> lines) {
    Map<String, List<Double>> values = new java.util.TreeMap<>();
    for (JsonNode line : lines) {
      for (JsonNode metric : line.at("/_aws/CloudWatchMetrics/0/Metrics")) {
        String name = metric.get("Name").asText();
        JsonNode value = line.get(name);
        List<Double> list = values.computeIfAbsent(name, k -> new ArrayList<>());
        if (value.isArray()) {
          value.forEach(v -> list.add(v.asDouble()));
        } else {
          list.add(value.asDouble());
        }
      }
    }
    return values;
  }

  @Test
  void emptyFlush_printsNothing_asPowertools_andRaisesWhenAsked() throws Exception {
    List<List<JsonNode>> lines =
        both(
            m -> {
              m.setNamespace("runfleet");
              m.setDefaultDimensions(DimensionSet.of("service", "producer"));
              m.flush();
            });
    assertThat(lines.get(0)).isEmpty();
    assertThat(lines.get(1)).isEmpty();
    EmfMetrics metrics =
        new EmfMetrics(
            name -> null,
            Clock.fixed(AT, ZoneOffset.UTC),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    metrics.setNamespace("runfleet");
    metrics.setRaiseOnEmptyMetrics(true);
    assertThatThrownBy(metrics::flush).hasMessageContaining("No metrics were emitted");
  }

  @Test
  void lambdaProperties_areWrittenFromTheEnvironment_traceOnlyWhenSampled() {
    Map<String, String> env =
        Map.of(
            "AWS_EXECUTION_ENV", "AWS_Lambda_java17",
            "AWS_LAMBDA_FUNCTION_VERSION", "7",
            "AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/06/[7]abc",
            "_X_AMZN_TRACE_ID", "Root=1-5e1b4151-5ac6c58f3e1f2a1b;Sampled=1");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EmfMetrics metrics =
        new EmfMetrics(
            env::get,
            Clock.fixed(AT, ZoneOffset.UTC),
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    metrics.setNamespace("runfleet");
    metrics.setDefaultDimensions(DimensionSet.of("service", "producer"));
    metrics.addMetric("X", 1, MetricUnit.COUNT);
    metrics.flush();
    assertThat(bytes.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo(
            "{\"_aws\":{\"Timestamp\":1796518800123,\"CloudWatchMetrics\":[{\"Namespace\":\"runfleet\","
                + "\"Metrics\":[{\"Name\":\"X\",\"Unit\":\"Count\"}],\"Dimensions\":[[\"service\"]]}]},"
                + "\"executionEnvironment\":\"AWS_Lambda_java17\",\"functionVersion\":\"7\","
                + "\"logStreamId\":\"2026/12/06/[7]abc\","
                + "\"traceId\":\"Root=1-5e1b4151-5ac6c58f3e1f2a1b;Sampled=1\","
                + "\"service\":\"producer\",\"X\":1.0}");
  }

  @Test
  void metricsDisabled_printsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EmfMetrics metrics =
        new EmfMetrics(
            name -> "POWERTOOLS_METRICS_DISABLED".equals(name) ? "true" : null,
            Clock.fixed(AT, ZoneOffset.UTC),
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
    metrics.setNamespace("runfleet");
    metrics.addMetric("X", 1, MetricUnit.COUNT);
    metrics.flush();
    metrics.flushSingleMetric("Y", 1, MetricUnit.COUNT, "runfleet");
    assertThat(bytes.size()).isZero();
  }
}
