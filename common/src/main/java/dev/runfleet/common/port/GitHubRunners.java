package dev.runfleet.common.port;

import dev.runfleet.common.domain.GitHubScope;
import java.util.List;
import java.util.Objects;

/** GitHub's self-hosted runner API as the orchestrators use it. */
public interface GitHubRunners {

  /** Mints a JIT config registering a runner with exactly these labels. */
  JitResult createJitConfig(JitRequest request);

  /** Deregisters a runner; a runner GitHub no longer knows counts as deleted. */
  DeleteResult deleteRunner(GitHubScope scope, long runnerId);

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
    DELETED,
    RETRY_LATER
  }
}
