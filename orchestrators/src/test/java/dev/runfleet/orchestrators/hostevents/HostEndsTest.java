package dev.runfleet.orchestrators.hostevents;

import static dev.runfleet.orchestrators.hostevents.HostEventParserTest.fixture;
import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.Listing;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.CapturedLogs;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Host ends from the fixture events through the handler: the real runner store on the embedded
 * DynamoDB, a recording GitHub, the in-memory hand-over, and host tags scripted per host id (as
 * DescribeTasks/DescribeInstances would answer them).
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class HostEndsTest {

  private static final String RUNNER = "rf-fargate-4242-1-1";
  private static final String TASK =
      "arn:aws:ecs:us-west-2:111122223333:task/runfleet-dev-runners/b99d40b3-5176-4f71-9a52-9dbd6f1cebef";
  private static final String STAGE = "dev";

  private Fleet fleet;
  private final Map<String, Map<String, String>> tags = new HashMap<>();
  private boolean rerunOnInterruption = true;
  private HostOwners.Owner.RetryLater tagsUnreadable;
  private boolean secretsUndeletable;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    tags.put(
        TASK,
        Map.of("runfleet:runner", RUNNER, "runfleet:platform", FARGATE, "runfleet:stage", STAGE));
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  private HostEventsHandler handler() {
    Platform fargate =
        new Platform(
            FARGATE,
            Set.copyOf(Fleet.FARGATE_LABELS),
            HostKind.ECS_FARGATE,
            "x64",
            10,
            rerunOnInterruption);
    HostOwners owners =
        end -> {
          if (tagsUnreadable != null) {
            return tagsUnreadable;
          }
          Map<String, String> hostTags = tags.get(end.hostId());
          return hostTags == null
              ? new HostOwners.Owner.NotOurs("unknown")
              : AwsHostOwners.owner(hostTags, STAGE);
        };
    Telemetry telemetry = new Telemetry("test");
    return new HostEventsHandler(
        new HostEnds(
            owners,
            fleet.store(),
            fleet.gitHub(),
            secretsUndeletable ? new UndeletableSecrets(fleet.handOff()) : fleet.handOff(),
            new PlatformCatalog(List.of(fargate)),
            telemetry,
            new MutableClock(Fleet.T0)),
        telemetry);
  }

  private String deliver(String fixture) {
    return handler()
        .handle(new ByteArrayInputStream(fixture(fixture).getBytes(StandardCharsets.UTF_8)));
  }

  /** A runner as the orchestrator leaves it once launched on the fixture's task. */
  private Runner launched(RunnerStatus status) {
    fleet.putRequested(RUNNER, FARGATE);
    fleet
        .client()
        .updateItem(
            b ->
                b.tableName(fleet.table())
                    .key(JobsTable.runnerKey(RUNNER))
                    .updateExpression("SET #s = :s, #h = :h, #g = :g")
                    .expressionAttributeNames(
                        Map.of(
                            "#s",
                            JobsTable.STATUS,
                            "#h",
                            JobsTable.HOST_ID,
                            "#g",
                            JobsTable.GITHUB_RUNNER_ID))
                    .expressionAttributeValues(
                        Map.of(
                            ":s", AttributeValue.fromS(status.name()),
                            ":h", AttributeValue.fromS(TASK),
                            ":g", AttributeValue.fromN("9001"))));
    fleet.handOff().store(FARGATE, RUNNER, new JitConfig(9001, "unused-config"));
    return fleet.runner(RUNNER);
  }

  @Test
  void spotInterruption_ofAnIdleRunner_deregistersItDeletesItsSecretAndMarksItStopped() {
    launched(RunnerStatus.LAUNCHED);

    String answer = deliver("ecs-task-stopped-spot-interruption.json");

    assertThat(answer).contains("\"recorded\"");
    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(runner.detail()).startsWith(HostEnd.SPOT_INTERRUPTED);
    assertThat(runner.slotReleased()).isFalse(); // the publisher gives it back, from the stream
    assertThat(fleet.gitHub().deletions()).extracting(d -> d.runnerId()).containsExactly(9001L);
    assertThat(fleet.handOff().held()).isEmpty();
    assertThat(fleet.gitHub().reruns()).isEmpty();
  }

  @Test
  void spotInterruption_ofABusyRunner_reRunsItsJob_whenThePlatformAsks() {
    launched(RunnerStatus.BUSY);

    deliver("ecs-task-stopped-spot-interruption.json");

    assertThat(fleet.gitHub().reruns()).containsExactly(4242L);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
  }

  @Test
  void spotInterruption_ofABusyRunner_leavesTheJobAlone_whenThePlatformDoesNotAsk() {
    rerunOnInterruption = false;
    launched(RunnerStatus.BUSY);

    deliver("ecs-task-stopped-spot-interruption.json");

    assertThat(fleet.gitHub().reruns()).isEmpty();
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
  }

  @Test
  void containerExit_ofABusyRunner_isRecordedButNeverReRun() {
    launched(RunnerStatus.BUSY);

    deliver("ecs-task-stopped-container-exit.json");

    assertThat(fleet.gitHub().reruns()).isEmpty();
    assertThat(fleet.runner(RUNNER).detail()).startsWith("host-ended: EssentialContainerExited");
  }

  @Test
  void failedToStart_ofALaunchedRunner_marksItStopped() {
    launched(RunnerStatus.LAUNCHED);

    deliver("ecs-task-stopped-failed-to-start.json");

    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(fleet.runner(RUNNER).detail()).contains("TaskFailedToStart");
  }

  @Test
  void duplicateEvents_areHarmless_oneRerunOneDeregistration() {
    launched(RunnerStatus.BUSY);

    deliver("ecs-task-stopped-spot-interruption.json");
    String again = deliver("ecs-task-stopped-spot-interruption.json");

    assertThat(again).contains("\"ignored\"");
    assertThat(fleet.gitHub().reruns()).hasSize(1);
    assertThat(fleet.gitHub().deletions()).hasSize(1);
  }

  @Test
  void hostsNotOurs_areIgnored_andNothingIsTouched() {
    launched(RunnerStatus.LAUNCHED);
    tags.put(TASK, Map.of("runfleet:runner", RUNNER, "runfleet:platform", FARGATE));

    String untagged = deliver("ecs-task-stopped-spot-interruption.json");
    tags.put(
        TASK,
        Map.of("runfleet:runner", RUNNER, "runfleet:platform", FARGATE, "runfleet:stage", "prod"));
    String otherStage = deliver("ecs-task-stopped-spot-interruption.json");

    assertThat(untagged).contains("\"ignored\"").contains("no runfleet:stage tag");
    assertThat(otherStage).contains("\"ignored\"").contains("stage prod");
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(fleet.gitHub().deletions()).isEmpty();
  }

  @Test
  void anEndOfAnotherHostThanTheRecordedOne_isIgnored() {
    launched(RunnerStatus.LAUNCHED);
    tags.put(
        "i-1234567890abcdef0",
        Map.of("runfleet:runner", RUNNER, "runfleet:platform", FARGATE, "runfleet:stage", STAGE));

    String answer = deliver("ec2-spot-interruption-warning.json");

    assertThat(answer).contains("\"ignored\"");
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  void idleRunnerThatCannotBeDeregisteredNow_isRetried_andStaysLive() {
    launched(RunnerStatus.LAUNCHED);
    fleet.gitHub().answerDelete(GitHubRunners.DeleteResult.RETRY_LATER);

    assertThatThrownBy(() -> deliver("ecs-task-stopped-spot-interruption.json"))
        .isInstanceOf(HostEventsHandler.HostEventNotRecordedException.class);
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
  }

  @Test
  void anEndWhoseHandOffSecretsCannotBeDeletedNow_isRetried_andTheRunnerStaysLive() {
    launched(RunnerStatus.LAUNCHED);
    secretsUndeletable = true;

    assertThatThrownBy(() -> deliver("ecs-task-stopped-spot-interruption.json"))
        .isInstanceOf(HostEventsHandler.HostEventNotRecordedException.class)
        .hasMessageContaining("hand-over secrets");
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(fleet.handOff().held()).hasSize(1);

    secretsUndeletable = false;
    deliver("ecs-task-stopped-spot-interruption.json");

    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(fleet.handOff().held()).isEmpty();
  }

  @Test
  void spotInterruption_ofABusyRunner_whoseReRunGitHubRefuses_isRecorded_andSaysToReRunByHand() {
    launched(RunnerStatus.BUSY);
    fleet.gitHub().answerRerun(GitHubRunners.RerunResult.REFUSED);

    try (CapturedLogs logs = CapturedLogs.start()) {
      deliver("ecs-task-stopped-spot-interruption.json");

      assertThat(fleet.gitHub().reruns()).containsExactly(4242L);
      assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.STOPPED);
      assertThat(logs.lines())
          .anyMatch(
              line ->
                  line.contains("could not be re-run (REFUSED)")
                      && line.contains("re-run it by hand")
                      && line.contains("\"ERROR\""));
    }
  }

  /**
   * The hand-over store with Secrets Manager throttling deletes: everything else passes through.
   */
  private record UndeletableSecrets(JitHandOff delegate) implements JitHandOff {
    @Override
    public StoreResult store(String platform, String runnerName, JitConfig config) {
      return delegate.store(platform, runnerName, config);
    }

    @Override
    public BindResult bindToHost(String reference, String hostId) {
      return delegate.bindToHost(reference, hostId);
    }

    @Override
    public Presence presence(String reference) {
      return delegate.presence(reference);
    }

    @Override
    public RemoveResult remove(String reference) {
      return RemoveResult.RETRY_LATER;
    }

    @Override
    public RemoveResult removeAll(String platform, String runnerName) {
      return RemoveResult.RETRY_LATER;
    }

    @Override
    public Listing<HandOffSecret> list(Listing.Pages pages) {
      return delegate.list(pages);
    }
  }

  @Test
  void anEndOfARunnerWithNoRecord_isIgnored() {
    String answer = deliver("ecs-task-stopped-spot-interruption.json");

    assertThat(answer).contains("\"ignored\"").contains("no runner record " + RUNNER);
    assertThat(fleet.gitHub().deletions()).isEmpty();
  }

  @Test
  void whenTheHostsTagsCannotBeReadNow_theEventIsRetried_andNothingIsTouched() {
    launched(RunnerStatus.LAUNCHED);
    tagsUnreadable = new HostOwners.Owner.RetryLater("DescribeTasks throttled");

    assertThatThrownBy(() -> deliver("ecs-task-stopped-spot-interruption.json"))
        .isInstanceOf(HostEventsHandler.HostEventNotRecordedException.class)
        .hasMessageContaining("DescribeTasks throttled");
    assertThat(fleet.runner(RUNNER).status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(fleet.gitHub().deletions()).isEmpty();
  }

  @Test
  void malformedEvent_failsTheInvocation_forTheDeadLetterQueue() {
    assertThatThrownBy(
            () ->
                handler()
                    .handle(
                        new ByteArrayInputStream(
                            "{\"detail-type\":\"ECS Task State Change\",\"detail\":{}}"
                                .getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(HostEventParser.MalformedHostEventException.class);
  }
}
