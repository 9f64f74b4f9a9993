package dev.runfleet.orchestrators.host;

import dev.runfleet.common.port.RunnerLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * Runs each runner as one ECS Fargate task: FARGATE_SPOT first where the spot mode allows, FARGATE
 * when spot has no capacity. The task definition fixes the CPU architecture and the runner class;
 * the task learns only the name of its JIT config's secret, as a container environment override.
 * {@code startedBy} and tags link the task to the runner record, and an earlier attempt's task is
 * found by {@code startedBy} before a new one is started.
 */
public final class EcsRunnerLauncher implements RunnerLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(EcsRunnerLauncher.class);

  static final String FARGATE = "FARGATE";
  static final String FARGATE_SPOT = "FARGATE_SPOT";

  /** ECS allows 36 characters of [A-Za-z0-9-_/] in startedBy. */
  private static final int STARTED_BY_MAX = 36;

  public static final String ENV_JIT_SECRET = "RUNFLEET_JIT_SECRET";
  public static final String ENV_RUNNER_NAME = "RUNFLEET_RUNNER_NAME";

  private final EcsClient ecs;
  private final HostSettings.Ecs settings;

  public EcsRunnerLauncher(EcsClient ecs, HostSettings.Ecs settings) {
    this.ecs = ecs;
    this.settings = settings;
  }

  @Override
  public LaunchOutcome launch(LaunchRequest request) {
    String startedBy = ClientTokens.fit(request.runnerName(), STARTED_BY_MAX);
    try {
      List<String> existing =
          ecs.listTasks(b -> b.cluster(settings.cluster()).startedBy(startedBy)).taskArns();
      if (!existing.isEmpty()) {
        LOG.info("runner {} already has task {}", request.runnerName(), existing.get(0));
        return new LaunchOutcome.Launched(existing.get(0));
      }
    } catch (AwsServiceException e) {
      return classify(e);
    } catch (SdkClientException e) {
      return new LaunchOutcome.RetryLater("ECS unreachable: " + e.getMessage());
    }
    List<String> reasons = new ArrayList<>();
    for (String provider : providers()) {
      Attempt attempt;
      try {
        attempt = runTask(request, startedBy, provider);
      } catch (AwsServiceException e) {
        attempt = new Attempt(classify(e), null);
      } catch (SdkClientException e) {
        attempt =
            new Attempt(new LaunchOutcome.RetryLater("ECS unreachable: " + e.getMessage()), null);
      }
      if (attempt.shortage() == null) {
        return attempt.outcome();
      }
      LOG.warn(
          "no {} capacity for runner {}: {}", provider, request.runnerName(), attempt.shortage());
      reasons.add(provider + ": " + attempt.shortage());
    }
    return new LaunchOutcome.RetryLater("no capacity (" + String.join("; ", reasons) + ")");
  }

  private List<String> providers() {
    return switch (settings.spotMode()) {
      case SPOT_ONLY -> List.of(FARGATE_SPOT);
      case SPOT_PREFERRED -> List.of(FARGATE_SPOT, FARGATE);
      case ON_DEMAND_ONLY -> List.of(FARGATE);
    };
  }

  /** One RunTask: an outcome for the caller, or a capacity shortage to fall back from. */
  private record Attempt(LaunchOutcome outcome, String shortage) {}

  private Attempt runTask(LaunchRequest request, String startedBy, String provider) {
    RunTaskRequest runTask =
        RunTaskRequest.builder()
            .cluster(settings.cluster())
            .taskDefinition(settings.taskDefinition())
            .count(1)
            .capacityProviderStrategy(
                CapacityProviderStrategyItem.builder().capacityProvider(provider).weight(1).build())
            .networkConfiguration(
                n ->
                    n.awsvpcConfiguration(
                        v ->
                            v.subnets(settings.subnets())
                                .securityGroups(settings.securityGroups())
                                .assignPublicIp(
                                    settings.assignPublicIp()
                                        ? AssignPublicIp.ENABLED
                                        : AssignPublicIp.DISABLED)))
            .overrides(
                o ->
                    o.containerOverrides(
                        c ->
                            c.name(settings.containerName())
                                .environment(
                                    env(ENV_JIT_SECRET, request.jitConfigRef()),
                                    env(ENV_RUNNER_NAME, request.runnerName()))))
            .startedBy(startedBy)
            .clientToken(ClientTokens.of(request.runnerName(), request.attemptId(), provider))
            .enableECSManagedTags(true)
            .propagateTags(PropagateTags.TASK_DEFINITION)
            .tags(
                HostTags.of(request, settings.stage()).entrySet().stream()
                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                    .toList())
            .build();
    RunTaskResponse response = ecs.runTask(runTask);
    if (response.hasTasks() && !response.tasks().isEmpty()) {
      return new Attempt(new LaunchOutcome.Launched(response.tasks().get(0).taskArn()), null);
    }
    List<Failure> failures = response.hasFailures() ? response.failures() : List.of();
    String reason =
        failures.isEmpty()
            ? "RunTask started no task and named no failure"
            : failures.stream()
                .map(f -> f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")"))
                .reduce((a, b) -> a + "; " + b)
                .orElseThrow();
    if (failures.stream().anyMatch(EcsRunnerLauncher::isCapacity)) {
      return new Attempt(null, reason);
    }
    return new Attempt(new LaunchOutcome.RetryLater("RunTask failed: " + reason), null);
  }

  /**
   * Fargate reports missing capacity as a task failure, not an exception: "Capacity is unavailable
   * at this time..." (FARGATE_SPOT most often).
   */
  private static boolean isCapacity(Failure failure) {
    String text = (failure.reason() + " " + failure.detail()).toLowerCase(Locale.ROOT);
    return text.contains("capacity");
  }

  private static LaunchOutcome classify(AwsServiceException e) {
    String code = AwsErrors.code(e);
    String what = "ECS " + code + ": " + AwsErrors.message(e);
    if (e.isThrottlingException()
        || e.statusCode() >= 500
        || "ServerException".equals(code)
        || "LimitExceededException".equals(code)) {
      return new LaunchOutcome.RetryLater(what);
    }
    // ClientException, InvalidParameterException, AccessDeniedException, ClusterNotFoundException,
    // PlatformUnknownException: the configuration is wrong; retrying will not mend it.
    return new LaunchOutcome.Rejected(what);
  }

  @Override
  public StopOutcome stop(String runnerName, String hostId) {
    try {
      ecs.stopTask(
          b -> b.cluster(settings.cluster()).task(hostId).reason("runfleet: runner torn down"));
      return StopOutcome.STOPPED;
    } catch (AwsServiceException e) {
      String message = AwsErrors.message(e);
      if (message.toLowerCase(Locale.ROOT).contains("not found")) {
        return StopOutcome.STOPPED; // already gone
      }
      LOG.warn("stop of task {} for runner {} failed: {}", hostId, runnerName, message);
      return StopOutcome.RETRY_LATER;
    } catch (SdkClientException e) {
      LOG.warn("stop of task {} for runner {} failed: {}", hostId, runnerName, e.getMessage());
      return StopOutcome.RETRY_LATER;
    }
  }

  private static KeyValuePair env(String name, String value) {
    return KeyValuePair.builder().name(name).value(value).build();
  }
}
