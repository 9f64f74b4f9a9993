package dev.runfleet.orchestrators.host;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.orchestrators.host.Launches.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetInstance;
import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.FleetOnDemandAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Starts each runner as one EC2 instance through an instant fleet over the platform's launch
 * template (AMI, instance role, IMDSv2, boot script) and every instance type x subnet it allows:
 * spot by capacity-optimized allocation, and on-demand when spot has no capacity and the spot mode
 * allows it. Tags link the instance to the runner record and name its JIT config's secret; the user
 * data (in the template) holds no secret and nothing per runner.
 */
public final class Ec2RunnerLauncher implements RunnerLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(Ec2RunnerLauncher.class);

  /** Errors that mean "no capacity of this kind now", where on-demand (or later) may succeed. */
  static final Set<String> CAPACITY_ERRORS =
      Set.of(
          "InsufficientInstanceCapacity",
          "InsufficientCapacity",
          "UnfulfillableCapacity",
          "MaxSpotInstanceCountExceeded",
          "SpotMaxPriceTooLow",
          "InsufficientHostCapacity");

  /** Errors that clear with time (quotas, throttling) but not by switching to on-demand. */
  static final Set<String> TRANSIENT_ERRORS =
      Set.of(
          "RequestLimitExceeded",
          "VcpuLimitExceeded",
          "InstanceLimitExceeded",
          "InsufficientFreeAddressesInSubnet",
          "InternalError",
          "Unavailable",
          "ServiceUnavailable");

  private final Ec2Client ec2;
  private final HostSettings.Ec2 settings;

  /** The launcher with its EC2 client, as an EC2 handler builds it: a {@link LauncherFactory}. */
  public static RunnerLauncher from(AwsClients clients, HostSettings host) {
    return new Ec2RunnerLauncher(
        clients.configure(Ec2Client.builder(), Ec2Client.SERVICE_NAME).build(),
        (HostSettings.Ec2) host);
  }

  public Ec2RunnerLauncher(Ec2Client ec2, HostSettings.Ec2 settings) {
    this.ec2 = ec2;
    this.settings = settings;
  }

  @Override
  public LaunchOutcome launch(LaunchRequest request) {
    try {
      List<String> existing = existingInstances(request.runnerName());
      if (!existing.isEmpty()) {
        LOG.info("runner {} already has instance {}", request.runnerName(), existing.get(0));
        return new LaunchOutcome.Launched(existing.get(0));
      }
    } catch (SdkException e) {
      return Launches.failed("EC2", e, TRANSIENT_ERRORS);
    }
    return Launches.firstWithCapacity(
        request.runnerName(),
        capacityTypes(request.avoidSpot()),
        capacity -> {
          try {
            return createFleet(request, capacity);
          } catch (SdkException e) {
            // RunInstances-style APIs throw capacity errors rather than listing them.
            return CAPACITY_ERRORS.contains(AwsErrors.code(e))
                ? Attempt.shortage(AwsErrors.describe(e))
                : Attempt.done(Launches.failed("EC2", e, TRANSIENT_ERRORS));
          }
        });
  }

  private List<DefaultTargetCapacityType> capacityTypes(boolean avoidSpot) {
    return switch (settings.spotMode()) {
      case SPOT_ONLY -> List.of(DefaultTargetCapacityType.SPOT);
      case SPOT_PREFERRED ->
          avoidSpot
              ? List.of(DefaultTargetCapacityType.ON_DEMAND)
              : List.of(DefaultTargetCapacityType.SPOT, DefaultTargetCapacityType.ON_DEMAND);
      case ON_DEMAND_ONLY -> List.of(DefaultTargetCapacityType.ON_DEMAND);
    };
  }

  @Override
  public HostLookup find(String runnerName) {
    try {
      List<String> existing = existingInstances(runnerName);
      return existing.isEmpty() ? new HostLookup.None() : new HostLookup.Found(existing.get(0));
    } catch (SdkException e) {
      return new HostLookup.RetryLater("EC2 " + AwsErrors.describe(e));
    }
  }

  private List<String> existingInstances(String runnerName) {
    return ec2
        .describeInstances(
            b ->
                b.filters(
                    Filter.builder().name("tag:" + HostTags.RUNNER).values(runnerName).build(),
                    Filter.builder()
                        .name("instance-state-name")
                        .values("pending", "running")
                        .build()))
        .reservations()
        .stream()
        .flatMap(r -> r.instances().stream())
        .map(Instance::instanceId)
        .toList();
  }

  private Attempt createFleet(LaunchRequest request, DefaultTargetCapacityType capacity) {
    boolean spot = capacity == DefaultTargetCapacityType.SPOT;
    FleetLaunchTemplateSpecificationRequest.Builder template =
        FleetLaunchTemplateSpecificationRequest.builder().version("$Default");
    if (settings.launchTemplate().startsWith("lt-")) {
      template.launchTemplateId(settings.launchTemplate());
    } else {
      template.launchTemplateName(settings.launchTemplate());
    }
    List<FleetLaunchTemplateOverridesRequest> overrides = new ArrayList<>();
    for (String type : settings.instanceTypes()) {
      if (settings.subnets().isEmpty()) {
        overrides.add(FleetLaunchTemplateOverridesRequest.builder().instanceType(type).build());
      }
      for (String subnet : settings.subnets()) {
        overrides.add(
            FleetLaunchTemplateOverridesRequest.builder()
                .instanceType(type)
                .subnetId(subnet)
                .build());
      }
    }
    CreateFleetRequest createFleet =
        CreateFleetRequest.builder()
            .type(FleetType.INSTANT)
            .clientToken(
                ClientTokens.of(request.runnerName(), request.attemptId(), capacity.toString()))
            .launchTemplateConfigs(
                c -> c.launchTemplateSpecification(template.build()).overrides(overrides))
            .targetCapacitySpecification(
                t -> {
                  t.totalTargetCapacity(1).defaultTargetCapacityType(capacity);
                  if (spot) {
                    t.spotTargetCapacity(1).onDemandTargetCapacity(0);
                  } else {
                    t.onDemandTargetCapacity(1).spotTargetCapacity(0);
                  }
                })
            .spotOptions(s -> s.allocationStrategy(SpotAllocationStrategy.CAPACITY_OPTIMIZED))
            .onDemandOptions(
                o -> o.allocationStrategy(FleetOnDemandAllocationStrategy.LOWEST_PRICE))
            .tagSpecifications(
                TagSpecification.builder()
                    .resourceType(ResourceType.INSTANCE)
                    .tags(
                        HostTags.of(request, settings.stage()).entrySet().stream()
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                            .toList())
                    .build())
            .build();
    CreateFleetResponse response = ec2.createFleet(createFleet);
    List<String> ids =
        response.hasInstances()
            ? response.instances().stream()
                .filter(CreateFleetInstance::hasInstanceIds)
                .flatMap(i -> i.instanceIds().stream())
                .toList()
            : List.of();
    if (!ids.isEmpty()) {
      return Attempt.done(new LaunchOutcome.Launched(ids.get(0)));
    }
    List<CreateFleetError> errors = response.hasErrors() ? response.errors() : List.of();
    String reason =
        errors.isEmpty()
            ? "CreateFleet started no instance and named no error"
            : errors.stream()
                .map(e -> e.errorCode() + ": " + e.errorMessage())
                .distinct()
                .reduce((a, b) -> a + "; " + b)
                .orElseThrow();
    if (errors.stream().anyMatch(e -> CAPACITY_ERRORS.contains(e.errorCode()))) {
      return Attempt.shortage(reason);
    }
    if (errors.isEmpty()
        || errors.stream().anyMatch(e -> TRANSIENT_ERRORS.contains(e.errorCode()))) {
      return Attempt.done(new LaunchOutcome.RetryLater("CreateFleet: " + reason));
    }
    // InvalidLaunchTemplate*, InvalidParameterValue, UnauthorizedOperation and the like.
    return Attempt.done(new LaunchOutcome.Rejected("CreateFleet: " + reason));
  }

  @Override
  public StopOutcome stop(String runnerName, String hostId) {
    try {
      ec2.terminateInstances(b -> b.instanceIds(hostId));
      return StopOutcome.STOPPED;
    } catch (SdkException e) {
      if ("InvalidInstanceID.NotFound".equals(AwsErrors.code(e))) {
        return StopOutcome.STOPPED; // already gone
      }
      LOG.warn(
          "terminate of {} for runner {} failed: {}", hostId, runnerName, AwsErrors.describe(e));
      return StopOutcome.RETRY_LATER;
    }
  }
}
