package dev.runfleet.local.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A workflow job as the simulated GitHub knows it.
 *
 * @param jobId GitHub's job id
 * @param runId the workflow run
 * @param runAttempt the attempt
 * @param labels {@code runs-on} labels
 * @param repository {@code owner/name}
 * @param organization the owning organisation, or null
 * @param installationId the App installation
 * @param duration how long the job runs once a runner takes it
 * @param createdAt when it was queued
 */
public record SimJob(
    long jobId,
    long runId,
    int runAttempt,
    List<String> labels,
    String repository,
    String organization,
    long installationId,
    Duration duration,
    Instant createdAt) {

  public SimJob {
    labels = List.copyOf(labels);
  }

  /** The same job, queued at {@code queuedAt}. */
  public SimJob withCreatedAt(Instant queuedAt) {
    return new SimJob(
        jobId,
        runId,
        runAttempt,
        labels,
        repository,
        organization,
        installationId,
        duration,
        queuedAt);
  }
}
