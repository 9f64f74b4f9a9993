package dev.runfleet.orchestrators.reconcile;

/**
 * How many GitHub and AWS calls one reconciler pass may make, read at the start of each pass (in
 * AWS from the runtime parameters {@code /runfleet/{stage}/reconcile/...}). The GitHub budget is
 * the reconciler's own: it is spent on lookups, never on JIT configs.
 */
public interface CallBudgets {

  int gitHubCalls();

  int awsCalls();

  /** Fixed budgets, for tests and for a runtime without parameters. */
  static CallBudgets fixed(int gitHubCalls, int awsCalls) {
    return new CallBudgets() {
      @Override
      public int gitHubCalls() {
        return gitHubCalls;
      }

      @Override
      public int awsCalls() {
        return awsCalls;
      }
    };
  }
}
