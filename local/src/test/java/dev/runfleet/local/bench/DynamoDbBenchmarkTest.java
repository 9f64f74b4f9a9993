package dev.runfleet.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulator benchmark end to end at a tiny size: every operation measured, one JSON line. */
class DynamoDbBenchmarkTest {

  @Test
  void run_atATinySize_reportsEveryOperationAsTheLastJsonLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    DynamoDbBenchmark.print(
        new DynamoDbBenchmark(new DynamoDbBenchmark.Options(30, 2, 5)).run(out), out);

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(report.path("operations").fieldNames())
        .toIterable()
        .containsExactly(
            "PutItem", "GetItem", "UpdateItem", "Query", "TransactWriteItems", "GetRecords");
    for (JsonNode operation : report.path("operations")) {
      assertThat(operation.path("calls").asInt()).isEqualTo(30);
      assertThat(operation.path("callsPerSecond").asDouble()).isPositive();
      assertThat(operation.path("p99Micros").asDouble())
          .isGreaterThanOrEqualTo(operation.path("p50Micros").asDouble());
    }
    assertThat(report.path("threads").asInt()).isEqualTo(2);
  }

  @Test
  void options_outOfRange_areRefusedWithTheOptionName() {
    assertThatThrownBy(() -> new DynamoDbBenchmark.Options(0, 2, 5))
        .hasMessageContaining("--calls");
    assertThatThrownBy(() -> new DynamoDbBenchmark.Options(10, 0, 5))
        .hasMessageContaining("--threads");
    assertThatThrownBy(() -> new DynamoDbBenchmark.Options(10, 2, -1))
        .hasMessageContaining("--warmup");
  }
}
