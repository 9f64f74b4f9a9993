package dev.runfleet.orchestrators.github;

/**
 * A classified failure inside {@link GitHubAppClient}, turned into the port's outcome values at its
 * boundary and never thrown out of it. The reason holds statuses and GitHub's messages only.
 */
final class GitHubFailure extends Exception {

  private final boolean retryable;

  private GitHubFailure(String reason, boolean retryable) {
    super(reason, null, false, false);
    this.retryable = retryable;
  }

  static GitHubFailure retryLater(String reason) {
    return new GitHubFailure(reason, true);
  }

  static GitHubFailure rejected(String reason) {
    return new GitHubFailure(reason, false);
  }

  boolean retryable() {
    return retryable;
  }

  String reason() {
    return getMessage();
  }
}
