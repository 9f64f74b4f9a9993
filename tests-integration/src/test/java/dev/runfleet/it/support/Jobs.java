package dev.runfleet.it.support;

import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.WorkflowJobPayloads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Workflow jobs for scenarios: unique ids, label sets per platform, GitHub-shaped bodies. */
public final class Jobs {

  /** Served by {@code fargate} only. */
  public static final List<String> FARGATE = List.of("self-hosted", "fargate");

  /** Served by {@code ec2-linux-x64} only (GitHub's case-insensitive match). */
  public static final List<String> EC2_X64 = List.of("self-hosted", "Linux", "ec2", "X64");

  /** Served by {@code ec2-linux-arm64} only. */
  public static final List<String> EC2_ARM64 = List.of("self-hosted", "linux", "arm64");

  /** A GitHub-hosted label: runfleet must ignore the job. */
  public static final List<String> GITHUB_HOSTED = List.of("ubuntu-latest");

  public static final String ORGANIZATION = "octo-org";
  public static final long INSTALLATION_ID = 4242;

  /** GitHub's own runner, as its webhooks name it: never one of ours. */
  public static final String GITHUB_RUNNER = "GitHub Actions 5";

  public static final long GITHUB_RUNNER_ID = 5;

  private static final AtomicLong IDS = new AtomicLong(3_000_000_000L);

  private Jobs() {}

  /** A job id no other scenario in this JVM uses. */
  public static long nextId() {
    return IDS.incrementAndGet();
  }

  public static SimJob job(long jobId, List<String> labels, Duration duration) {
    return new SimJob(
        jobId,
        jobId / 3 + 1,
        1,
        labels,
        ORGANIZATION + "/service",
        ORGANIZATION,
        INSTALLATION_ID,
        duration,
        Instant.now());
  }

  public static SimJob job(List<String> labels) {
    return job(nextId(), labels, Duration.ofMillis(100));
  }

  /** The {@code queued} body GitHub sends for {@code job}. */
  public static byte[] queued(SimJob job) {
    return body(job, "queued", "queued", null, null, null);
  }

  /** A {@code queued} delivery whose job waits for an environment approval. */
  public static byte[] queuedWaiting(SimJob job) {
    return body(job, "queued", "waiting", null, null, null);
  }

  /** {@code in_progress} on GitHub's own runner. */
  public static byte[] inProgressOnGitHubRunner(SimJob job) {
    return body(job, "in_progress", "in_progress", GITHUB_RUNNER_ID, GITHUB_RUNNER, null);
  }

  /** {@code completed} (success) on GitHub's own runner. */
  public static byte[] completedOnGitHubRunner(SimJob job) {
    return body(job, "completed", "completed", GITHUB_RUNNER_ID, GITHUB_RUNNER, "success");
  }

  private static byte[] body(
      SimJob job,
      String action,
      String status,
      Long runnerId,
      String runnerName,
      String conclusion) {
    return WorkflowJobPayloads.of(
            job, action, status, runnerId, runnerName, conclusion, job.createdAt())
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * True when {@code runner} was requested on {@code key}'s account: runner names carry the job
   * they were requested for ({@code rf-<platform>-<jobId>-<attempt>-<n>}).
   */
  public static boolean requestedFor(Runner runner, JobKey key) {
    return Pattern.compile("rf-[a-z0-9-]+-" + key.jobId() + "-" + key.runAttempt() + "-\\d+")
        .matcher(runner.name())
        .matches();
  }

  /**
   * True when {@code runner} has anything to do with {@code key}: requested for it, or serving it
   * (GitHub may hand a runner another job than the one it was requested for).
   */
  public static boolean involves(Runner runner, JobKey key) {
    return requestedFor(runner, key) || key.equals(runner.jobKey());
  }
}
