package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.local.bench.ColdStartBenchmark.Function;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cold-start benchmark end to end, once: the shaded jars the reactor built run in fresh JVMs,
 * one through Lambda's stream entry (the producer) and one through the runtime's event
 * deserialisation (an orchestrator), and each answers its event.
 */
class ColdStartBenchmarkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES = WebhookBenchmark.findFixtures().orElseThrow();

  private static ColdStartBenchmark.Options options(List<Function> functions, Path jars) {
    return options(functions, jars, false);
  }

  private static ColdStartBenchmark.Options options(
      List<Function> functions, Path jars, boolean primed) {
    ColdStartBenchmark.Options defaults = ColdStartBenchmark.Options.defaults();
    return new ColdStartBenchmark.Options(
        1, functions, jars, FIXTURES, defaults.java(), List.of(), primed);
  }

  /** The bench's printed lines, its JSON last. */
  private static List<String> run(ColdStartBenchmark.Options options) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ColdStartBenchmark.print(new ColdStartBenchmark(options).run(out), out);
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void run_startsEachJarInAFreshJvm_andReportsMediansAndRatiosAsTheLastJsonLine() throws Exception {
    List<String> lines = run(options(List.of(Function.PRODUCER, Function.ORCHESTRATORS), null));
    JsonNode report = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(report.path("bench").asText()).isEqualTo("coldstart");
    assertThat(report.path("flags").toString()).contains("-XX:TieredStopAtLevel=1");
    assertThat(report.path("bareJvmMedianMs").asDouble()).isPositive();
    assertThat(report.path("functions").fieldNames())
        .toIterable()
        .containsExactly("producer", "orchestrators");
    assertThat(report.path("primed").asBoolean()).isFalse();
    for (JsonNode function : report.path("functions")) {
      assertThat(function.path("medianMs").asDouble()).isPositive();
      // the first invocation, timed inside the child: part of the run, never all of it
      assertThat(function.path("invocationMedianMs").asDouble())
          .isPositive()
          .isLessThan(function.path("medianMs").asDouble());
      // the child's CPU, read while it still runs: some, and no more than its cores allow
      assertThat(function.path("cpuMedianMs").asDouble())
          .isPositive()
          .isLessThanOrEqualTo(
              Runtime.getRuntime().availableProcessors() * function.path("maxMs").asDouble());
      assertThat(function.path("ratioToBareJvm").asDouble())
          .isEqualTo(
              Rates.round(
                  function.path("medianMs").asDouble() / report.path("bareJvmMedianMs").asDouble(),
                  2),
              org.assertj.core.data.Offset.offset(0.02));
    }
    // The producer's answer to GitHub's queued example, as the child printed it.
    assertThat(lines)
        .anyMatch(l -> l.contains("producer") && l.contains("\\\"result\\\":\\\"recorded\\\""));
  }

  @Test
  void run_primed_runsEachHandlersSnapStartPrimingBeforeTheTimedInvocation() throws Exception {
    List<String> lines = run(options(List.of(Function.values()), null, true));
    JsonNode report = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(report.path("primed").asBoolean()).isTrue();
    for (JsonNode function : report.path("functions")) {
      assertThat(function.path("invocationMedianMs").asDouble())
          .isPositive()
          .isLessThan(function.path("medianMs").asDouble());
    }
    assertThat(lines).anyMatch(l -> l.contains("first invocation after priming"));
  }

  @Test
  void answered_acceptsARecordedWebhookAndAnEmptyBatchFailureList_only() {
    assertThat(
            ColdStartBenchmark.answered(
                Function.PRODUCER,
                "{\"statusCode\":200,\"body\":\"{\\\"result\\\":\\\"recorded\\\"}\"}"))
        .isTrue();
    assertThat(ColdStartBenchmark.answered(Function.PRODUCER, "{\"statusCode\":401}")).isFalse();
    assertThat(ColdStartBenchmark.answered(Function.PUBLISHER, "{\"batchItemFailures\":[]}"))
        .isTrue();
    assertThat(
            ColdStartBenchmark.answered(
                Function.ORCHESTRATORS, "{\"batchItemFailures\":[{\"itemIdentifier\":\"m\"}]}"))
        .isFalse();
  }

  @Test
  void withLabels_replacesTheJobsRunsOnLabels_andNothingElse() {
    String payload =
        "{\"action\":\"queued\",\"workflow_job\":{\"id\":1,\"labels\":[\"ubuntu-latest\"],"
            + "\"runner_id\":null}}";

    assertThat(ColdStartBenchmark.withLabels(payload, "[\"self-hosted\", \"fargate\"]"))
        .isEqualTo(
            "{\"action\":\"queued\",\"workflow_job\":{\"id\":1,\"labels\": [\"self-hosted\","
                + " \"fargate\"],\"runner_id\":null}}");
  }

  @Test
  void constructor_whenAJarIsMissing_saysWhichAndHowToBuildIt() {
    assertThatThrownBy(
            () ->
                new ColdStartBenchmark(
                    options(List.of(Function.PUBLISHER), Path.of("no-such-dir"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runfleet-publisher-lambda.jar");
  }

  @Test
  void deployedJitFlags_areTheJavaToolOptionsTerraformSetsOnEveryFunction() throws Exception {
    Optional<Path> module =
        WorkingTree.find("infra-terraform/modules/lambda/main.tf", Files::isRegularFile);
    assertThat(module).as("infra-terraform in the working directory or a parent").isPresent();
    String lambda = Files.readString(module.get());

    Matcher options = Pattern.compile("JAVA_TOOL_OPTIONS\\s*=\\s*\"([^\"]*)\"").matcher(lambda);

    assertThat(options.find()).as("JAVA_TOOL_OPTIONS in modules/lambda").isTrue();
    assertThat(List.of(options.group(1).trim().split("\\s+")))
        .isEqualTo(ColdStartBenchmark.DEPLOYED_JIT_FLAGS);
  }

  @Test
  void probeClasses_makeOneJarByContent_thatClassDataSharingCanFindAgain() throws Exception {
    Path first = ColdStartBenchmark.ProbeClasses.jar();
    long made = Files.getLastModifiedTime(first).toMillis();
    Path second = ColdStartBenchmark.ProbeClasses.jar();

    assertThat(second).as("the same classes, the same jar").isEqualTo(first);
    assertThat(Files.getLastModifiedTime(second).toMillis()).as("not rewritten").isEqualTo(made);
    assertThat(first.getFileName().toString())
        .matches("runfleet-coldstart-probe-[0-9a-f]{64}\\.jar");
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(first.toFile())) {
      assertThat(jar.getEntry(ColdStartProbe.class.getName().replace('.', '/') + ".class"))
          .isNotNull();
    }
  }
}
