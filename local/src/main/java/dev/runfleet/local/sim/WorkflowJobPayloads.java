package dev.runfleet.local.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * {@code workflow_job} webhook bodies in GitHub's shape: every field of the official example
 * payloads' {@code workflow_job} in their order, and the repository, organisation, sender and
 * installation objects with the fields that identify them. URLs and ids that runfleet never reads
 * are derived from the job's, so two bodies of one job agree.
 */
public final class WorkflowJobPayloads {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "https://api.github.com";
  private static final String WEB = "https://github.com";

  /** The runner group GitHub reports for a runner runfleet registered (the default group). */
  private static final long RUNNER_GROUP_ID = 1;

  private static final String RUNNER_GROUP_NAME = "Default";

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
    String repoPath = "/repos/" + job.repository();
    ObjectNode root = JSON.createObjectNode();
    root.put("action", action);
    ObjectNode wj = root.putObject("workflow_job");
    wj.put("id", job.jobId());
    wj.put("run_id", job.runId());
    wj.put("run_url", API + repoPath + "/actions/runs/" + job.runId());
    wj.put("run_attempt", job.runAttempt());
    wj.put("node_id", nodeId("WorkflowJob", job.jobId()));
    wj.put("head_sha", String.format("%040x", job.runId()));
    wj.put("head_branch", "main");
    wj.put("url", API + repoPath + "/actions/jobs/" + job.jobId());
    wj.put(
        "html_url",
        WEB + "/" + job.repository() + "/actions/runs/" + job.runId() + "/job/" + job.jobId());
    wj.put("status", status);
    if (conclusion == null) {
      wj.putNull("conclusion");
    } else {
      wj.put("conclusion", conclusion);
    }
    wj.put("started_at", job.createdAt().toString());
    wj.put("created_at", job.createdAt().toString());
    if ("completed".equals(action)) {
      wj.put("completed_at", now.toString());
    } else {
      wj.putNull("completed_at");
    }
    wj.put("name", "job-" + job.jobId());
    wj.putArray("steps");
    wj.put("check_run_url", API + repoPath + "/check-runs/" + job.jobId());
    ArrayNode labels = wj.putArray("labels");
    job.labels().forEach(labels::add);
    if (runnerName == null) {
      wj.putNull("runner_id");
      wj.putNull("runner_name");
      wj.putNull("runner_group_id");
      wj.putNull("runner_group_name");
    } else {
      wj.put("runner_id", runnerId);
      wj.put("runner_name", runnerName);
      wj.put("runner_group_id", RUNNER_GROUP_ID);
      wj.put("runner_group_name", RUNNER_GROUP_NAME);
    }
    wj.put("workflow_name", "sim");
    String owner = job.repository().substring(0, job.repository().indexOf('/'));
    ObjectNode repo = root.putObject("repository");
    repo.put("id", stableId(job.repository()));
    repo.put("node_id", nodeId("Repository", stableId(job.repository())));
    repo.put("name", job.repository().substring(job.repository().indexOf('/') + 1));
    repo.put("full_name", job.repository());
    repo.put("private", true);
    ObjectNode repoOwner = repo.putObject("owner");
    repoOwner.put("login", owner);
    repoOwner.put("id", stableId(owner));
    repoOwner.put("type", owner.equals(job.organization()) ? "Organization" : "User");
    repo.put("html_url", WEB + "/" + job.repository());
    repo.put("url", API + repoPath);
    if (job.organization() != null) {
      ObjectNode org = root.putObject("organization");
      org.put("login", job.organization());
      org.put("id", stableId(job.organization()));
      org.put("url", API + "/orgs/" + job.organization());
    }
    ObjectNode sender = root.putObject("sender");
    sender.put("login", owner);
    sender.put("id", stableId(owner));
    sender.put("type", "User");
    root.putObject("installation").put("id", job.installationId());
    return root.toString();
  }

  /** The id a runner's name stands for when only the name is known (the same in every body). */
  public static long runnerId(String runnerName) {
    return stableId(runnerName);
  }

  /** A positive id that is the same for the same name in every body. */
  private static long stableId(String name) {
    return Integer.toUnsignedLong(name.hashCode()) + 1;
  }

  private static String nodeId(String type, long id) {
    return Base64.getEncoder().encodeToString((type + id).getBytes(StandardCharsets.UTF_8));
  }
}
