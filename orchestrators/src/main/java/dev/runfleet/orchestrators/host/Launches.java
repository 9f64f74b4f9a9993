package dev.runfleet.orchestrators.host;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.port.RunnerLauncher.LaunchOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What both host kinds' launches share: trying capacity choices in order (spot, then on-demand, as
 * the spot mode allows) and moving on only on a capacity shortage, and reading a failed SDK call as
 * a launch outcome.
 */
final class Launches {

  private static final Logger LOG = LoggerFactory.getLogger(Launches.class);

  private Launches() {}

  /** One launch call on one capacity choice: an outcome, or a shortage to fall back from. */
  record Attempt(LaunchOutcome outcome, String shortage) {
    static Attempt done(LaunchOutcome outcome) {
      return new Attempt(outcome, null);
    }

    static Attempt shortage(String reason) {
      return new Attempt(null, reason);
    }
  }

  /**
   * The first choice's outcome that is not a shortage; when every choice is short of capacity, a
   * retry later naming each shortage.
   */
  static <C> LaunchOutcome firstWithCapacity(
      String runnerName, List<C> choices, Function<C, Attempt> attempt) {
    List<String> shortages = new ArrayList<>();
    for (C choice : choices) {
      Attempt tried = attempt.apply(choice);
      if (tried.shortage() == null) {
        return tried.outcome();
      }
      LOG.warn("no {} capacity for runner {}: {}", choice, runnerName, tried.shortage());
      shortages.add(choice + ": " + tried.shortage());
    }
    return new LaunchOutcome.RetryLater("no capacity (" + String.join("; ", shortages) + ")");
  }

  /** A failed call: retry later when it is transient, else refused (the configuration is wrong). */
  static LaunchOutcome failed(String service, SdkException e, Set<String> transientCodes) {
    String what = service + " " + AwsErrors.describe(e);
    return AwsErrors.isTransient(e, transientCodes)
        ? new LaunchOutcome.RetryLater(what)
        : new LaunchOutcome.Rejected(what);
  }
}
