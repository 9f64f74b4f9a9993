package dev.runfleet.orchestrators.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.RunnerLauncher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

class EcsRunnerLauncherTest extends RunnerLauncherContract {

  private final FakeEcs ecs = new FakeEcs();

  /** ECS at its client interface: scripted answers, every request recorded. */
  static final class FakeEcs implements EcsClient {
    final List<RunTaskRequest> runTasks = new ArrayList<>();
    final List<ListTasksRequest> listTasks = new ArrayList<>();
    final List<StopTaskRequest> stopTasks = new ArrayList<>();
    final Deque<Supplier<RunTaskResponse>> runAnswers = new ArrayDeque<>();
    final Deque<Supplier<StopTaskResponse>> stopAnswers = new ArrayDeque<>();
    final Map<String, String> existing = new java.util.HashMap<>();

    @Override
    public RunTaskResponse runTask(RunTaskRequest request) {
      runTasks.add(request);
      Supplier<RunTaskResponse> answer = runAnswers.poll();
      if (answer == null) {
        throw new AssertionError("unscripted RunTask");
      }
      return answer.get();
    }

    @Override
    public ListTasksResponse listTasks(ListTasksRequest request) {
      listTasks.add(request);
      String arn = existing.get(request.startedBy());
      return ListTasksResponse.builder().taskArns(arn == null ? List.of() : List.of(arn)).build();
    }

    @Override
    public StopTaskResponse stopTask(StopTaskRequest request) {
      stopTasks.add(request);
      Supplier<StopTaskResponse> answer = stopAnswers.poll();
      return answer == null ? StopTaskResponse.builder().build() : answer.get();
    }

    @Override
    public String serviceName() {
      return "ecs";
    }

    @Override
    public void close() {}
  }

  static EcsException error(int status, String code, String message) {
    return (EcsException)
        EcsException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
  }

  static HostSettings.Ecs settings(SpotMode mode) {
    return new HostSettings.Ecs(
        STAGE,
        mode,
        "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners",
        "runfleet-test-pool",
        List.of("subnet-a", "subnet-b"),
        List.of("sg-1"),
        false);
  }

  @Override
  RunnerLauncher launcher(SpotMode mode) {
    return new EcsRunnerLauncher(ecs, settings(mode));
  }

  @Override
  String platform() {
    return "pool";
  }

  @Override
  void scriptLaunched(String hostId) {
    ecs.runAnswers.add(
        () -> RunTaskResponse.builder().tasks(Task.builder().taskArn(hostId).build()).build());
  }

  @Override
  void scriptNoSpotCapacity() {
    // Fargate's own words when FARGATE_SPOT has nothing: a failure in a 200 answer.
    ecs.runAnswers.add(
        () ->
            RunTaskResponse.builder()
                .failures(
                    Failure.builder()
                        .reason(
                            "Capacity is unavailable at this time. Please try again later or in"
                                + " a different availability zone")
                        .build())
                .build());
  }

  @Override
  void scriptThrottled() {
    ecs.runAnswers.add(
        () -> {
          throw error(400, "ThrottlingException", "Rate exceeded");
        });
  }

  @Override
  void scriptInvalidConfiguration() {
    ecs.runAnswers.add(
        () -> {
          throw error(400, "InvalidParameterException", "TaskDefinition not found.");
        });
  }

  @Override
  void scriptExistingHost(String runner, String hostId) {
    ecs.existing.put(runner, hostId);
  }

  @Override
  void scriptStopNotFound() {
    ecs.stopAnswers.add(
        () -> {
          throw error(400, "InvalidParameterException", "The referenced task was not found.");
        });
  }

  @Override
  void scriptStopThrottled() {
    ecs.stopAnswers.add(
        () -> {
          throw error(400, "ThrottlingException", "Rate exceeded");
        });
  }

  @Override
  List<LaunchCall> launchCalls() {
    return ecs.runTasks.stream()
        .map(
            r ->
                new LaunchCall(
                    r.capacityProviderStrategy().get(0).capacityProvider().equals("FARGATE_SPOT"),
                    r.clientToken(),
                    r.tags().stream()
                        .collect(
                            Collectors.toMap(
                                software.amazon.awssdk.services.ecs.model.Tag::key,
                                software.amazon.awssdk.services.ecs.model.Tag::value)),
                    SdkText.of(r)))
        .toList();
  }

  @Override
  List<String> stopped() {
    return ecs.stopTasks.stream().map(StopTaskRequest::task).toList();
  }

  @Test
  void runTask_runsOneTaskOfThePlatformsDefinition_inItsNetwork_naming_itsSecret() {
    scriptLaunched("arn:aws:ecs:eu-west-1:123456789012:task/runfleet-test-runners/abc");

    launcher(SpotMode.SPOT_PREFERRED).launch(request("attempt-1"));

    RunTaskRequest run = ecs.runTasks.get(0);
    assertThat(run.cluster()).endsWith("cluster/runfleet-test-runners");
    assertThat(run.taskDefinition()).isEqualTo("runfleet-test-pool");
    assertThat(run.count()).isEqualTo(1);
    assertThat(run.launchType()).as("a capacity provider strategy excludes a launch type").isNull();
    assertThat(run.capacityProviderStrategy()).hasSize(1);
    assertThat(run.networkConfiguration().awsvpcConfiguration().subnets())
        .containsExactly("subnet-a", "subnet-b");
    assertThat(run.networkConfiguration().awsvpcConfiguration().securityGroups())
        .containsExactly("sg-1");
    assertThat(run.networkConfiguration().awsvpcConfiguration().assignPublicIp())
        .isEqualTo(AssignPublicIp.DISABLED);
    assertThat(run.startedBy()).isEqualTo(RUNNER);
    assertThat(run.overrides().containerOverrides())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.name()).isEqualTo("runner");
              assertThat(c.environment())
                  .containsExactlyInAnyOrder(
                      KeyValuePair.builder()
                          .name(EcsRunnerLauncher.ENV_JIT_SECRET)
                          .value(SECRET_NAME)
                          .build(),
                      KeyValuePair.builder()
                          .name(EcsRunnerLauncher.ENV_RUNNER_NAME)
                          .value(RUNNER)
                          .build());
              assertThat(c.command()).isEmpty();
            });
  }

  @Test
  void launch_looksForAnEarlierTaskByStartedBy_inTheCluster() {
    scriptLaunched("task-1");

    launcher(SpotMode.SPOT_PREFERRED).launch(request("attempt-1"));

    assertThat(ecs.listTasks)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.startedBy()).isEqualTo(RUNNER);
              assertThat(l.cluster()).endsWith("cluster/runfleet-test-runners");
            });
  }

  @Test
  void startedBy_whenTheRunnerNameIsTooLong_isAStableHashWithinEcsLimit() {
    String longName = "rf-a-very-long-platform-name-of-forty-1234567890123-1-1";
    assertThat(ClientTokens.fit(longName, 36))
        .hasSize(36)
        .matches("[A-Za-z0-9_/-]+")
        .isEqualTo(ClientTokens.fit(longName, 36));
  }

  @Test
  void stop_namesTheClusterAndAReason() {
    launcher(SpotMode.SPOT_PREFERRED).stop(RUNNER, "task-1");

    assertThat(ecs.stopTasks.get(0).cluster()).endsWith("cluster/runfleet-test-runners");
    assertThat(ecs.stopTasks.get(0).reason()).contains("runfleet");
  }
}
