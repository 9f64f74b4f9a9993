package dev.runfleet.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.domain.JobKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CommandCodecTest {

  private final CommandCodec codec = new CommandCodec();
  private final ObjectMapper json = new ObjectMapper();

  static final RunnerCommand.SpinUp SPIN_UP =
      new RunnerCommand.SpinUp(
          1,
          "spin-up:rf-fargate-42-1-1",
          "rf-fargate-42-1-1",
          "fargate",
          new JobKey(42, 1),
          List.of("self-hosted", "linux", "x64", "fargate"),
          "octo-org/octo-repo",
          "octo-org",
          3456996L,
          Instant.parse("2026-11-01T10:00:00Z"));

  static final RunnerCommand.TearDown TEAR_DOWN =
      new RunnerCommand.TearDown(
          1,
          "tear-down:rf-fargate-42-1-1",
          "rf-fargate-42-1-1",
          "fargate",
          "job 42:1 completed",
          Instant.parse("2026-11-01T10:05:00Z"));

  private String golden(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/contract/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void spinUp_matchesGoldenJson_bothWays() throws IOException {
    String golden = golden("spin-up.v1.json");
    assertThat(json.readTree(codec.toJson(SPIN_UP))).isEqualTo(json.readTree(golden));
    assertThat(codec.fromJson(golden)).isEqualTo(SPIN_UP);
  }

  @Test
  void tearDown_matchesGoldenJson_bothWays() throws IOException {
    String golden = golden("tear-down.v1.json");
    assertThat(json.readTree(codec.toJson(TEAR_DOWN))).isEqualTo(json.readTree(golden));
    assertThat(codec.fromJson(golden)).isEqualTo(TEAR_DOWN);
  }

  @Test
  void orphanHostTearDown_matchesGoldenJson_bothWays_andAPlainOneCarriesNoHost()
      throws IOException {
    RunnerCommand.TearDown orphan =
        RunnerCommand.TearDown.orphanHost(
            "rf-ec2-linux-x64-42-1-1",
            "ec2-linux-x64",
            "i-0abc1234def567890",
            "orphan host: its runner record is gone",
            Instant.parse("2026-11-01T10:05:00Z"));
    String golden = golden("tear-down-orphan-host.v1.json");
    assertThat(json.readTree(codec.toJson(orphan))).isEqualTo(json.readTree(golden));
    assertThat(codec.fromJson(golden)).isEqualTo(orphan);
    assertThat(json.readTree(codec.toJson(TEAR_DOWN)).has("hostId")).isFalse();
  }

  @Test
  void everySealedSubtype_hasARegisteredJsonName() {
    Set<Class<?>> registered =
        Arrays.stream(RunnerCommand.class.getAnnotation(JsonSubTypes.class).value())
            .map(JsonSubTypes.Type::value)
            .collect(Collectors.toSet());
    assertThat(registered).containsExactlyInAnyOrder(RunnerCommand.class.getPermittedSubclasses());
  }

  @Test
  void typeField_isTheRegisteredName() throws IOException {
    JsonNode node = json.readTree(codec.toJson(TEAR_DOWN));
    assertThat(node.get("type").asText()).isEqualTo(RunnerCommand.TEAR_DOWN);
    assertThat(node.get("version").asInt()).isEqualTo(RunnerCommand.CURRENT_VERSION);
  }

  @Test
  void poison_isMalformed_withAReason() {
    assertThatThrownBy(() -> codec.fromJson("{not json"))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> codec.fromJson("{\"type\":\"explode\",\"version\":1}"))
        .isInstanceOf(MalformedCommandException.class);
    assertThatThrownBy(
            () ->
                codec.fromJson(
                    golden("spin-up.v1.json").replace("\"version\": 1", "\"version\": 9")))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> codec.fromJson("")).isInstanceOf(MalformedCommandException.class);
  }
}
