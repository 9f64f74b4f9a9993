package dev.runfleet.common.domain;

import java.util.Objects;

/**
 * Where a runner is registered at GitHub and which App installation speaks for it: organisation
 * runners when the job's repository belongs to an organisation, repository runners otherwise.
 */
public record GitHubScope(String organization, String repository, Long installationId) {

  public GitHubScope {
    Objects.requireNonNull(repository, "repository");
  }

  public boolean isOrganization() {
    return organization != null && !organization.isBlank();
  }

  public static GitHubScope of(Job job) {
    return new GitHubScope(job.organization(), job.repository(), job.installationId());
  }
}
