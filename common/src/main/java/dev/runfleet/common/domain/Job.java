package dev.runfleet.common.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The projection of one job attempt: what the event log says about it, plus the publisher's
 * dispatch decisions.
 *
 * @param key the job attempt
 * @param runId the workflow run
 * @param repository {@code owner/name}
 * @param organization the organisation login, or null for a user repository
 * @param installationId the GitHub App installation, or null
 * @param labels the job's labels as GitHub sent them
 * @param platform the platform routing chose; null when no platform serves the job, or when it was
 *     not allowed from its first event
 * @param status where the job stands
 * @param ignoredReason why the job is {@link JobStatus#IGNORED}, null for any other status
 * @param queuedAt when GitHub queued the job: the FIFO key, kept across re-queues
 * @param dispatchedRunner the runner the publisher requested on this job's account, or null
 * @param ranOn the runner GitHub reported the job on, or null
 * @param dispatchCount how many runners were requested on this job's account so far
 * @param version optimistic-concurrency version of the stored item, 0 for a job not yet stored
 * @param updatedAt last change
 */
public record Job(
    JobKey key,
    long runId,
    String repository,
    String organization,
    Long installationId,
    List<String> labels,
    String platform,
    JobStatus status,
    IgnoredReason ignoredReason,
    Instant queuedAt,
    String dispatchedRunner,
    String ranOn,
    int dispatchCount,
    long version,
    Instant updatedAt) {

  public Job {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(queuedAt, "queuedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    labels = List.copyOf(labels);
    if (platform == null && status != JobStatus.IGNORED) {
      throw new IllegalArgumentException("job " + key + " has no platform but is " + status);
    }
    if ((status == JobStatus.IGNORED) != (ignoredReason != null)) {
      throw new IllegalArgumentException(
          "job " + key + " is " + status + " with ignored reason " + ignoredReason);
    }
  }

  public Job withStatus(JobStatus newStatus, Instant at) {
    return copy(newStatus, ignoredReason, dispatchedRunner, ranOn, version, at);
  }

  /** This job back in the queue, with no runner requested on its account (its queue time kept). */
  public Job requeued(Instant at) {
    return copy(JobStatus.QUEUED, null, null, ranOn, version, at);
  }

  public Job withRanOn(String runner) {
    return copy(status, ignoredReason, dispatchedRunner, runner, version, updatedAt);
  }

  /** This job, ignored for {@code reason} from {@code at} on. */
  public Job ignored(IgnoredReason reason, Instant at) {
    return copy(JobStatus.IGNORED, reason, dispatchedRunner, ranOn, version, at);
  }

  /** This job as stored at {@code newVersion}. */
  public Job withVersion(long newVersion) {
    return copy(status, ignoredReason, dispatchedRunner, ranOn, newVersion, updatedAt);
  }

  /** The one place the fields the projection's withers change are rebuilt by position. */
  private Job copy(
      JobStatus newStatus,
      IgnoredReason newIgnoredReason,
      String newDispatchedRunner,
      String newRanOn,
      long newVersion,
      Instant newUpdatedAt) {
    return new Job(
        key,
        runId,
        repository,
        organization,
        installationId,
        labels,
        platform,
        newStatus,
        newIgnoredReason,
        queuedAt,
        newDispatchedRunner,
        newRanOn,
        dispatchCount,
        newVersion,
        newUpdatedAt);
  }

  /** True when nothing a projection reader cares about differs (version and timestamp aside). */
  public boolean sameStateAs(Job other) {
    return other != null
        && status == other.status
        && ignoredReason == other.ignoredReason
        && Objects.equals(ranOn, other.ranOn)
        && Objects.equals(dispatchedRunner, other.dispatchedRunner)
        && Objects.equals(platform, other.platform);
  }
}
