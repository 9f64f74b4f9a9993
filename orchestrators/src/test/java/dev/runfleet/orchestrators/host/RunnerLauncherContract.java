package dev.runfleet.orchestrators.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.common.port.RunnerLauncher.LaunchOutcome;
import dev.runfleet.common.port.RunnerLauncher.LaunchRequest;
import dev.runfleet.common.port.RunnerLauncher.StopOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RunnerLauncher} passes, with its SDK client faked at the client
 * interface: the exact requests it makes (capacity choice, tags, client tokens, where the JIT
 * secret's name goes and that no secret goes anywhere), capacity fallback per spot mode,
 * throttling, refusal, idempotent relaunch, and stopping.
 */
abstract class RunnerLauncherContract {

  static final String RUNNER = "rf-pool-4242-1-1";
  static final String SECRET_NAME = "runfleet/test/jit/pool/" + RUNNER;
  static final String STAGE = "test";

  /** One launch call as the fake SDK client saw it. */
  record LaunchCall(boolean spot, String clientToken, Map<String, String> tags, String text) {}

  /** The launcher under test, over a fresh fake client, for this platform and spot mode. */
  abstract RunnerLauncher launcher(SpotMode mode);

  abstract String platform();

  /** The next launch call starts a host with this id. */
  abstract void scriptLaunched(String hostId);

  /** The next launch call asking for spot finds no spot capacity (in the API's own words). */
  abstract void scriptNoSpotCapacity();

  /** The next launch call is throttled. */
  abstract void scriptThrottled();

  /** The next launch call is refused for a configuration problem (bad template, no access). */
  abstract void scriptInvalidConfiguration();

  /** A host of an earlier attempt for {@code runner} is up. */
  abstract void scriptExistingHost(String runner, String hostId);

  /** The next stop call finds the host already gone. */
  abstract void scriptStopNotFound();

  /** The next stop call is throttled. */
  abstract void scriptStopThrottled();

  abstract List<LaunchCall> launchCalls();

  abstract List<String> stopped();

  LaunchRequest request(String attempt) {
    return new LaunchRequest(
        RUNNER, platform(), List.of("self-hosted", "linux", "x64"), SECRET_NAME, attempt);
  }

  @Test
  void launch_startsOneHost_taggedWithItsRunnerAndSecretName() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptLaunched("host-1");

    LaunchOutcome outcome = launcher.launch(request("attempt-1"));

    assertThat(outcome).isEqualTo(new LaunchOutcome.Launched("host-1"));
    assertThat(launchCalls()).hasSize(1);
    assertThat(launchCalls().get(0).tags())
        .containsEntry(HostTags.RUNNER, RUNNER)
        .containsEntry(HostTags.PLATFORM, platform())
        .containsEntry(HostTags.STAGE, STAGE)
        .containsEntry(HostTags.JIT_SECRET, SECRET_NAME);
  }

  @Test
  void launch_spotPreferred_asksForSpotFirst() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptLaunched("host-1");

    launcher.launch(request("attempt-1"));

    assertThat(launchCalls()).extracting(LaunchCall::spot).containsExactly(true);
  }

  @Test
  void launch_onSpotCapacityError_fallsBackToOnDemand_whenSpotPreferred() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptNoSpotCapacity();
    scriptLaunched("host-od");

    LaunchOutcome outcome = launcher.launch(request("attempt-1"));

    assertThat(outcome).isEqualTo(new LaunchOutcome.Launched("host-od"));
    assertThat(launchCalls()).extracting(LaunchCall::spot).containsExactly(true, false);
    // A different capacity choice is a different request: it must not reuse the spot call's token.
    assertThat(launchCalls().get(0).clientToken()).isNotEqualTo(launchCalls().get(1).clientToken());
  }

  @Test
  void launch_onSpotCapacityError_whenSpotOnly_retriesLaterWithoutOnDemand() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_ONLY);
    scriptNoSpotCapacity();

    LaunchOutcome outcome = launcher.launch(request("attempt-1"));

    assertThat(outcome).isInstanceOf(LaunchOutcome.RetryLater.class);
    assertThat(((LaunchOutcome.RetryLater) outcome).reason()).containsIgnoringCase("capacity");
    assertThat(launchCalls()).extracting(LaunchCall::spot).containsExactly(true);
  }

  @Test
  void launch_avoidingSpotAfterAnInterruption_goesStraightToOnDemand_whenSpotPreferred() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptLaunched("host-od");
    LaunchRequest plain = request("attempt-1");

    launcher.launch(
        new LaunchRequest(
            plain.runnerName(),
            plain.platform(),
            plain.labels(),
            plain.jitConfigRef(),
            plain.attemptId(),
            true));

    assertThat(launchCalls()).extracting(LaunchCall::spot).containsExactly(false);
  }

  @Test
  void launch_onDemandOnly_neverAsksForSpot() {
    RunnerLauncher launcher = launcher(SpotMode.ON_DEMAND_ONLY);
    scriptLaunched("host-1");

    launcher.launch(request("attempt-1"));

    assertThat(launchCalls()).extracting(LaunchCall::spot).containsExactly(false);
  }

  @Test
  void launch_whenThrottled_retriesLater() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptThrottled();

    LaunchOutcome outcome = launcher.launch(request("attempt-1"));

    assertThat(outcome).isInstanceOf(LaunchOutcome.RetryLater.class);
    // Throttling is not a capacity shortage: no on-demand fallback call.
    assertThat(launchCalls()).hasSize(1);
  }

  @Test
  void launch_withInvalidConfiguration_isRejected() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptInvalidConfiguration();

    LaunchOutcome outcome = launcher.launch(request("attempt-1"));

    assertThat(outcome).isInstanceOf(LaunchOutcome.Rejected.class);
    assertThat(launchCalls()).hasSize(1);
  }

  @Test
  void launch_whenAnEarlierAttemptsHostIsUp_returnsItAndStartsNothing() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptExistingHost(RUNNER, "host-earlier");

    LaunchOutcome outcome = launcher.launch(request("attempt-2"));

    assertThat(outcome).isEqualTo(new LaunchOutcome.Launched("host-earlier"));
    assertThat(launchCalls()).isEmpty();
  }

  @Test
  void launch_clientToken_isStablePerAttemptAndNewPerAttempt() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_ONLY);
    scriptNoSpotCapacity();
    scriptNoSpotCapacity();
    scriptNoSpotCapacity();

    launcher.launch(request("attempt-1"));
    launcher.launch(request("attempt-1"));
    launcher.launch(request("attempt-2"));

    List<String> tokens = launchCalls().stream().map(LaunchCall::clientToken).toList();
    assertThat(tokens.get(0)).isNotBlank().isEqualTo(tokens.get(1));
    assertThat(tokens.get(2)).isNotEqualTo(tokens.get(0));
    assertThat(tokens).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(64));
  }

  @Test
  void launch_requestsNameTheSecretAndHoldNoSecret() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptNoSpotCapacity();
    scriptLaunched("host-1");

    launcher.launch(request("attempt-1"));

    // The JIT config never reaches a launcher (LaunchRequest carries no field for it), so the
    // requests can only hold names; the name must be there for the host to find its config.
    assertThat(launchCalls())
        .hasSize(2)
        .allSatisfy(call -> assertThat(call.text()).contains(SECRET_NAME));
  }

  @Test
  void stop_stopsTheHost() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);

    assertThat(launcher.stop(RUNNER, "host-1")).isEqualTo(StopOutcome.STOPPED);
    assertThat(stopped()).containsExactly("host-1");
  }

  @Test
  void stop_whenTheHostIsAlreadyGone_isStopped() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptStopNotFound();

    assertThat(launcher.stop(RUNNER, "host-gone")).isEqualTo(StopOutcome.STOPPED);
  }

  @Test
  void stop_whenThrottled_retriesLater() {
    RunnerLauncher launcher = launcher(SpotMode.SPOT_PREFERRED);
    scriptStopThrottled();

    assertThat(launcher.stop(RUNNER, "host-1")).isEqualTo(StopOutcome.RETRY_LATER);
  }
}
