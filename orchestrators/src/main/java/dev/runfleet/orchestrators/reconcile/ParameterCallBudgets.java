package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.CachedParameter;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.common.config.RuntimeParameters;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The reconciler's call budgets from the runtime parameters {@code
 * /runfleet/{stage}/reconcile/github-calls} and {@code .../aws-calls}, with their defaults when
 * unset; a refused value keeps the last good one (the rule of every runtime parameter).
 */
public final class ParameterCallBudgets implements CallBudgets {

  public static final int DEFAULT_GITHUB_CALLS = 30;
  public static final int DEFAULT_AWS_CALLS = 60;

  private final CachedParameter<Integer> gitHub;
  private final CachedParameter<Integer> aws;

  public ParameterCallBudgets(
      Supplier<ParameterStore> ssm, String stage, Duration maxAge, Clock clock) {
    this.gitHub =
        budget(
            ssm,
            RuntimeParameters.reconcileGitHubCalls(stage),
            DEFAULT_GITHUB_CALLS,
            maxAge,
            clock);
    this.aws =
        budget(ssm, RuntimeParameters.reconcileAwsCalls(stage), DEFAULT_AWS_CALLS, maxAge, clock);
  }

  private static CachedParameter<Integer> budget(
      Supplier<ParameterStore> ssm, String name, int byDefault, Duration maxAge, Clock clock) {
    return new CachedParameter<>(
        ssm,
        name,
        maxAge,
        clock,
        text -> {
          if (text == null) {
            return byDefault;
          }
          return RuntimeParameters.parseCallBudget(text)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "a call budget is a whole number from 0 to 10000"));
        },
        String::valueOf);
  }

  @Override
  public int gitHubCalls() {
    return gitHub.current();
  }

  @Override
  public int awsCalls() {
    return aws.current();
  }
}
