package dev.runfleet.orchestrators.runner;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static dev.runfleet.orchestrators.testing.Fleet.spinUp;
import static dev.runfleet.orchestrators.testing.Fleet.tearDown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.common.port.RunnerStore;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.handoff.FakeSecretsManager;
import dev.runfleet.orchestrators.handoff.SecretsManagerJitHandOff;
import dev.runfleet.orchestrators.host.EcsRunnerLauncher;
import dev.runfleet.orchestrators.host.HostSettings;
import dev.runfleet.orchestrators.host.SpotMode;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.FakeEcsCluster;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A spin-up that crashes between any two of its calls, then is retried once the launch lease has
 * run out: the retry mints no second JIT config while the first is unused, starts no second host,
 * and records the runner id the running host actually runs, so a later tear-down deregisters that
 * runner and no other. The real runner store on the embedded DynamoDB, the real ECS launcher and
 * hand-over over Secrets Manager and ECS faked at their client interfaces, a recording GitHub.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class CrashSafeLaunchTest {

  private static final String RUNNER = "rf-fargate-4242-1-1";
  private static final Duration LEASE = Duration.ofSeconds(30);

  private Fleet fleet;
  private MutableClock clock;
  private FakeEcsCluster ecs;
  private FakeSecretsManager secrets;
  private CrashingStore store;
  private CrashingLauncher launcher;
  private RunnerLifecycle lifecycle;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    clock = new MutableClock(Fleet.T0);
    ecs = new FakeEcsCluster();
    secrets = new FakeSecretsManager();
    store = new CrashingStore(fleet.store());
    launcher =
        new CrashingLauncher(
            new EcsRunnerLauncher(
                ecs,
                new HostSettings.Ecs(
                    "test",
                    SpotMode.ON_DEMAND_ONLY,
                    "runners",
                    "runfleet-test-fargate",
                    List.of("subnet-a"),
                    List.of("sg-1"),
                    false)));
    Map<String, String> environment = new HashMap<>(fleet.environment(FARGATE));
    environment.put(OrchestratorConfig.ENV_LAUNCH_LEASE_SECONDS, Long.toString(LEASE.toSeconds()));
    lifecycle =
        new RunnerLifecycle(
            store,
            fleet.gitHub(),
            launcher,
            new SecretsManagerJitHandOff(
                secrets, "runfleet/test/jit", null, "test", "AROAEXAMPLEROLEID1234"),
            () -> AllowList.EVERYONE,
            OrchestratorConfig.from(environment, FARGATE),
            new Telemetry("test"),
            clock);
    fleet.putRequested(RUNNER, FARGATE);
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  @ParameterizedTest(name = "host booted before the retry: {0}")
  @ValueSource(booleans = {true, false})
  void crashBetweenLaunchAndRecord_retryRecordsTheRunningHostAndItsRunnerId_mintingNothing(
      boolean hostBootedFirst) {
    store.crashAt("markLaunched");
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)));
    Optional<JitConfig> read = hostBootedFirst ? bootHost() : Optional.empty();

    retryAfterLease();
    if (!hostBootedFirst) {
      read = bootHost();
    }

    assertThat(fleet.gitHub().jitRequests()).hasSize(1);
    assertThat(ecs.tasks()).hasSize(1);
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(runner.hostId()).isEqualTo(ecs.tasks().get(0).arn());
    assertThat(read).isPresent();
    assertThat(runner.githubRunnerId()).isEqualTo(read.get().runnerId());
  }

  @Test
  void claimWrittenButItsAnswerLost_claimGivenBack_retryLaunchesWithoutWaitingOutTheLease() {
    store.loseAnswerOf("claimLaunch");
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)))
        .isInstanceOf(StoreUnavailableException.class);

    // At once: the lease has not run out.
    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE))).isInstanceOf(CommandOutcome.Done.class);

    assertThat(ecs.tasks()).hasSize(1);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  void crashInsideTheLaunchCall_afterTheTaskStarted_retryFindsThatTask() {
    launcher.crashAfterLaunch = true;
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)));
    launcher.crashAfterLaunch = false;

    retryAfterLease();

    assertThat(fleet.gitHub().jitRequests()).hasSize(1);
    assertThat(ecs.tasks()).hasSize(1);
    Optional<JitConfig> read = bootHost();
    assertThat(read).isPresent();
    assertThat(fleet.runner(RUNNER).githubRunnerId()).isEqualTo(read.get().runnerId());
    assertThat(fleet.runner(RUNNER).hostId()).isEqualTo(ecs.tasks().get(0).arn());
  }

  @Test
  void crashAfterRecordingTheConfig_beforeAnyHost_retryReusesTheUnusedConfig() {
    launcher.crashBeforeLaunch = true;
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)));
    launcher.crashBeforeLaunch = false;

    retryAfterLease();

    assertThat(fleet.gitHub().jitRequests()).hasSize(1);
    assertThat(ecs.tasks()).hasSize(1);
    assertThat(bootHost()).contains(fleet.gitHub().minted().get(0));
    assertThat(fleet.runner(RUNNER).githubRunnerId())
        .isEqualTo(fleet.gitHub().minted().get(0).runnerId());
  }

  @Test
  void crashAfterMintBeforeRecording_retryMintsAgain_andTheHostRunsTheRecordedRunner() {
    // Nothing names the first config yet and no host may use it: the retry's mint replaces it
    // (at GitHub, the name's 409 makes GitHubAppClient remove the stale registration first).
    store.crashAt("recordJitConfig");
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)));

    retryAfterLease();

    assertThat(fleet.gitHub().minted()).hasSize(2);
    assertThat(ecs.tasks()).hasSize(1);
    assertThat(secrets.secrets).hasSize(1);
    Optional<JitConfig> read = bootHost();
    assertThat(read).contains(fleet.gitHub().minted().get(1));
    assertThat(fleet.runner(RUNNER).githubRunnerId()).isEqualTo(read.get().runnerId());
  }

  @Test
  void tearDown_afterCrashBetweenLaunchAndRecord_stopsTheUnrecordedHost_andDeregistersItsRunner() {
    store.crashAt("markLaunched");
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)));
    store.restart();
    Optional<JitConfig> read = bootHost();

    CommandOutcome outcome = lifecycle.handle(tearDown(RUNNER, FARGATE, "idle"));

    assertThat(outcome).isInstanceOf(CommandOutcome.Done.class);
    assertThat(ecs.running()).isEmpty();
    assertThat(read).isPresent();
    assertThat(fleet.gitHub().deletions())
        .extracting(d -> d.runnerId())
        .containsExactly(read.get().runnerId());
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
  }

  @Test
  void idleTearDown_afterAResumedLaunch_deregistersOnlyTheRunnerTheHostRuns() {
    store.crashAt("markLaunched");
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)));
    Optional<JitConfig> read = bootHost();
    retryAfterLease();

    lifecycle.handle(tearDown(RUNNER, FARGATE, "idle"));

    assertThat(fleet.gitHub().minted()).hasSize(1);
    assertThat(fleet.gitHub().deletions())
        .extracting(d -> d.runnerId())
        .containsExactly(read.orElseThrow().runnerId());
  }

  @Test
  void launchRetryLater_keepsTheConfig_andTheRetryLaunchesWithItWithoutMinting() {
    launcher.retryLater = true;
    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE)))
        .isInstanceOf(CommandOutcome.RetryLater.class);
    launcher.retryLater = false;

    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE))).isInstanceOf(CommandOutcome.Done.class);

    assertThat(fleet.gitHub().minted()).hasSize(1);
    assertThat(fleet.gitHub().deletions()).isEmpty();
    assertThat(bootHost()).contains(fleet.gitHub().minted().get(0));
  }

  @Test
  void retry_whoseConfigWasTakenByAHostSinceGone_deregistersItAndMintsAnew() {
    store.crashAt("markLaunched");
    assertThatThrownBy(() -> lifecycle.handle(spinUp(RUNNER, FARGATE)));
    Optional<JitConfig> first = bootHost();
    ecs.stopTask(b -> b.task(ecs.tasks().get(0).arn()));

    retryAfterLease();

    assertThat(fleet.gitHub().minted()).hasSize(2);
    assertThat(fleet.gitHub().deletions())
        .extracting(d -> d.runnerId())
        .containsExactly(first.orElseThrow().runnerId());
    assertThat(ecs.running()).hasSize(1);
    assertThat(fleet.runner(RUNNER).githubRunnerId())
        .isEqualTo(fleet.gitHub().minted().get(1).runnerId());
  }

  private void retryAfterLease() {
    store.restart();
    clock.advance(LEASE.plusMillis(1));
    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE))).isInstanceOf(CommandOutcome.Done.class);
  }

  /**
   * What the runner's boot script does on each running task: read its secret once it is bound to
   * that task, and delete it. Answers the config the (single) task read, matched to its runner id.
   */
  private Optional<JitConfig> bootHost() {
    Optional<JitConfig> read = Optional.empty();
    for (FakeEcsCluster.RunningTask task : ecs.running()) {
      String bound = secrets.tag(task.jitSecret(), SecretsManagerJitHandOff.HOST_TAG);
      if (bound == null
          || !bound.endsWith(":" + task.arn().substring(task.arn().lastIndexOf('/') + 1))) {
        continue;
      }
      String encoded = secrets.secrets.remove(task.jitSecret());
      secrets.tags.remove(task.jitSecret());
      read =
          fleet.gitHub().minted().stream()
              .filter(c -> c.encodedConfig().equals(encoded))
              .findFirst();
    }
    return read;
  }

  /** A runner store whose process "dies" at a chosen call: that call and all after it fail. */
  private static final class CrashingStore implements RunnerStore {
    private final RunnerStore inner;
    private String crashAt;
    private boolean crashed;
    private String answerLostAt;

    CrashingStore(RunnerStore inner) {
      this.inner = inner;
    }

    void crashAt(String method) {
      crashAt = method;
    }

    /** {@code method}'s next call takes effect, then fails as a call whose answer was lost. */
    void loseAnswerOf(String method) {
      answerLostAt = method;
    }

    void restart() {
      crashAt = null;
      crashed = false;
      answerLostAt = null;
    }

    private void answered(String method) {
      if (method.equals(answerLostAt)) {
        answerLostAt = null;
        throw new StoreUnavailableException(
            "runner could not be updated: answer lost", new IllegalStateException("timeout"));
      }
    }

    private void step(String method) {
      if (crashed || method.equals(crashAt)) {
        crashed = true;
        throw new IllegalStateException("crash at " + method);
      }
    }

    @Override
    public Optional<Runner> find(String name) {
      step("find");
      return inner.find(name);
    }

    @Override
    public LaunchClaim claimLaunch(String name, String claimId, Instant leaseUntil, Instant now) {
      step("claimLaunch");
      LaunchClaim claimed = inner.claimLaunch(name, claimId, leaseUntil, now);
      answered("claimLaunch");
      return claimed;
    }

    @Override
    public boolean recordJitConfig(
        String name, String claimId, long githubRunnerId, String jitSecret, Instant now) {
      step("recordJitConfig");
      return inner.recordJitConfig(name, claimId, githubRunnerId, jitSecret, now);
    }

    @Override
    public boolean markLaunched(
        String name, String claimId, String hostId, Long githubRunnerId, Instant now) {
      step("markLaunched");
      return inner.markLaunched(name, claimId, hostId, githubRunnerId, now);
    }

    @Override
    public boolean releaseClaim(String name, String claimId) {
      step("releaseClaim");
      return inner.releaseClaim(name, claimId);
    }

    @Override
    public boolean markFailed(String name, String reason, Instant now) {
      step("markFailed");
      return inner.markFailed(name, reason, now);
    }

    @Override
    public boolean markStopped(String name, String reason, Instant now) {
      step("markStopped");
      return inner.markStopped(name, reason, now);
    }
  }

  /** The real launcher, with a crash just before or just after its call to ECS. */
  private static final class CrashingLauncher implements RunnerLauncher {
    private final RunnerLauncher inner;
    boolean crashBeforeLaunch;
    boolean crashAfterLaunch;
    boolean retryLater;

    CrashingLauncher(RunnerLauncher inner) {
      this.inner = inner;
    }

    @Override
    public LaunchOutcome launch(LaunchRequest request) {
      if (crashBeforeLaunch) {
        throw new IllegalStateException("crash before RunTask");
      }
      if (retryLater) {
        return new LaunchOutcome.RetryLater("no capacity (test)");
      }
      LaunchOutcome outcome = inner.launch(request);
      if (crashAfterLaunch) {
        throw new IllegalStateException("crash after RunTask answered " + outcome);
      }
      return outcome;
    }

    @Override
    public HostLookup find(String runnerName) {
      return inner.find(runnerName);
    }

    @Override
    public StopOutcome stop(String runnerName, String hostId) {
      return inner.stop(runnerName, hostId);
    }
  }
}
