package dev.runfleet.orchestrators.runner;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static dev.runfleet.orchestrators.testing.Fleet.spinUp;
import static dev.runfleet.orchestrators.testing.Fleet.tearDown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners.JitResult;
import dev.runfleet.common.port.RunnerLauncher.LaunchOutcome;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.adapter.DynamoDbRunnerStore;
import dev.runfleet.orchestrators.hostevents.HostEnd;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** The launch lease over time: a clock moved by hand, the real store on the embedded DynamoDB. */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class RunnerLifecycleTest {

  private static final String RUNNER = "rf-fargate-4242-1-1";
  private static final Duration LEASE = Duration.ofSeconds(30);

  private Fleet fleet;
  private MutableClock clock;
  private RunnerLifecycle lifecycle;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    clock = new MutableClock(Fleet.T0);
    Map<String, String> environment = new HashMap<>(fleet.environment(FARGATE));
    environment.put(OrchestratorConfig.ENV_LAUNCH_LEASE_SECONDS, Long.toString(LEASE.toSeconds()));
    OrchestratorConfig config = OrchestratorConfig.from(environment, FARGATE);
    lifecycle =
        new RunnerLifecycle(
            fleet.store(),
            fleet.gitHub(),
            fleet.launcher(),
            fleet.handOff(),
            () -> AllowList.EVERYONE,
            config,
            new Telemetry("test"),
            clock);
    fleet.putRequested(RUNNER, FARGATE);
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  @Test
  void spinUp_whileACrashedInvocationHoldsTheClaim_waitsForTheLeaseThenLaunches() {
    fleet
        .store()
        .claimLaunch(RUNNER, "crashed-invocation", clock.instant().plus(LEASE), clock.instant());
    fleet.launcher().answerLaunch(new LaunchOutcome.Launched("i-0abc"));

    CommandOutcome withinLease = lifecycle.handle(spinUp(RUNNER, FARGATE));
    clock.advance(LEASE.plusMillis(1));
    CommandOutcome afterLease = lifecycle.handle(spinUp(RUNNER, FARGATE));

    assertThat(withinLease).isInstanceOf(CommandOutcome.RetryLater.class);
    assertThat(afterLease).isInstanceOf(CommandOutcome.Done.class);
    assertThat(fleet.launcher().launches()).hasSize(1);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(fleet.runner(RUNNER).hostId()).isEqualTo("i-0abc");
  }

  @Test
  void spinUp_afterLaunchRetryLater_givesTheClaimBack_soTheRetryLaunchesAtOnce() {
    fleet.launcher().answerLaunch(new LaunchOutcome.RetryLater("InsufficientInstanceCapacity"));
    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE)))
        .isInstanceOf(CommandOutcome.RetryLater.class);
    fleet.launcher().answerLaunch(new LaunchOutcome.Launched("i-0abc"));

    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE))).isInstanceOf(CommandOutcome.Done.class);
    assertThat(fleet.launcher().launches()).hasSize(2);
    // The put-off launch kept its unused config: the retry launched with it, minting none.
    assertThat(fleet.gitHub().minted()).hasSize(1);
    assertThat(fleet.runner(RUNNER).githubRunnerId())
        .isEqualTo(fleet.gitHub().minted().get(0).runnerId());
  }

  @Test
  void spinUp_afterJitRetryLater_mintsAgainOnceLeaseEnds() {
    fleet.gitHub().answerJit(new JitResult.RetryLater("rate limited"));
    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE)))
        .isInstanceOf(CommandOutcome.RetryLater.class);
    fleet.gitHub().onJit(request -> fleet.gitHub().mint());

    clock.advance(LEASE.plusMillis(1));
    CommandOutcome retried = lifecycle.handle(spinUp(RUNNER, FARGATE));

    assertThat(retried).isInstanceOf(CommandOutcome.Done.class);
    assertThat(fleet.launcher().launches()).hasSize(1);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  void spinUp_afterThePreviousRunnerLostItsSpotHost_asksToAvoidSpot() {
    String second = "rf-fargate-4242-1-2";
    fleet.putRequested(second, FARGATE);
    fleet.store().markStopped(RUNNER, HostEnd.SPOT_INTERRUPTED + ": test", clock.instant());

    lifecycle.handle(spinUp(second, FARGATE));
    lifecycle.handle(spinUp(RUNNER, FARGATE));

    assertThat(fleet.launcher().launches())
        .extracting(r -> r.runnerName() + "=" + r.avoidSpot())
        .containsExactly(second + "=true");
  }

  @Test
  void spinUp_afterThePreviousRunnerEndedOtherwise_mayUseSpot() {
    String second = "rf-fargate-4242-1-2";
    fleet.putRequested(second, FARGATE);
    fleet.store().markStopped(RUNNER, "host-ended: EssentialContainerExited", clock.instant());

    lifecycle.handle(spinUp(second, FARGATE));

    assertThat(fleet.launcher().launches().get(0).avoidSpot()).isFalse();
  }

  /**
   * A spin-up claims blind and learns the record from the claim's answer: no read. A tear-down
   * needs the record before its side effects (host, registration), so it reads once.
   */
  @Test
  void spinUpThenTearDown_readTheRunnerOnce_andWriteItFourTimes(EmbeddedDynamoDb dynamo) {
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    ExecutionInterceptor counter =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.merge(
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
          }
        };
    DynamoDbClientBuilder builder =
        new AwsClients(dynamo.settings()).configure(DynamoDbClient.builder());
    DynamoDbClient counted =
        builder
            .overrideConfiguration(
                builder.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(counter)
                    .build())
            .build();
    RunnerLifecycle counting =
        new RunnerLifecycle(
            new DynamoDbRunnerStore(counted, fleet.table()),
            fleet.gitHub(),
            fleet.launcher(),
            fleet.handOff(),
            () -> AllowList.EVERYONE,
            fleet.config(FARGATE),
            new Telemetry("test"),
            clock);

    assertThat(counting.handle(spinUp(RUNNER, FARGATE)))
        .isEqualTo(new CommandOutcome.Done("launched"));
    Map<String, Integer> spinUpCalls = Map.copyOf(calls);
    calls.clear();
    fleet.markBusy(RUNNER);
    assertThat(counting.handle(tearDown(RUNNER, FARGATE, "job completed")))
        .isEqualTo(new CommandOutcome.Done("stopped"));

    // Claim, JIT config recorded, launched.
    assertThat(spinUpCalls).containsExactly(Map.entry("UpdateItem", 3));
    assertThat(calls).containsOnly(Map.entry("GetItem", 1), Map.entry("UpdateItem", 1));
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
    counted.close();
  }

  @Test
  void spinUp_ofLaunchedRunner_afterLeaseEnds_staysDone() {
    assertThat(lifecycle.handle(spinUp(RUNNER, FARGATE))).isInstanceOf(CommandOutcome.Done.class);

    clock.advance(LEASE.multipliedBy(10));
    CommandOutcome late = lifecycle.handle(spinUp(RUNNER, FARGATE));

    assertThat(late).isInstanceOf(CommandOutcome.Done.class);
    assertThat(fleet.launcher().launches()).hasSize(1);
    assertThat(fleet.gitHub().jitRequests()).hasSize(1);
  }
}
