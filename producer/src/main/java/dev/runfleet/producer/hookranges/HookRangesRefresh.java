package dev.runfleet.producer.hookranges;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.ParameterStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Copies GitHub's hook ranges into the parameter the producer checks callers against. The rule: a
 * list is written only whole and valid (at least one range, every entry a CIDR block, fitting the
 * parameter), and only when it differs from the parameter's value; anything else leaves the
 * parameter as it is, is logged once at ERROR and ends the run {@link Outcome.Failed}, which the
 * handler turns into a failed invocation for the errors alarm.
 */
public final class HookRangesRefresh {

  private static final Logger LOG = LoggerFactory.getLogger(HookRangesRefresh.class);

  /** How a run ended. */
  public sealed interface Outcome {
    record Unchanged(HookRanges ranges) implements Outcome {}

    record Written(HookRanges ranges) implements Outcome {}

    record Failed(String reason) implements Outcome {}
  }

  private final GitHubMeta github;
  private final ParameterStore ssm;
  private final String parameter;

  public HookRangesRefresh(GitHubMeta github, ParameterStore ssm, String parameter) {
    this.github = github;
    this.ssm = ssm;
    this.parameter = parameter;
  }

  public Outcome run() {
    GitHubMeta.Answer answer = github.hooks();
    if (answer instanceof GitHubMeta.Answer.Failed failed) {
      return failed(failed.reason());
    }
    HookRanges ranges;
    try {
      ranges = HookRanges.of(((GitHubMeta.Answer.Hooks) answer).entries());
    } catch (IllegalArgumentException e) {
      return failed("GitHub's hooks list is refused: " + e.getMessage());
    }
    Optional<String> current;
    try {
      current = ssm.get(parameter, false);
    } catch (SdkException e) {
      return failed("cannot read " + parameter + ": " + AwsErrors.describe(e));
    }
    if (current.filter(ranges.value()::equals).isPresent()) {
      LOG.info("parameter {} already holds GitHub's hook ranges: {}", parameter, ranges.describe());
      return new Outcome.Unchanged(ranges);
    }
    try {
      ssm.putString(parameter, ranges.value());
    } catch (SdkException e) {
      return failed("cannot write " + parameter + ": " + AwsErrors.describe(e));
    }
    LOG.info(
        "parameter {} now holds GitHub's hook ranges: {} (was {})",
        parameter,
        ranges.describe(),
        current.map(v -> "[" + v + "]").orElse("missing"));
    return new Outcome.Written(ranges);
  }

  private Outcome failed(String reason) {
    LOG.error("hook ranges not refreshed, {} keeps its value: {}", parameter, reason);
    return new Outcome.Failed(reason);
  }
}
