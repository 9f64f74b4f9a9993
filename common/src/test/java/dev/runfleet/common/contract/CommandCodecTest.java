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
import java.util.Map;
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
  void forcedTearDown_matchesGoldenJson_bothWays() throws IOException {
    RunnerCommand.TearDown forced =
        new RunnerCommand.TearDown(
            1,
            "tear-down:rf-fargate-42-1-1",
            "rf-fargate-42-1-1",
            "fargate",
            "older than the maximum lifetime of 360 min and its grace of 30 min",
            Instant.parse("2026-11-01T16:31:00Z"),
            true,
            null);
    String golden = golden("tear-down-forced.v1.json");
    assertThat(json.readTree(codec.toJson(forced))).isEqualTo(json.readTree(golden));
    assertThat(codec.fromJson(golden)).isEqualTo(forced);
    assertThat(codec.fromJson(golden("tear-down.v1.json")))
        .as("a v1 tear-down without the field is not forced")
        .extracting(c -> ((RunnerCommand.TearDown) c).force())
        .isEqualTo(false);
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

  @Test
  void codec_readsAndWritesEverySealedSubtype_underItsRegisteredName() {
    Set<Class<?>> coded = Set.copyOf(CommandCodec.TYPES.values());
    assertThat(coded).containsExactlyInAnyOrder(RunnerCommand.class.getPermittedSubclasses());
    Map<String, Class<? extends RunnerCommand>> annotated =
        Arrays.stream(RunnerCommand.class.getAnnotation(JsonSubTypes.class).value())
            .collect(
                Collectors.toMap(
                    JsonSubTypes.Type::name, t -> t.value().asSubclass(RunnerCommand.class)));
    assertThat(CommandCodec.TYPES).isEqualTo(annotated);
  }

  @Test
  void spinUp_withoutOrganizationOrInstallation_leavesThemOut_andReadsBack() throws IOException {
    RunnerCommand.SpinUp bare =
        new RunnerCommand.SpinUp(
            1,
            "spin-up:r",
            "r",
            "fargate",
            new JobKey(7, 2),
            List.of("self-hosted"),
            "o/r",
            null,
            null,
            Instant.parse("2026-11-01T10:00:00Z"));
    JsonNode written = json.readTree(codec.toJson(bare));
    assertThat(written.has("organization")).isFalse();
    assertThat(written.has("installationId")).isFalse();
    assertThat(written.has("force")).isFalse();
    assertThat(codec.fromJson(codec.toJson(bare))).isEqualTo(bare);
  }

  @Test
  void fromJson_ignoresUnknownFields() throws IOException {
    String golden = golden("tear-down.v1.json");
    String extended = golden.replace("\"version\": 1", "\"version\": 1, \"later\": {\"x\": [1]}");
    assertThat(extended).isNotEqualTo(golden);
    assertThat(codec.fromJson(extended)).isEqualTo(TEAR_DOWN);
  }

  @Test
  void poison_missingOrMistypedFields_areMalformed_withTheField() throws IOException {
    String spinUp = golden("spin-up.v1.json");
    assertThatThrownBy(() -> codec.fromJson(spinUp.replace("\"job\": \"42:1\",", "")))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("job");
    assertThatThrownBy(() -> codec.fromJson(spinUp.replace("\"job\": \"42:1\"", "\"job\": \"42\"")))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("job key");
    assertThatThrownBy(
            () ->
                codec.fromJson(
                    spinUp.replace(
                        "[\"self-hosted\", \"linux\", \"x64\", \"fargate\"]", "\"linux\"")))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("runnerLabels");
    assertThatThrownBy(
            () -> codec.fromJson(spinUp.replace("\"2026-11-01T10:00:00Z\"", "\"yesterday\"")))
        .isInstanceOf(MalformedCommandException.class);
    assertThatThrownBy(() -> codec.fromJson(spinUp.replace("\"type\": \"spin-up\",", "")))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("type");
    assertThatThrownBy(() -> codec.fromJson("[1]"))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("object");
    assertThatThrownBy(
            () -> codec.fromJson(golden("tear-down.v1.json").replace("\"version\": 1,", "")))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("version");
  }
}
