package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class JobsTableTest {

  private static final Instant T = Instant.parse("2026-11-01T10:00:00.123Z");

  private static Job job(JobStatus status) {
    return new Job(
        new JobKey(42, 2),
        7,
        "octo/repo",
        "octo",
        99L,
        List.of("self-hosted", "ARM64"),
        "ec2-linux-arm64",
        status,
        null,
        T,
        "rf-ec2-linux-arm64-42-2-1",
        null,
        1,
        3,
        T.plusSeconds(5));
  }

  @Test
  void job_roundTripsThroughItsItem() {
    Job job = job(JobStatus.DISPATCHED);
    assertThat(JobsTable.toJob(JobsTable.jobItem(job))).isEqualTo(job);
  }

  @Test
  void queueIndexKeys_arePresentOnlyWhileQueued() {
    Map<String, AttributeValue> queued = JobsTable.jobItem(job(JobStatus.QUEUED));
    assertThat(queued.get(JobsTable.QUEUE_PK).s()).isEqualTo("ec2-linux-arm64");
    assertThat(queued.get(JobsTable.QUEUE_SK).s())
        .startsWith(String.format("%013d#", T.toEpochMilli()));
    for (JobStatus other :
        List.of(
            JobStatus.WAITING, JobStatus.DISPATCHED, JobStatus.IN_PROGRESS, JobStatus.COMPLETED)) {
      assertThat(JobsTable.jobItem(job(other)))
          .doesNotContainKeys(JobsTable.QUEUE_PK, JobsTable.QUEUE_SK);
    }
  }

  @Test
  void queueSortKey_ordersByTimeThenJob() {
    JobKey small = new JobKey(9, 1);
    JobKey large = new JobKey(10, 1);
    assertThat(JobsTable.queueSortKey(T, small)).isLessThan(JobsTable.queueSortKey(T, large));
    assertThat(JobsTable.queueSortKey(T, large))
        .isLessThan(JobsTable.queueSortKey(T.plusMillis(1), small));
    assertThat(JobsTable.queueSortKey(Instant.ofEpochMilli(999), large))
        .isLessThan(JobsTable.queueSortKey(Instant.ofEpochMilli(1000), small));
  }

  @Test
  void runner_roundTripsThroughItsItem_withAndWithoutAJob() {
    Runner runner =
        new Runner(
            "rf-fargate-1-1-1",
            "fargate",
            new JobKey(1, 1),
            new GitHubScope("octo", "octo/repo", 5L),
            RunnerStatus.LAUNCHED,
            "arn:task/1",
            1001L,
            false,
            null,
            T,
            T.plusSeconds(1));
    assertThat(JobsTable.toRunner(JobsTable.runnerItem(runner))).isEqualTo(runner);
    Runner orphan =
        new Runner(
            "rf-fargate-1-1-1",
            "fargate",
            null,
            new GitHubScope(null, "me/repo", null),
            RunnerStatus.STOPPED,
            null,
            null,
            true,
            "idle",
            T,
            T);
    assertThat(JobsTable.toRunner(JobsTable.runnerItem(orphan))).isEqualTo(orphan);
  }

  @Test
  void everyItem_expires() {
    assertThat(JobsTable.jobItem(job(JobStatus.COMPLETED)).get(JobsTable.TTL).n())
        .isEqualTo(Long.toString(T.plusSeconds(5).plus(JobsTable.RETENTION).getEpochSecond()));
  }
}
