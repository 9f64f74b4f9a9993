package dev.runfleet.local.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * {@code workflow_job} webhook bodies in GitHub's shape (the fields of its documented payload that
 * matter here).
 */
public final class WorkflowJobPayloads {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkflowJobPayloads() {}

  /**
   * @param action GitHub's action ({@code queued}, {@code waiting}, {@code in_progress}, {@code
   *     completed})
   * @param status the job's status field, which differs from the action in places ({@code waiting}
   *     jobs are announced {@code queued})
   * @param runnerId the runner GitHub reports, or null
   * @param runnerName its name, or null
   * @param conclusion the conclusion on {@code completed}, else null
   */
  public static String of(
      SimJob job,
      String action,
      String status,
      Long runnerId,
      String runnerName,
      String conclusion,
      Instant now) {
    ObjectNode root = JSON.createObjectNode();
    root.put("action", action);
    ObjectNode wj = root.putObject("workflow_job");
    wj.put("id", job.jobId());
    wj.put("run_id", job.runId());
    wj.put("run_attempt", job.runAttempt());
    wj.put("status", status);
    if (conclusion == null) {
      wj.putNull("conclusion");
    } else {
      wj.put("conclusion", conclusion);
    }
    wj.put("created_at", job.createdAt().toString());
    wj.put("started_at", job.createdAt().toString());
    if ("completed".equals(action)) {
      wj.put("completed_at", now.toString());
    } else {
      wj.putNull("completed_at");
    }
    wj.put("name", "job-" + job.jobId());
    wj.put("workflow_name", "sim");
    ArrayNode labels = wj.putArray("labels");
    job.labels().forEach(labels::add);
    if (runnerName == null) {
      wj.putNull("runner_id");
      wj.putNull("runner_name");
    } else {
      wj.put("runner_id", runnerId);
      wj.put("runner_name", runnerName);
    }
    ObjectNode repo = root.putObject("repository");
    repo.put("full_name", job.repository());
    repo.put("name", job.repository().substring(job.repository().indexOf('/') + 1));
    if (job.organization() != null) {
      root.putObject("organization").put("login", job.organization());
    }
    root.putObject("installation").put("id", job.installationId());
    return root.toString();
  }
}
