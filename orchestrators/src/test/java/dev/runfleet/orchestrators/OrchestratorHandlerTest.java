package dev.runfleet.orchestrators;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static dev.runfleet.orchestrators.testing.Fleet.FARGATE_LABELS;
import static dev.runfleet.orchestrators.testing.Fleet.SCOPE;
import static dev.runfleet.orchestrators.testing.Fleet.event;
import static dev.runfleet.orchestrators.testing.Fleet.failedIds;
import static dev.runfleet.orchestrators.testing.Fleet.spinUp;
import static dev.runfleet.orchestrators.testing.Fleet.tearDown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.aws.lambda.MalformedEventException;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners.DeleteResult;
import dev.runfleet.common.port.GitHubRunners.JitRequest;
import dev.runfleet.common.port.GitHubRunners.JitResult;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.RunnerLauncher.LaunchOutcome;
import dev.runfleet.common.port.RunnerLauncher.LaunchRequest;
import dev.runfleet.common.port.RunnerLauncher.StopOutcome;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.runner.CommandOutcome;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.RecordingGitHub.Deletion;
import dev.runfleet.orchestrators.testing.RecordingLauncher.Stop;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fargate orchestrator as Lambda runs it: the handler built from its Dagger component, fed SQS
 * events, on the real runner store on the embedded DynamoDB; only the launcher and GitHub are
 * recording fakes.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class OrchestratorHandlerTest {

  private static final String RUNNER = "rf-fargate-4242-1-1";

  private Fleet fleet;
  private FargateOrchestratorHandler handler;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    handler = new FargateOrchestratorHandler(fleet.component(FARGATE));
  }

  @AfterEach
  void tearDownFleet() {
    fleet.close();
  }

  private SQSBatchResponse deliver(SQSEvent.SQSMessage... messages) {
    return Fleet.invoke(handler, event(messages));
  }

  private SQSBatchResponse deliverSpinUp() {
    return deliver(fleet.message(spinUp(RUNNER, FARGATE)));
  }

  private SQSBatchResponse deliverTearDown(String reason) {
    return deliver(fleet.message(tearDown(RUNNER, FARGATE, reason)));
  }

  // ---- spin-up ----

  @Test
  void spinUp_mintsJitForRunnerAndLaunchesWithIt_thenRecordsLaunched() {
    fleet.putRequested(RUNNER, FARGATE);

    SQSBatchResponse response = deliverSpinUp();

    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.gitHub().jitRequests())
        .containsExactly(new JitRequest(RUNNER, FARGATE_LABELS, SCOPE));
    JitConfig minted = fleet.gitHub().minted().get(0);
    assertThat(fleet.launcher().launches())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.runnerName()).isEqualTo(RUNNER);
              assertThat(request.platform()).isEqualTo(FARGATE);
              assertThat(request.labels()).isEqualTo(FARGATE_LABELS);
              assertThat(request.jitConfigRef())
                  .isEqualTo(fleet.handOff().reference(FARGATE, RUNNER));
              assertThat(request.attemptId()).isNotBlank();
            });
    assertThat(fleet.handOff().held()).containsExactly(fleet.handOff().reference(FARGATE, RUNNER));
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(runner.hostId()).isEqualTo("host-" + RUNNER);
    assertThat(runner.githubRunnerId()).isEqualTo(minted.runnerId());
    assertThat(fleet.gitHub().deletions()).isEmpty();
  }

  @Test
  void spinUp_whenDeliveredTwice_mintsAndLaunchesOnce() {
    fleet.putRequested(RUNNER, FARGATE);
    SQSEvent.SQSMessage message = fleet.message(spinUp(RUNNER, FARGATE));

    SQSBatchResponse first = deliver(message);
    SQSBatchResponse second = deliver(message);

    assertThat(failedIds(first)).isEmpty();
    assertThat(failedIds(second)).isEmpty();
    assertThat(fleet.gitHub().jitRequests()).hasSize(1);
    assertThat(fleet.launcher().launches()).hasSize(1);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  @Timeout(30)
  void spinUp_whenDeliveredTwiceConcurrently_launchesOnceAndLoserRetries() throws Exception {
    fleet.putRequested(RUNNER, FARGATE);
    // Two Lambda instances, as SQS would run them for a duplicated message.
    FargateOrchestratorHandler other = new FargateOrchestratorHandler(fleet.component(FARGATE));
    SQSEvent.SQSMessage message = fleet.message(spinUp(RUNNER, FARGATE));
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch oneFinished = new CountDownLatch(1);
    // The first invocation to reach GitHub waits there until the other has answered, so both really
    // race for the launch; without the claim, both would get here and launch once the wait ends.
    fleet
        .gitHub()
        .onJit(
            request -> {
              awaitQuietly(oneFinished, 5);
              return fleet.gitHub().mint();
            });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<SQSBatchResponse>> answers =
          List.of(
              pool.submit(() -> deliverAfter(start, handler, message, oneFinished)),
              pool.submit(() -> deliverAfter(start, other, message, oneFinished)));
      start.countDown();
      List<List<String>> failed =
          List.of(
              failedIds(answers.get(0).get(20, TimeUnit.SECONDS)),
              failedIds(answers.get(1).get(20, TimeUnit.SECONDS)));

      assertThat(fleet.launcher().launches()).hasSize(1);
      assertThat(fleet.gitHub().jitRequests()).hasSize(1);
      assertThat(failed).containsExactlyInAnyOrder(List.of(), List.of(message.getMessageId()));
      assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    } finally {
      pool.shutdownNow();
    }
  }

  private static SQSBatchResponse deliverAfter(
      CountDownLatch start,
      OrchestratorHandler target,
      SQSEvent.SQSMessage message,
      CountDownLatch finished)
      throws InterruptedException {
    start.await();
    try {
      return Fleet.invoke(target, event(message));
    } finally {
      finished.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void spinUp_whenRepositoryNotAllowed_failsRunnerWithoutCallingGitHubOrLaunching() {
    fleet.allow("someone-else, octo/other-repo");
    fleet.putRequested(RUNNER, FARGATE);

    SQSBatchResponse response = deliverSpinUp();

    assertThat(failedIds(response)).isEmpty();
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.FAILED);
    assertThat(runner.detail()).isEqualTo("not-allowed");
    // FAILED with its slot still held: the publisher gives it back from the stream, exactly once.
    assertThat(runner.slotReleased()).isFalse();
    assertThat(fleet.gitHub().jitRequests()).isEmpty();
    assertThat(fleet.gitHub().deletions()).isEmpty();
    assertThat(fleet.launcher().launches()).isEmpty();
    assertThat(fleet.handOff().held()).isEmpty();
  }

  @Test
  void spinUp_whenOwnerIsAllowed_launches() {
    fleet.allow("OCTO/*");
    fleet.putRequested(RUNNER, FARGATE);

    SQSBatchResponse response = deliverSpinUp();

    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(fleet.gitHub().jitRequests()).hasSize(1);
  }

  @Test
  void spinUp_whenAllowListInvalidSinceStart_retriesLaterAndCallsNothing() {
    fleet.allow("octo/app/extra");
    fleet.putRequested(RUNNER, FARGATE);

    SQSBatchResponse response = deliverSpinUp();

    assertThat(failedIds(response)).hasSize(1);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.REQUESTED);
    assertThat(fleet.gitHub().jitRequests()).isEmpty();
    assertThat(fleet.launcher().launches()).isEmpty();
  }

  @Test
  void spinUp_whenLauncherRejects_marksFailedWithReasonAndDeregistersJitRunner() {
    fleet.putRequested(RUNNER, FARGATE);
    fleet.launcher().answerLaunch(new LaunchOutcome.Rejected("subnet subnet-123 does not exist"));

    SQSBatchResponse response = deliverSpinUp();

    assertThat(failedIds(response)).isEmpty();
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.FAILED);
    assertThat(runner.detail()).contains("subnet subnet-123 does not exist");
    long jitRunnerId = fleet.gitHub().minted().get(0).runnerId();
    assertThat(fleet.gitHub().deletions()).containsExactly(new Deletion(SCOPE, jitRunnerId));
  }

  @Test
  void spinUp_whenLauncherSaysRetryLater_reportsFailureKeepsTheConfigAndStaysRequested() {
    fleet.putRequested(RUNNER, FARGATE);
    fleet.launcher().answerLaunch(new LaunchOutcome.RetryLater("InsufficientInstanceCapacity"));
    SQSEvent.SQSMessage message = fleet.message(spinUp(RUNNER, FARGATE));

    SQSBatchResponse response = deliver(message);

    assertThat(failedIds(response)).containsExactly(message.getMessageId());
    // The unused config stays registered and recorded by reference, for the retry to reuse.
    assertThat(fleet.gitHub().deletions()).isEmpty();
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.REQUESTED);
    assertThat(runner.hostId()).isNull();
    assertThat(runner.githubRunnerId()).isEqualTo(fleet.gitHub().minted().get(0).runnerId());
    assertThat(runner.jitSecret()).isEqualTo(fleet.handOff().reference(FARGATE, RUNNER));
  }

  @Test
  void spinUp_redeliveredAfterRetryLater_launchesAtOnce_becauseTheClaimWasGivenBack() {
    fleet.putRequested(RUNNER, FARGATE);
    fleet.launcher().answerLaunch(new LaunchOutcome.RetryLater("throttled"));
    SQSEvent.SQSMessage message = fleet.message(spinUp(RUNNER, FARGATE));
    deliver(message);
    fleet.launcher().answerLaunch(new LaunchOutcome.Launched("host-1"));

    SQSBatchResponse redelivered = deliver(message);

    assertThat(failedIds(redelivered)).isEmpty();
    assertThat(fleet.gitHub().jitRequests()).hasSize(1);
    assertThat(fleet.launcher().launches()).hasSize(2);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  void spinUp_whenGitHubSaysRetryLater_reportsFailureAndLaunchesNothing() {
    fleet.putRequested(RUNNER, FARGATE);
    fleet.gitHub().answerJit(new JitResult.RetryLater("secondary rate limit"));
    SQSEvent.SQSMessage message = fleet.message(spinUp(RUNNER, FARGATE));

    SQSBatchResponse response = deliver(message);

    assertThat(failedIds(response)).containsExactly(message.getMessageId());
    assertThat(fleet.launcher().launches()).isEmpty();
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.REQUESTED);
  }

  @Test
  void spinUp_whenGitHubRejects_marksFailedAndLaunchesNothing() {
    fleet.putRequested(RUNNER, FARGATE);
    fleet.gitHub().answerJit(new JitResult.Rejected("runner group 3 not found"));

    SQSBatchResponse response = deliverSpinUp();

    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.launcher().launches()).isEmpty();
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.FAILED);
    assertThat(runner.detail()).contains("runner group 3 not found");
    assertThat(fleet.gitHub().deletions()).isEmpty();
  }

  @Test
  void spinUp_whenLauncherThrows_reportsFailureForRetry() {
    fleet.putRequested(RUNNER, FARGATE);
    fleet
        .launcher()
        .onLaunch(
            request -> {
              throw new IllegalStateException("ECS endpoint unreachable");
            });
    SQSEvent.SQSMessage message = fleet.message(spinUp(RUNNER, FARGATE));

    SQSBatchResponse response = deliver(message);

    assertThat(failedIds(response)).containsExactly(message.getMessageId());
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.REQUESTED);
  }

  @Test
  void spinUp_forUnknownRunner_isPoison() {
    SQSEvent.SQSMessage message = fleet.message(spinUp("rf-fargate-1-1-1", FARGATE));

    SQSBatchResponse response = deliver(message);

    assertThat(failedIds(response)).containsExactly(message.getMessageId());
    assertThat(fleet.gitHub().jitRequests()).isEmpty();
    assertThat(fleet.launcher().launches()).isEmpty();
  }

  // ---- tear-down ----

  @Test
  void tearDown_stopsHostDeregistersRunnerAndMarksStopped() {
    fleet.putRequested(RUNNER, FARGATE);
    deliverSpinUp();
    long jitRunnerId = fleet.gitHub().minted().get(0).runnerId();

    SQSBatchResponse response = deliverTearDown("job completed");

    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.launcher().stops()).containsExactly(new Stop(RUNNER, "host-" + RUNNER));
    assertThat(fleet.gitHub().deletions()).containsExactly(new Deletion(SCOPE, jitRunnerId));
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(runner.detail()).isEqualTo("job completed");
  }

  @Test
  void tearDown_ofStoppedRunner_callsNothing() {
    fleet.putRequested(RUNNER, FARGATE);
    deliverSpinUp();
    deliverTearDown("job completed");
    fleet.launcher().forget();
    fleet.gitHub().forget();

    SQSBatchResponse response = deliverTearDown("job completed");

    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.launcher().stops()).isEmpty();
    assertThat(fleet.gitHub().deletions()).isEmpty();
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
  }

  @Test
  void tearDown_ofUnknownRunner_isAcknowledged() {
    SQSBatchResponse response =
        deliver(fleet.message(tearDown("rf-fargate-77-1-1", FARGATE, "max runtime")));

    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.launcher().stops()).isEmpty();
    assertThat(fleet.gitHub().deletions()).isEmpty();
  }

  @Test
  void tearDown_ofRunnerWithoutOurJob_whenGitHubSaysBusy_keepsHostAndRecord() {
    fleet.putRequested(RUNNER, FARGATE);
    deliverSpinUp();
    fleet.gitHub().answerDelete(DeleteResult.BUSY);

    SQSBatchResponse response = deliver(fleet.message(tearDown(RUNNER, FARGATE, "idle")));

    // GitHub gave the runner a job this very moment: its host stays, and the command is done (the
    // job's own completion will stop it).
    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.launcher().stops()).isEmpty();
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(fleet.handOff().held()).isNotEmpty();
  }

  @Test
  void forcedTearDown_ofRunnerGitHubSaysIsBusyWithAJobNotOurs_stopsItsHostAnyway() {
    fleet.putRequested(RUNNER, FARGATE);
    deliverSpinUp();
    long jitRunnerId = fleet.gitHub().minted().get(0).runnerId();
    fleet.gitHub().answerDelete(DeleteResult.BUSY);
    RunnerCommand.TearDown unforced = tearDown(RUNNER, FARGATE, "past its maximum lifetime");
    RunnerCommand.TearDown forced =
        new RunnerCommand.TearDown(
            unforced.version(),
            unforced.commandId(),
            unforced.runnerName(),
            unforced.platform(),
            unforced.reason(),
            unforced.requestedAt(),
            true,
            null);

    SQSBatchResponse response = deliver(fleet.message(forced));

    // Past its maximum lifetime and grace GitHub's "busy" no longer keeps it.
    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.launcher().stops()).containsExactly(new Stop(RUNNER, "host-" + RUNNER));
    assertThat(fleet.gitHub().deletions()).containsExactly(new Deletion(SCOPE, jitRunnerId));
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(fleet.runner(RUNNER).detail()).isEqualTo("past its maximum lifetime");
    assertThat(fleet.handOff().held()).isEmpty();
  }

  @Test
  void tearDown_ofRunnerWithoutOurJob_deregistersBeforeStopping() {
    fleet.putRequested(RUNNER, FARGATE);
    deliverSpinUp();
    fleet.gitHub().answerDelete(DeleteResult.RETRY_LATER);
    SQSEvent.SQSMessage message = fleet.message(tearDown(RUNNER, FARGATE, "idle"));

    SQSBatchResponse response = deliver(message);

    // Without GitHub's word that the runner is not busy, its host is not touched.
    assertThat(failedIds(response)).containsExactly(message.getMessageId());
    assertThat(fleet.launcher().stops()).isEmpty();

    fleet.gitHub().answerDelete(DeleteResult.DELETED);
    assertThat(failedIds(deliver(message))).isEmpty();
    assertThat(fleet.launcher().stops()).hasSize(1);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(fleet.handOff().held()).isEmpty();
  }

  @Test
  void tearDown_whenStopSaysRetryLater_reportsFailureAndKeepsRunnerLive() {
    fleet.putRequested(RUNNER, FARGATE);
    deliverSpinUp();
    fleet.markBusy(RUNNER);
    fleet.launcher().answerStop(StopOutcome.RETRY_LATER);
    SQSEvent.SQSMessage message = fleet.message(tearDown(RUNNER, FARGATE, "job completed"));

    SQSBatchResponse response = deliver(message);

    assertThat(failedIds(response)).containsExactly(message.getMessageId());
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.BUSY);
    // The runner stays registered while its host may still run it.
    assertThat(fleet.gitHub().deletions()).isEmpty();

    fleet.launcher().answerStop(StopOutcome.STOPPED);
    SQSBatchResponse retried = deliver(message);

    assertThat(failedIds(retried)).isEmpty();
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
  }

  @Test
  void tearDown_whenDeregistrationSaysRetryLater_reportsFailureAndKeepsRunnerLive() {
    fleet.putRequested(RUNNER, FARGATE);
    deliverSpinUp();
    fleet.gitHub().answerDelete(DeleteResult.RETRY_LATER);
    SQSEvent.SQSMessage message = fleet.message(tearDown(RUNNER, FARGATE, "job completed"));

    SQSBatchResponse response = deliver(message);

    assertThat(failedIds(response)).containsExactly(message.getMessageId());
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  void tearDown_duringLaunch_stopsTheJustStartedHostAndDeregisters() {
    fleet.putRequested(RUNNER, FARGATE);
    // Another orchestrator instance carries out a tear-down while this one's launch call is in
    // flight.
    AtomicReference<CommandOutcome> tornDown = new AtomicReference<>();
    fleet
        .launcher()
        .onLaunch(
            request -> {
              tornDown.set(
                  fleet
                      .component(FARGATE)
                      .lifecycle()
                      .handle(tearDown(RUNNER, FARGATE, "job cancelled")));
              return new LaunchOutcome.Launched("task/just-started");
            });

    SQSBatchResponse response = deliverSpinUp();

    assertThat(tornDown.get()).isInstanceOf(CommandOutcome.Done.class);
    assertThat(failedIds(response)).isEmpty();
    assertThat(fleet.launcher().stops()).containsExactly(new Stop(RUNNER, "task/just-started"));
    // The tear-down deregisters the recorded runner id, the undone launch the same one again.
    long jitRunnerId = fleet.gitHub().minted().get(0).runnerId();
    assertThat(fleet.gitHub().deletions()).containsOnly(new Deletion(SCOPE, jitRunnerId));
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(runner.detail()).isEqualTo("job cancelled");
  }

  // ---- batches ----

  @Test
  void batch_withPoisonAndForeignPlatform_reportsOnlyThoseAndProcessesTheRest() {
    fleet.putRequested(RUNNER, FARGATE);
    fleet.putRequested("rf-ec2-linux-x64-5-1-1", "ec2-linux-x64");
    SQSEvent.SQSMessage poison = fleet.message("{not json");
    SQSEvent.SQSMessage foreign = fleet.message(spinUp("rf-ec2-linux-x64-5-1-1", "ec2-linux-x64"));
    SQSEvent.SQSMessage valid = fleet.message(spinUp(RUNNER, FARGATE));

    SQSBatchResponse response = deliver(poison, foreign, valid);

    assertThat(failedIds(response))
        .containsExactlyInAnyOrder(poison.getMessageId(), foreign.getMessageId());
    assertThat(fleet.launcher().launches())
        .extracting(LaunchRequest::runnerName)
        .containsExactly(RUNNER);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(fleet.runner("rf-ec2-linux-x64-5-1-1").status()).isEqualTo(RunnerStatus.REQUESTED);
  }

  @Test
  void batch_withARecordWithoutABody_reportsItForTheDeadLetterQueue_andProcessesTheRest()
      throws IOException {
    fleet.putRequested(RUNNER, FARGATE);
    SQSEvent.SQSMessage broken = fleet.message(spinUp("rf-fargate-9-1-1", FARGATE));
    SQSEvent.SQSMessage valid = fleet.message(spinUp(RUNNER, FARGATE));
    ObjectNode event = (ObjectNode) new ObjectMapper().readTree(Fleet.json(event(broken, valid)));
    ((ObjectNode) event.get("Records").get(0)).remove("body");

    String answer = Fleet.invokeJson(handler, event.toString());

    assertThat(answer)
        .isEqualTo(
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + broken.getMessageId() + "\"}]}");
    assertThat(fleet.launcher().launches())
        .extracting(LaunchRequest::runnerName)
        .containsExactly(RUNNER);
  }

  @Test
  void anEventThatIsNotJson_failsTheInvocation_andLaunchesNothing() {
    fleet.putRequested(RUNNER, FARGATE);

    assertThatThrownBy(() -> Fleet.invokeJson(handler, "{\"Records\":[{\"messageId\":"))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageStartingWith("the event is not JSON");
    assertThat(fleet.launcher().launches()).isEmpty();
  }

  @Test
  void batch_whenOneMessageMustRetry_stillProcessesTheOthers() {
    String second = "rf-fargate-4243-1-1";
    fleet.putRequested(RUNNER, FARGATE);
    fleet.putRequested(second, FARGATE);
    fleet
        .launcher()
        .onLaunch(
            request ->
                request.runnerName().equals(RUNNER)
                    ? new LaunchOutcome.RetryLater("throttled")
                    : new LaunchOutcome.Launched("host-2"));
    SQSEvent.SQSMessage retried = fleet.message(spinUp(RUNNER, FARGATE));

    SQSBatchResponse response = deliver(retried, fleet.message(spinUp(second, FARGATE)));

    assertThat(failedIds(response)).containsExactly(retried.getMessageId());
    assertThat(fleet.runner(second).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }
}
