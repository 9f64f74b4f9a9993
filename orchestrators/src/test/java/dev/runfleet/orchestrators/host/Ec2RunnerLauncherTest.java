package dev.runfleet.orchestrators.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.port.RunnerLauncher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetInstance;
import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;

class Ec2RunnerLauncherTest extends RunnerLauncherContract {

  private final FakeEc2 ec2 = new FakeEc2();

  /** EC2 at its client interface: scripted answers, every request recorded. */
  static final class FakeEc2 implements Ec2Client {
    final List<CreateFleetRequest> fleets = new ArrayList<>();
    final List<DescribeInstancesRequest> describes = new ArrayList<>();
    final List<TerminateInstancesRequest> terminations = new ArrayList<>();
    final Deque<Supplier<CreateFleetResponse>> fleetAnswers = new ArrayDeque<>();
    final Deque<Supplier<TerminateInstancesResponse>> terminateAnswers = new ArrayDeque<>();
    final Map<String, String> existing = new HashMap<>();

    @Override
    public CreateFleetResponse createFleet(CreateFleetRequest request) {
      fleets.add(request);
      Supplier<CreateFleetResponse> answer = fleetAnswers.poll();
      if (answer == null) {
        throw new AssertionError("unscripted CreateFleet");
      }
      return answer.get();
    }

    @Override
    public DescribeInstancesResponse describeInstances(DescribeInstancesRequest request) {
      describes.add(request);
      String runner =
          request.filters().stream()
              .filter(f -> f.name().equals("tag:" + HostTags.RUNNER))
              .findFirst()
              .map(f -> f.values().get(0))
              .orElse(null);
      String id = existing.get(runner);
      return DescribeInstancesResponse.builder()
          .reservations(
              id == null
                  ? List.of()
                  : List.of(
                      Reservation.builder()
                          .instances(Instance.builder().instanceId(id).build())
                          .build()))
          .build();
    }

    @Override
    public TerminateInstancesResponse terminateInstances(TerminateInstancesRequest request) {
      terminations.add(request);
      Supplier<TerminateInstancesResponse> answer = terminateAnswers.poll();
      return answer == null ? TerminateInstancesResponse.builder().build() : answer.get();
    }

    @Override
    public String serviceName() {
      return "ec2";
    }

    @Override
    public void close() {}
  }

  static Ec2Exception error(int status, String code, String message) {
    return (Ec2Exception)
        Ec2Exception.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
  }

  static HostSettings.Ec2 settings(SpotMode mode) {
    return new HostSettings.Ec2(
        STAGE,
        mode,
        "lt-0abc1234def567890",
        List.of("m7i.large", "m6i.large"),
        List.of("subnet-a", "subnet-b"));
  }

  @Override
  RunnerLauncher launcher(SpotMode mode) {
    return new Ec2RunnerLauncher(ec2, settings(mode));
  }

  @Override
  String platform() {
    return "pool";
  }

  @Override
  void scriptLaunched(String hostId) {
    ec2.fleetAnswers.add(
        () ->
            CreateFleetResponse.builder()
                .fleetId("fleet-1")
                .instances(CreateFleetInstance.builder().instanceIds(hostId).build())
                .build());
  }

  @Override
  void scriptNoSpotCapacity() {
    // An instant fleet reports per-override errors in a 200 answer.
    ec2.fleetAnswers.add(
        () ->
            CreateFleetResponse.builder()
                .fleetId("fleet-x")
                .errors(
                    CreateFleetError.builder()
                        .errorCode("InsufficientInstanceCapacity")
                        .errorMessage(
                            "We currently do not have sufficient m7i.large capacity in the"
                                + " Availability Zone you requested")
                        .build(),
                    CreateFleetError.builder()
                        .errorCode("UnfulfillableCapacity")
                        .errorMessage(
                            "Unable to fulfill capacity due to your request configuration")
                        .build())
                .build());
  }

  @Override
  void scriptThrottled() {
    ec2.fleetAnswers.add(
        () -> {
          throw error(503, "RequestLimitExceeded", "Request limit exceeded.");
        });
  }

  @Override
  void scriptInvalidConfiguration() {
    ec2.fleetAnswers.add(
        () ->
            CreateFleetResponse.builder()
                .errors(
                    CreateFleetError.builder()
                        .errorCode("InvalidLaunchTemplateId.NotFound")
                        .errorMessage("The specified launch template does not exist")
                        .build())
                .build());
  }

  @Override
  void scriptExistingHost(String runner, String hostId) {
    ec2.existing.put(runner, hostId);
  }

  @Override
  void scriptStopNotFound() {
    ec2.terminateAnswers.add(
        () -> {
          throw error(400, "InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist");
        });
  }

  @Override
  void scriptStopThrottled() {
    ec2.terminateAnswers.add(
        () -> {
          throw error(503, "RequestLimitExceeded", "Request limit exceeded.");
        });
  }

  @Override
  List<LaunchCall> launchCalls() {
    return ec2.fleets.stream()
        .map(
            f ->
                new LaunchCall(
                    f.targetCapacitySpecification().defaultTargetCapacityType()
                        == DefaultTargetCapacityType.SPOT,
                    f.clientToken(),
                    f.tagSpecifications().get(0).tags().stream()
                        .collect(
                            Collectors.toMap(
                                software.amazon.awssdk.services.ec2.model.Tag::key,
                                software.amazon.awssdk.services.ec2.model.Tag::value)),
                    SdkText.of(f)))
        .toList();
  }

  @Override
  List<String> stopped() {
    return ec2.terminations.stream().flatMap(t -> t.instanceIds().stream()).toList();
  }

  @Test
  void createFleet_isInstant_capacityOptimized_overEveryTypeAndSubnet_fromTheTemplate() {
    scriptLaunched("i-0123");

    launcher(SpotMode.SPOT_PREFERRED).launch(request("attempt-1"));

    CreateFleetRequest fleet = ec2.fleets.get(0);
    assertThat(fleet.type()).isEqualTo(FleetType.INSTANT);
    assertThat(fleet.spotOptions().allocationStrategy())
        .isEqualTo(SpotAllocationStrategy.CAPACITY_OPTIMIZED);
    assertThat(fleet.targetCapacitySpecification().totalTargetCapacity()).isEqualTo(1);
    assertThat(fleet.targetCapacitySpecification().spotTargetCapacity()).isEqualTo(1);
    assertThat(fleet.launchTemplateConfigs())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.launchTemplateSpecification().launchTemplateId())
                  .isEqualTo("lt-0abc1234def567890");
              assertThat(c.launchTemplateSpecification().version()).isEqualTo("$Default");
              assertThat(c.overrides())
                  .extracting(o -> o.instanceTypeAsString() + "@" + o.subnetId())
                  .containsExactlyInAnyOrder(
                      "m7i.large@subnet-a",
                      "m7i.large@subnet-b",
                      "m6i.large@subnet-a",
                      "m6i.large@subnet-b");
            });
    assertThat(fleet.tagSpecifications())
        .singleElement()
        .satisfies(t -> assertThat(t.resourceType()).isEqualTo(ResourceType.INSTANCE));
  }

  @Test
  void onDemandFallback_asksForOnDemandCapacityOnly() {
    scriptNoSpotCapacity();
    scriptLaunched("i-od");

    launcher(SpotMode.SPOT_PREFERRED).launch(request("attempt-1"));

    CreateFleetRequest onDemand = ec2.fleets.get(1);
    assertThat(onDemand.targetCapacitySpecification().onDemandTargetCapacity()).isEqualTo(1);
    assertThat(onDemand.targetCapacitySpecification().spotTargetCapacity()).isZero();
  }

  @Test
  void launch_looksForAnEarlierInstanceByRunnerTag_pendingOrRunningOnly() {
    scriptLaunched("i-1");

    launcher(SpotMode.SPOT_PREFERRED).launch(request("attempt-1"));

    assertThat(ec2.describes)
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.filters())
                    .extracting(f -> f.name() + "=" + String.join(",", f.values()))
                    .containsExactlyInAnyOrder(
                        "tag:runfleet:runner=" + RUNNER, "instance-state-name=pending,running"));
  }

  @Test
  void launchTemplate_byName_whenNotAnId() {
    scriptLaunched("i-1");
    HostSettings.Ec2 byName =
        new HostSettings.Ec2(
            STAGE, SpotMode.SPOT_PREFERRED, "runfleet-test-pool", List.of("m7g.large"), List.of());

    new Ec2RunnerLauncher(ec2, byName).launch(request("attempt-1"));

    assertThat(
            ec2.fleets
                .get(0)
                .launchTemplateConfigs()
                .get(0)
                .launchTemplateSpecification()
                .launchTemplateName())
        .isEqualTo("runfleet-test-pool");
    assertThat(ec2.fleets.get(0).launchTemplateConfigs().get(0).overrides())
        .singleElement()
        .satisfies(o -> assertThat(o.subnetId()).isNull());
  }
}
