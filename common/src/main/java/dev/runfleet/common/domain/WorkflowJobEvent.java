package dev.runfleet.common.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One verified {@code workflow_job} delivery, reduced to what runfleet needs.
 *
 * @param deliveryId GitHub's {@code X-GitHub-Delivery}: stays the same on redelivery
 * @param kind what the delivery means (see {@link EventKind})
 * @param key the job attempt
 * @param runId the workflow run
 * @param repository {@code owner/name}
 * @param organization the organisation login when the repository belongs to one, else null
 * @param installationId the GitHub App installation that sent it, else null
 * @param labels the job's {@code runs-on} labels as GitHub sent them
 * @param runnerId the runner GitHub reports the job on ({@code in_progress}, {@code completed}),
 *     else null
 * @param runnerName that runner's name, else null
 * @param createdAt when GitHub queued the job: the FIFO order key
 * @param conclusion GitHub's conclusion on {@code completed}, else null
 */
public record WorkflowJobEvent(
    String deliveryId,
    EventKind kind,
    JobKey key,
    long runId,
    String repository,
    String organization,
    Long installationId,
    List<String> labels,
    Long runnerId,
    String runnerName,
    Instant createdAt,
    String conclusion) {

  public WorkflowJobEvent {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(createdAt, "createdAt");
    labels = List.copyOf(labels);
    if (deliveryId.isBlank()) {
      throw new IllegalArgumentException("deliveryId is blank");
    }
  }

  /**
   * The runner GitHub names for this event, or null where the event cannot name one (queued,
   * waiting).
   */
  public String reportedRunner() {
    boolean running = kind == EventKind.IN_PROGRESS || kind == EventKind.COMPLETED;
    return running && runnerName != null && !runnerName.isBlank() ? runnerName : null;
  }
}
