package dev.runfleet.producer.intake;

import dev.runfleet.common.domain.WorkflowJobEvent;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The lengths GitHub holds the names in a {@code workflow_job} payload to. A delivery past them did
 * not come from GitHub as GitHub documents itself (or GitHub changed): it is refused with 400
 * before anything is recorded, rather than carried into table keys, logs and runner commands.
 */
final class GitHubLimits {

  /**
   * "Repository names: maximum length 100 characters" (docs.github.com, Repositories, "Repository
   * limits").
   */
  static final int MAX_REPOSITORY_NAME = 100;

  /**
   * User and organization logins: at most 39 characters (GitHub's sign-up and new-organization
   * validation; collected in github.com/dead-claudia/github-limits).
   */
  static final int MAX_LOGIN = 39;

  /**
   * Runner names: at most 64 characters, which the runner's registration enforces (see
   * myoung34/docker-github-actions-runner#465, "GitHub's 64-character limit for runner names").
   */
  static final int MAX_RUNNER_NAME = 64;

  /**
   * A job runs only on a runner carrying all of its labels, and a runner carries at most 100 custom
   * labels (REST "Create configuration for a just-in-time runner": labels, maximum items 100) plus
   * its defaults ({@code self-hosted}, OS, architecture): no job GitHub can run asks for more.
   */
  static final int MAX_LABELS = 100 + 3;

  /**
   * GitHub documents no length for a label; 256 characters is runfleet's own bound, far above any
   * label a platform is configured with (a longer one can never route) and small enough that the
   * most labels a job may carry fit one table item.
   */
  static final int MAX_LABEL_LENGTH = 256;

  /**
   * "The repository name can only contain ASCII letters, digits, and the characters ., -, and _"
   * (GitHub, creating a repository); logins hold only ASCII letters, digits and hyphens. A name
   * outside them did not come from GitHub, and may hold what no queue carries: U+FFFF in a
   * repository name made SQS refuse the spin-up (issue 12), leaving its runner REQUESTED.
   */
  private static final Pattern REPOSITORY_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9-]+");

  private GitHubLimits() {}

  /** The first limit {@code event} breaks, named with the field and the length, else empty. */
  static Optional<String> violation(WorkflowJobEvent event) {
    return repository(event.repository())
        .or(() -> tooLong("organization.login", event.organization(), MAX_LOGIN))
        .or(() -> outside("organization.login", event.organization(), LOGIN, "logins"))
        .or(() -> tooLong("workflow_job.runner_name", event.runnerName(), MAX_RUNNER_NAME))
        .or(() -> labels(event.labels()));
  }

  private static Optional<String> repository(String fullName) {
    int slash = fullName.indexOf('/');
    if (slash < 0) {
      return tooLong("repository.full_name", fullName, MAX_LOGIN + 1 + MAX_REPOSITORY_NAME);
    }
    String owner = fullName.substring(0, slash);
    String name = fullName.substring(slash + 1);
    return tooLong("the owner in repository.full_name", owner, MAX_LOGIN)
        .or(() -> tooLong("the name in repository.full_name", name, MAX_REPOSITORY_NAME))
        .or(() -> outside("the owner in repository.full_name", owner, LOGIN, "logins"))
        .or(
            () ->
                outside(
                    "the name in repository.full_name", name, REPOSITORY_NAME, "repository names"));
  }

  /** Names the first character {@code value} holds that {@code allowed} does not, by code point. */
  private static Optional<String> outside(
      String field, String value, Pattern allowed, String what) {
    if (value == null || allowed.matcher(value).matches()) {
      return Optional.empty();
    }
    if (value.isEmpty()) {
      return Optional.of(field + " is empty");
    }
    int bad =
        value
            .codePoints()
            .filter(c -> !allowed.matcher(Character.toString(c)).matches())
            .findFirst()
            .orElse(' ');
    return Optional.of(
        field
            + " holds "
            + String.format("U+%04X", bad)
            + ", which GitHub does not allow in "
            + what);
  }

  private static Optional<String> labels(List<String> labels) {
    if (labels.size() > MAX_LABELS) {
      return Optional.of(
          "workflow_job.labels has " + labels.size() + " labels, over GitHub's " + MAX_LABELS);
    }
    return labels.stream()
        .map(label -> tooLong("a label in workflow_job.labels", label, MAX_LABEL_LENGTH))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> tooLong(String field, String value, int limit) {
    if (value == null || value.length() <= limit) {
      return Optional.empty();
    }
    return Optional.of(field + " is " + value.length() + " characters, over " + limit);
  }
}
