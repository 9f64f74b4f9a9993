package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.local.bench.BuildComparison.Bench;
import dev.runfleet.local.bench.BuildComparison.Build;
import dev.runfleet.local.bench.BuildComparison.ChildRun;
import dev.runfleet.local.bench.BuildComparison.Slot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@code bench compare} that need no child process: order, extraction, summary. */
class BuildComparisonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two reports of bench coldstart as the jars of 185844f and 7bb65a0 printed them. */
  private static final String COLDSTART_BEFORE =
      "{\"bench\":\"coldstart\",\"runs\":5,\"bareJvmMedianMs\":108.2,\"functions\":{"
          + "\"producer\":{\"medianMs\":1677.1,\"ratioToBareJvm\":15.5,\"minMs\":1599.8},"
          + "\"publisher\":{\"medianMs\":2245.7,\"ratioToBareJvm\":20.75}},\"loadAverage\":1.19}";

  private static final String COLDSTART_AFTER =
      "{\"bench\":\"coldstart\",\"runs\":5,\"bareJvmMedianMs\":109.3,\"functions\":{"
          + "\"producer\":{\"medianMs\":1413.6,\"ratioToBareJvm\":12.93,\"cpuMedianMs\":1800.0},"
          + "\"publisher\":{\"medianMs\":1561.1,\"ratioToBareJvm\":14.28,\"cpuMedianMs\":1930.0}},"
          + "\"loadAverage\":1.17}";

  @Test
  void order_isAbba_eachBuildOncePerRound() {
    List<Slot> order = BuildComparison.order(3);

    assertThat(order)
        .containsExactly(
            new Slot(1, Build.BEFORE),
            new Slot(1, Build.AFTER),
            new Slot(2, Build.AFTER),
            new Slot(2, Build.BEFORE),
            new Slot(3, Build.BEFORE),
            new Slot(3, Build.AFTER));
  }

  @Test
  void lastJsonObject_takesTheLastLineThatIsOneWholeJsonObject() {
    List<String> stdout =
        List.of(
            "runfleet bench pipeline: log lines go to /tmp/x.log",
            "{\"jobsPerSecond\":1.0}",
            "300 jobs (255 runnable) in 9.1 s: 33.0 jobs/s",
            "  {\"jobsPerSecond\":33.0,\"passed\":true}  ",
            "[1, 2, 3]",
            "{ not json, just a brace }",
            "{\"jobsPerSecond\":99.0} and text after it",
            "42",
            "");

    assertThat(BuildComparison.lastJsonObject(stdout))
        .get()
        .extracting(node -> node.path("jobsPerSecond").asDouble())
        .isEqualTo(33.0);
  }

  @Test
  void lastJsonObject_withNoObjectLine_isEmpty() {
    assertThat(BuildComparison.lastJsonObject(List.of("Error: Unable to access jarfile x", "[]")))
        .isEmpty();
    assertThat(BuildComparison.lastJsonObject(List.of())).isEmpty();
  }

  @Test
  void metrics_ofEachBench_areItsKeyFiguresByName() throws Exception {
    assertThat(Bench.COLDSTART.metrics(JSON.readTree(COLDSTART_AFTER)))
        .containsExactly(
            java.util.Map.entry("bareJvmMedianMs", 109.3),
            java.util.Map.entry("producer.medianMs", 1413.6),
            java.util.Map.entry("producer.ratioToBareJvm", 12.93),
            java.util.Map.entry("producer.cpuMedianMs", 1800.0),
            java.util.Map.entry("publisher.medianMs", 1561.1),
            java.util.Map.entry("publisher.ratioToBareJvm", 14.28),
            java.util.Map.entry("publisher.cpuMedianMs", 1930.0));
    assertThat(
            Bench.WEBHOOK.metrics(
                JSON.readTree(
                    "{\"modes\":{\"stub\":{\"requestsPerSecond\":10871.1,\"p50Micros\":135.3,"
                        + "\"cpuMicrosPerRequest\":180.0},\"sdk\":{\"requestsPerSecond\":1215.6,"
                        + "\"cpuMicrosPerRequest\":1627.0}},\"loadAverage\":4.52}")))
        .containsOnlyKeys(
            "stub.requestsPerSecond",
            "stub.cpuMicrosPerRequest",
            "sdk.requestsPerSecond",
            "sdk.cpuMicrosPerRequest");
    assertThat(Bench.PIPELINE.metrics(JSON.readTree(pipeline(30.0, 60, true))))
        .containsOnlyKeys(
            "jobsPerSecond",
            "concludedJobsPerSecond",
            "cpuMillisPerJob",
            "seconds",
            "queuedToDispatchedP50Ms");
  }

  @Test
  void summary_givesEachBuildsMedianMinAndMax_andTheRatioOfTheMedians() throws Exception {
    List<ChildRun> runs = new ArrayList<>();
    double[] before = {30.0, 36.0, 33.0};
    double[] after = {40.0, 44.0, 38.0};
    for (int i = 0; i < 3; i++) {
      runs.add(run(i + 1, Build.BEFORE, pipeline(before[i], 60 + i, true), null));
      runs.add(run(i + 1, Build.AFTER, pipeline(after[i], 50 - i, true), null));
    }

    JsonNode summary = BuildComparison.summary(Bench.PIPELINE, runs);

    JsonNode jobs = summary.path("metrics").path("jobsPerSecond");
    assertThat(jobs.path("before").path("median").asDouble()).isEqualTo(33.0);
    assertThat(jobs.path("before").path("min").asDouble()).isEqualTo(30.0);
    assertThat(jobs.path("before").path("max").asDouble()).isEqualTo(36.0);
    assertThat(jobs.path("after").path("median").asDouble()).isEqualTo(40.0);
    assertThat(jobs.path("ratio").asDouble()).isEqualTo(1.212);
    JsonNode cpu = summary.path("metrics").path("cpuMillisPerJob");
    assertThat(cpu.path("before").path("median").asDouble()).isEqualTo(61.0);
    assertThat(cpu.path("after").path("median").asDouble()).isEqualTo(49.0);
    assertThat(cpu.path("ratio").asDouble()).isEqualTo(0.803);
    assertThat(summary.path("runs").toString()).isEqualTo("{\"before\":3,\"after\":3}");
    assertThat(summary.path("passed").toString()).isEqualTo("{\"before\":true,\"after\":true}");
    assertThat(summary.path("failures")).isEmpty();
  }

  @Test
  void summary_ofColdStarts_comparesEachFunction_andOnlyMetricsBothBuildsReport() throws Exception {
    List<ChildRun> runs =
        List.of(
            run(1, Build.BEFORE, COLDSTART_BEFORE, null),
            run(1, Build.AFTER, COLDSTART_AFTER, null));

    JsonNode metrics = BuildComparison.summary(Bench.COLDSTART, runs).path("metrics");

    // each function's figures together, though only the later report has cpuMedianMs
    assertThat(metrics.fieldNames())
        .toIterable()
        .containsExactly(
            "bareJvmMedianMs",
            "producer.medianMs",
            "producer.ratioToBareJvm",
            "producer.cpuMedianMs",
            "publisher.medianMs",
            "publisher.ratioToBareJvm",
            "publisher.cpuMedianMs");

    assertThat(metrics.path("producer.medianMs").path("ratio").asDouble()).isEqualTo(0.843);
    assertThat(metrics.path("publisher.ratioToBareJvm").path("ratio").asDouble()).isEqualTo(0.688);
    assertThat(metrics.path("bareJvmMedianMs").path("ratio").asDouble()).isEqualTo(1.01);
    // The old build did not report CPU: the new build's figures, and no ratio.
    assertThat(metrics.path("producer.cpuMedianMs").has("before")).isFalse();
    assertThat(metrics.path("producer.cpuMedianMs").path("after").path("median").asDouble())
        .isEqualTo(1800.0);
    assertThat(metrics.path("producer.cpuMedianMs").has("ratio")).isFalse();
    // Bench coldstart reports no "passed": the summary claims none.
    assertThat(BuildComparison.summary(Bench.COLDSTART, runs).has("passed")).isFalse();
  }

  @Test
  void summary_whenARunFailedItsGuarantees_saysSoForItsBuild_andListsTheFailure() throws Exception {
    List<ChildRun> runs =
        List.of(
            run(1, Build.BEFORE, pipeline(30, 60, true), null),
            run(1, Build.AFTER, pipeline(30, 60, false), "round 1, after (/b): exited 1"),
            run(2, Build.AFTER, null, "round 2, after (/b): printed no JSON line (exit 1)"));

    JsonNode summary = BuildComparison.summary(Bench.PIPELINE, runs);

    assertThat(summary.path("passed").toString()).isEqualTo("{\"before\":true,\"after\":false}");
    assertThat(summary.path("runs").toString()).isEqualTo("{\"before\":1,\"after\":1}");
    assertThat(summary.path("failures"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "round 1, after (/b): exited 1", "round 2, after (/b): printed no JSON line (exit 1)");
  }

  @Test
  void
      jarLauncher_runsTheBuildsJar_theColdStartWithItsOwnLambdaJars_thePipelineAndWebhookWithTheDeployedJit(
          @TempDir Path build) throws Exception {
    Files.writeString(build.resolve("runfleet.jar"), "");
    for (ColdStartBenchmark.Function f : ColdStartBenchmark.Function.values()) {
      Files.writeString(build.resolve(f.jar()), "");
    }

    List<String> pipeline =
        BuildComparison.Launcher.JAR.command(build, Bench.PIPELINE, List.of("--jobs", "300"));
    List<String> coldstart =
        BuildComparison.Launcher.JAR.command(build, Bench.COLDSTART, List.of("--runs", "2"));

    assertThat(pipeline.get(0)).endsWith("java");
    assertThat(pipeline.subList(1, pipeline.size()))
        .containsExactly(
            "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            build.resolve("runfleet.jar").toString(),
            "bench",
            "pipeline",
            "--jobs",
            "300");
    assertThat(coldstart.subList(3, coldstart.size()))
        .containsExactly("bench", "coldstart", "--jars", build.toString(), "--runs", "2");
    assertThat(
            BuildComparison.Launcher.JAR.command(build, Bench.WEBHOOK, List.of("--modes", "stub")))
        .containsSubsequence(
            "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-jar", "bench", "webhook")
        .endsWith("--modes", "stub");
  }

  @Test
  void jarLauncher_refusesADirectoryWithoutTheJarsTheBenchStarts(@TempDir Path build)
      throws Exception {
    assertThatThrownBy(() -> BuildComparison.Launcher.JAR.command(build, Bench.WEBHOOK, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(build + " holds no runfleet.jar");
    Files.writeString(build.resolve("runfleet.jar"), "");
    assertThatThrownBy(
            () -> BuildComparison.Launcher.JAR.command(build, Bench.COLDSTART, List.of()))
        .hasMessage(build + " holds no runfleet-producer-lambda.jar, which bench coldstart starts");
  }

  @Test
  void options_refuseJarsForColdStart_whichEachBuildTakesFromItsOwnDirectory() {
    assertThatThrownBy(
            () ->
                new BuildComparison.Options(
                    Path.of("a"),
                    Path.of("b"),
                    Bench.COLDSTART,
                    2,
                    Duration.ofSeconds(1),
                    List.of("--jars=/tmp/x"),
                    Path.of("log")))
        .hasMessageStartingWith("--jars is compare's to set");
  }

  private static ChildRun run(int round, Build build, String result, String error)
      throws Exception {
    return new ChildRun(
        new Slot(round, build),
        Path.of(build.label()),
        1.5,
        error == null ? 0 : 1,
        10.0,
        result == null ? null : JSON.readTree(result),
        error);
  }

  private static String pipeline(double jobsPerSecond, long cpuMillisPerJob, boolean passed) {
    return "{\"benchmark\":\"pipeline\",\"passed\":"
        + passed
        + ",\"jobs\":300,\"seconds\":"
        + (300 / jobsPerSecond)
        + ",\"jobsPerSecond\":"
        + jobsPerSecond
        + ",\"concludedJobsPerSecond\":"
        + (jobsPerSecond * 2)
        + ",\"queuedToDispatchedP50Ms\":900,\"cpuMillisPerJob\":"
        + cpuMillisPerJob
        + ",\"checks\":{\"drained\":"
        + passed
        + "},\"loadAverage\":3.0}";
  }
}
