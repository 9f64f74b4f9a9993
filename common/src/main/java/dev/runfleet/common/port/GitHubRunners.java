package dev.runfleet.common.port;

import dev.runfleet.common.domain.GitHubScope;
import java.util.List;
import java.util.Objects;

/** GitHub's self-hosted runner API as the orchestrators use it. */
public interface GitHubRunners {

  /** Mints a JIT config registering a runner with exactly these labels. */
  JitResult createJitConfig(JitRequest request);

  /**
   * Deregisters a runner; a runner GitHub no longer knows counts as deleted. GitHub refuses to
   * delete a runner that is running a job ({@link DeleteResult#BUSY}), which is the proof a
   * tear-down of a runner without a job of ours needs before it stops the runner's host.
   */
  DeleteResult deleteRunner(GitHubScope scope, long runnerId);

  /** What GitHub says of a workflow job (for reconciling jobs whose webhooks were lost). */
  JobLookup job(GitHubScope scope, long jobId);

  /**
   * What GitHub says of a registered runner: online or not, busy or not (for the reconciler's boot
   * deadline and its proof that a runner is busy).
   */
  RunnerLookup runner(GitHubScope scope, long runnerId);

  /**
   * Re-runs a workflow job (and the jobs that depend on it) as a new attempt: for a job whose
   * runner's host was interrupted while running it, which GitHub would otherwise fail.
   */
  RerunResult rerunJob(GitHubScope scope, long jobId);

  /**
   * Every runner registered in the scope ({@code GET /orgs/{org}/actions/runners} or {@code
   * /repos/{owner}/{repo}/actions/runners}, 100 a page), one page call at a time as {@code pages}
   * allows: for the orphan sweep, which deletes offline registrations no live runner record owns.
   */
  Listing<RunnerLookup.Found> listRunners(GitHubScope scope, Listing.Pages pages);

  enum RerunResult {
    /** GitHub queued a new attempt. */
    RERUN,
    /** Refused (not re-runnable now, or not permitted): the job stays as GitHub ends it. */
    REFUSED,
    /** Throttled or GitHub unavailable. */
    RETRY_LATER
  }

  /** Organisation runners when the scope names an organisation, repository runners otherwise. */
  record JitRequest(String runnerName, List<String> labels, GitHubScope scope) {
    public JitRequest {
      Objects.requireNonNull(runnerName, "runnerName");
      Objects.requireNonNull(scope, "scope");
      labels = List.copyOf(labels);
    }
  }

  sealed interface JitResult {
    record Minted(JitConfig config) implements JitResult {}

    record RetryLater(String reason) implements JitResult {}

    record Rejected(String reason) implements JitResult {}
  }

  enum DeleteResult {
    /** Gone, or never known to GitHub. */
    DELETED,
    /** The runner is running a job: it stays registered, and its host must stay up. */
    BUSY,
    /** Throttled or GitHub unavailable: try again later. */
    RETRY_LATER,
    /**
     * Refused for good (credentials or permissions): the registration stays until GitHub removes
     * the offline runner itself.
     */
    REFUSED
  }

  /** A job as GitHub reports it. */
  sealed interface JobLookup {
    /**
     * @param status queued, in_progress, completed, waiting, requested or pending
     * @param conclusion the conclusion once completed, else null
     * @param runnerName the runner it was assigned to, else null
     */
    record Found(long jobId, String status, String conclusion, String runnerName)
        implements JobLookup {
      public Found {
        Objects.requireNonNull(status, "status");
      }
    }

    record NotFound(String reason) implements JobLookup {}

    record RetryLater(String reason) implements JobLookup {}
  }

  /** A runner registration as GitHub reports it. */
  sealed interface RunnerLookup {
    /**
     * @param online GitHub's {@code status} is {@code online}
     * @param busy GitHub's {@code busy}: running a job now (may read false for up to a minute into
     *     a job)
     */
    record Found(long runnerId, String name, boolean online, boolean busy)
        implements RunnerLookup {}

    /** GitHub knows no runner by that id: never registered, or removed after its one job. */
    record NotFound(String reason) implements RunnerLookup {}

    record RetryLater(String reason) implements RunnerLookup {}
  }
}
