package dev.runfleet.local.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulated GitHub's bodies (and {@code runfleet send}'s) have the shape of GitHub's official
 * example payloads ({@code shared/fixtures/github}): the same {@code workflow_job} fields in the
 * same order, and every top-level object the schema requires.
 */
class WorkflowJobPayloadsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final SimJob JOB =
      new SimJob(
          9,
          8,
          1,
          List.of("self-hosted", "fargate"),
          "octo-org/octo-repo",
          "octo-org",
          3,
          Duration.ZERO,
          Instant.parse("2026-12-05T10:00:00Z"));

  @ParameterizedTest
  @CsvSource({
    "queued, queued.payload.json, ,",
    "in_progress, in_progress.payload.json, rf-1,",
    "completed, completed.success.with-organization.payload.json, rf-1, success"
  })
  void body_hasTheFieldsOfGitHubsExample_inItsOrder(
      String action, String fixture, String runner, String conclusion) throws Exception {
    JsonNode example = JSON.readTree(Files.readAllBytes(fixtures().resolve(fixture)));

    JsonNode built =
        JSON.readTree(
            WorkflowJobPayloads.of(
                JOB,
                action,
                action,
                runner == null ? null : 5L,
                runner,
                conclusion,
                Instant.now()));

    assertThat(names(built.path("workflow_job")))
        .containsExactlyElementsOf(names(example.path("workflow_job")));
    assertThat(names(built)).contains("action", "workflow_job", "repository", "sender");
    assertThat(names(built.path("repository")))
        .contains("id", "node_id", "name", "full_name", "private", "owner");
    if (runner == null) {
      // GitHub's schema: runner fields are null while the job is queued (the example fills them).
      assertThat(built.path("workflow_job").path("runner_group_id").isNull()).isTrue();
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Path fixtures() {
    return Path.of(System.getProperty("runfleet.fixtures.dir", "../../shared/fixtures/github"));
  }
}
