package dev.runfleet.common.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who may use the fleet: the rules of the {@code /runfleet/{stage}/allow} runtime parameter, in one
 * place for the producer, the orchestrators and the CLI.
 *
 * <p>The text is a comma-separated list of patterns; whitespace around each is ignored and every
 * comparison ignores case:
 *
 * <pre>
 * NAME          the organisation login, or the repository owner, is NAME
 * OWNER/*       any repository of OWNER
 * OWNER/REPO    exactly that repository
 * </pre>
 *
 * A list permits a job when any one of its patterns does. An empty text (or no parameter) is the
 * empty list, which permits everyone. An empty entry ({@code "a,,b"}) or a pattern of any other
 * shape makes the whole text invalid: a typo must never widen or silently narrow the list.
 */
public final class AllowList {

  /** The list that permits everyone: no parameter, or an empty one. */
  public static final AllowList EVERYONE = new AllowList(List.of());

  // GitHub logins: letters, digits and hyphens, not starting with a hyphen, at most 39.
  private static final Pattern OWNER = Pattern.compile("[a-z0-9][a-z0-9-]{0,38}");
  // Repository names: letters, digits, '.', '_' and '-', at most 100 ('.' and '..' are not names).
  private static final Pattern REPO = Pattern.compile("[a-z0-9._-]{1,100}");

  private final List<Rule> rules;

  private AllowList(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The list {@code text} describes, or why it is invalid. Null and blank text permit everyone. */
  public static Parsed parse(String text) {
    if (text == null || text.isBlank()) {
      return new Parsed.Valid(EVERYONE);
    }
    String[] entries = text.split(",", -1);
    List<Rule> rules = new ArrayList<>(entries.length);
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      Optional<Rule> rule = Rule.parse(entry);
      if (rule.isEmpty()) {
        return new Parsed.Invalid(
            entry.isEmpty()
                ? "entry " + (i + 1) + " is empty"
                : "'"
                    + entry
                    + "' is not NAME, OWNER/* or OWNER/REPO (letters, digits, '-'; and '.', '_'"
                    + " in REPO)");
      }
      rules.add(rule.get());
    }
    return new Parsed.Valid(new AllowList(rules.stream().distinct().toList()));
  }

  /** True when this list permits everyone. */
  public boolean isEveryone() {
    return rules.isEmpty();
  }

  /**
   * True when the job of {@code repository} ({@code owner/name}) under {@code organization} (null
   * for a user's repository) may use the fleet.
   */
  public boolean permits(String organization, String repository) {
    return isEveryone() || matching(organization, repository).isPresent();
  }

  /** The first pattern that permits the job, in canonical form; empty when none does. */
  public Optional<String> matching(String organization, String repository) {
    String org = organization == null ? null : organization.toLowerCase(Locale.ROOT);
    String repo = repository == null ? "" : repository.toLowerCase(Locale.ROOT);
    int slash = repo.indexOf('/');
    String owner = slash < 0 ? repo : repo.substring(0, slash);
    String name = slash < 0 ? "" : repo.substring(slash + 1);
    return rules.stream().filter(r -> r.matches(org, owner, name)).map(Rule::toString).findFirst();
  }

  /** For log lines: "everyone", or the patterns in brackets. */
  public String describe() {
    return isEveryone() ? "everyone" : "[" + this + "]";
  }

  /** The canonical text: lower-case patterns, in order, duplicates dropped; parses back to this. */
  @Override
  public String toString() {
    return rules.stream().map(Rule::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AllowList other && rules.equals(other.rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  /** What {@link #parse} made of a text. */
  public sealed interface Parsed {
    record Valid(AllowList list) implements Parsed {
      public Valid {
        Objects.requireNonNull(list, "list");
      }
    }

    record Invalid(String reason) implements Parsed {
      public Invalid {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /** One pattern; {@code repo} is null for NAME and {@code "*"} for any repository of the owner. */
  private record Rule(String owner, String repo) {

    static Optional<Rule> parse(String entry) {
      String text = entry.toLowerCase(Locale.ROOT);
      int slash = text.indexOf('/');
      String owner = slash < 0 ? text : text.substring(0, slash);
      String repo = slash < 0 ? null : text.substring(slash + 1);
      boolean validOwner = OWNER.matcher(owner).matches();
      boolean validRepo =
          repo == null
              || repo.equals("*")
              || (REPO.matcher(repo).matches() && !repo.equals(".") && !repo.equals(".."));
      return validOwner && validRepo ? Optional.of(new Rule(owner, repo)) : Optional.empty();
    }

    boolean matches(String organization, String repoOwner, String repoName) {
      if (repo == null) {
        return owner.equals(organization) || owner.equals(repoOwner);
      }
      return owner.equals(repoOwner) && (repo.equals("*") || repo.equals(repoName));
    }

    @Override
    public String toString() {
      return repo == null ? owner : owner + "/" + repo;
    }
  }
}
