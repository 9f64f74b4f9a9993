package dev.runfleet.local.setup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whose App it is and where its runners register: an organisation (organisation-level runners), or
 * one repository (repository-level runners) owned by an organisation or, with {@code personal}, by
 * a personal account. It decides where GitHub's "new App" page is and which permissions the App
 * asks for.
 *
 * @param account the organisation or personal account that owns the App
 * @param repository the repository's name for repository-level runners, else empty
 * @param personal true when {@code account} is a personal account, not an organisation
 */
public record AppOwner(String account, Optional<String> repository, boolean personal) {

  /** GitHub's rule for logins: letters, digits and single inner hyphens, at most 39 characters. */
  private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}");

  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  public AppOwner {
    if (account == null || !LOGIN.matcher(account).matches()) {
      throw new IllegalArgumentException("not a GitHub account name: '" + account + "'");
    }
    if (repository.isPresent()
        && (!REPOSITORY.matcher(repository.get()).matches() || repository.get().matches("\\.+"))) {
      throw new IllegalArgumentException("not a repository name: '" + repository.get() + "'");
    }
    if (personal && repository.isEmpty()) {
      throw new IllegalArgumentException(
          "a personal account's App serves one repository: use --repo OWNER/REPO with --user");
    }
  }

  public static AppOwner organisation(String org) {
    return new AppOwner(org, Optional.empty(), false);
  }

  /** {@code OWNER/REPO}; {@code personal} when OWNER is a personal account. */
  public static AppOwner repository(String ownerSlashRepo, boolean personal) {
    String[] parts = ownerSlashRepo.split("/", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("--repo must be OWNER/REPO, was '" + ownerSlashRepo + "'");
    }
    return new AppOwner(parts[0], Optional.of(parts[1]), personal);
  }

  /** The path of GitHub's "register a new App" page for this owner. */
  public String newAppPath() {
    return personal ? "/settings/apps/new" : "/organizations/" + account + "/settings/apps/new";
  }

  /**
   * Least privilege: read jobs ({@code actions}), and manage self-hosted runners where they
   * register — {@code organization_self_hosted_runners} for an organisation, {@code administration}
   * for one repository (GitHub has no narrower repository permission for runners).
   */
  public Map<String, String> permissions() {
    Map<String, String> permissions = new LinkedHashMap<>();
    permissions.put("actions", "read");
    permissions.put("metadata", "read");
    if (repository.isPresent()) {
      permissions.put("administration", "write");
    } else {
      permissions.put("organization_self_hosted_runners", "write");
    }
    return permissions;
  }

  /** {@code octo-org} or {@code octo-org/repo}. */
  @Override
  public String toString() {
    return repository.map(r -> account + "/" + r).orElse(account);
  }
}
