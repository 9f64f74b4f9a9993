package dev.runfleet.orchestrators.host;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.orchestrators.host.Launches.Attempt;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
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

  /** The container of every runner task definition (Terraform names it so). */
  static final String RUNNER_CONTAINER = "runner";

  public static final String ENV_JIT_SECRET = "RUNFLEET_JIT_SECRET";
  public static final String ENV_RUNNER_NAME = "RUNFLEET_RUNNER_NAME";

  /**
   * Errors that clear with time. ClientException, InvalidParameterException, AccessDeniedException,
   * ClusterNotFoundException and PlatformUnknownException mean the configuration is wrong.
   */
  private static final Set<String> TRANSIENT_ERRORS =
      Set.of("ServerException", "LimitExceededException");

  private final EcsClient ecs;
  private final HostSettings.Ecs settings;

  /**
   * The launcher with its ECS client, as the Fargate handler builds it: a {@link LauncherFactory}.
   */
  public static RunnerLauncher from(AwsClients clients, HostSettings host) {
    return new EcsRunnerLauncher(
        clients.configure(EcsClient.builder(), EcsClient.SERVICE_NAME).build(),
        (HostSettings.Ecs) host);
  }

  public EcsRunnerLauncher(EcsClient ecs, HostSettings.Ecs settings) {
    this.ecs = ecs;
    this.settings = settings;
  }

  @Override
  public LaunchOutcome launch(LaunchRequest request) {
    String startedBy = ClientTokens.fit(request.runnerName(), STARTED_BY_MAX);
    try {
      List<String> existing = existingTasks(startedBy);
      if (!existing.isEmpty()) {
        LOG.info("runner {} already has task {}", request.runnerName(), existing.get(0));
        return new LaunchOutcome.Launched(existing.get(0));
      }
    } catch (SdkException e) {
      return Launches.failed("ECS", e, TRANSIENT_ERRORS);
    }
    return Launches.firstWithCapacity(
        request.runnerName(),
        providers(request.avoidSpot()),
        provider -> {
          try {
            return runTask(request, startedBy, provider);
          } catch (SdkException e) {
            return Attempt.done(Launches.failed("ECS", e, TRANSIENT_ERRORS));
          }
        });
  }

  /** A task the runner's name started that has not been stopped ({@code startedBy}). */
  @Override
  public HostLookup find(String runnerName) {
    try {
      List<String> existing = existingTasks(ClientTokens.fit(runnerName, STARTED_BY_MAX));
      return existing.isEmpty() ? new HostLookup.None() : new HostLookup.Found(existing.get(0));
    } catch (SdkException e) {
      return new HostLookup.RetryLater("ECS " + AwsErrors.describe(e));
    }
  }

  private List<String> existingTasks(String startedBy) {
    return ecs.listTasks(b -> b.cluster(settings.cluster()).startedBy(startedBy)).taskArns();
  }

  private List<String> providers(boolean avoidSpot) {
    return switch (settings.spotMode()) {
      case SPOT_ONLY -> List.of(FARGATE_SPOT);
      case SPOT_PREFERRED -> avoidSpot ? List.of(FARGATE) : List.of(FARGATE_SPOT, FARGATE);
      case ON_DEMAND_ONLY -> List.of(FARGATE);
    };
  }

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
                            c.name(RUNNER_CONTAINER)
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
      return Attempt.done(new LaunchOutcome.Launched(response.tasks().get(0).taskArn()));
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
      return Attempt.shortage(reason);
    }
    return Attempt.done(new LaunchOutcome.RetryLater("RunTask failed: " + reason));
  }

  /**
   * Fargate reports missing capacity as a task failure, not an exception: "Capacity is unavailable
   * at this time..." (FARGATE_SPOT most often).
   */
  private static boolean isCapacity(Failure failure) {
    String text = (failure.reason() + " " + failure.detail()).toLowerCase(Locale.ROOT);
    return text.contains("capacity");
  }

  @Override
  public StopOutcome stop(String runnerName, String hostId) {
    try {
      ecs.stopTask(
          b -> b.cluster(settings.cluster()).task(hostId).reason("runfleet: runner torn down"));
      return StopOutcome.STOPPED;
    } catch (SdkException e) {
      if (e instanceof AwsServiceException
          && AwsErrors.message(e).toLowerCase(Locale.ROOT).contains("not found")) {
        return StopOutcome.STOPPED; // already gone
      }
      LOG.warn(
          "stop of task {} for runner {} failed: {}", hostId, runnerName, AwsErrors.describe(e));
      return StopOutcome.RETRY_LATER;
    }
  }

  private static KeyValuePair env(String name, String value) {
    return KeyValuePair.builder().name(name).value(value).build();
  }
}
