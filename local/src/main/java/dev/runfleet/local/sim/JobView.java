package dev.runfleet.local.sim;

/**
 * A job as GitHub shows it ({@code GET /repos/{owner}/{repo}/actions/jobs/{id}}).
 *
 * @param status queued, in_progress or completed
 * @param conclusion the conclusion once completed, else null
 * @param runnerName the runner that took it, else null
 */
public record JobView(
    long id, int runAttempt, String status, String conclusion, String runnerName) {}
