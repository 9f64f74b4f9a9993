package dev.runfleet.orchestrators.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.HostLookup.HostState;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** The host lookup's reading of ECS and EC2 answers, faked at the SDK client interface. */
class AwsHostLookupTest {

  private static final String TASK = "arn:aws:ecs:us-east-1:123456789012:task/runners/abc";

  private static AwsHostLookup lookup(EcsClient ecs, Ec2Client ec2) {
    return new AwsHostLookup(PlatformCatalog.defaults(), () -> ecs, "runners", () -> ec2, "test");
  }

  private static EcsClient ecs(DescribeTasksResponse answer) {
    return new EcsClient() {
      @Override
      public DescribeTasksResponse describeTasks(Consumer<DescribeTasksRequest.Builder> request) {
        DescribeTasksRequest built = DescribeTasksRequest.builder().applyMutation(request).build();
        assertThat(built.cluster()).isEqualTo("runners");
        assertThat(built.tasks()).containsExactly(TASK);
        return answer;
      }

      @Override
      public String serviceName() {
        return "ecs";
      }

      @Override
      public void close() {}
    };
  }

  private static Ec2Client ec2(Object answer) {
    return new Ec2Client() {
      @Override
      public DescribeInstancesResponse describeInstances(
          Consumer<DescribeInstancesRequest.Builder> request) {
        if (answer instanceof RuntimeException e) {
          throw e;
        }
        return (DescribeInstancesResponse) answer;
      }

      @Override
      public String serviceName() {
        return "ec2";
      }

      @Override
      public void close() {}
    };
  }

  private static DescribeInstancesResponse instance(InstanceStateName state) {
    return DescribeInstancesResponse.builder()
        .reservations(r -> r.instances(i -> i.instanceId("i-1").state(s -> s.name(state))))
        .build();
  }

  @Test
  void fargateTask_running_isAlive_stopped_isGone() {
    assertThat(
            lookup(
                    ecs(
                        DescribeTasksResponse.builder()
                            .tasks(t -> t.lastStatus("RUNNING").desiredStatus("RUNNING"))
                            .build()),
                    null)
                .state("fargate", "rf-1", TASK))
        .isEqualTo(HostState.ALIVE);
    assertThat(
            lookup(
                    ecs(
                        DescribeTasksResponse.builder()
                            .tasks(t -> t.lastStatus("STOPPED").desiredStatus("STOPPED"))
                            .build()),
                    null)
                .state("fargate", "rf-1", TASK))
        .isEqualTo(HostState.GONE);
  }

  @Test
  void fargateTask_forgottenByEcs_isGone() {
    DescribeTasksResponse missing =
        DescribeTasksResponse.builder().failures(f -> f.arn(TASK).reason("MISSING")).build();

    assertThat(lookup(ecs(missing), null).state("fargate", "rf-1", TASK)).isEqualTo(HostState.GONE);
  }

  @Test
  void fargateTask_whenEcsThrottles_isUnknown() {
    EcsClient throttled =
        new EcsClient() {
          @Override
          public DescribeTasksResponse describeTasks(
              Consumer<DescribeTasksRequest.Builder> request) {
            throw EcsException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build())
                .build();
          }

          @Override
          public String serviceName() {
            return "ecs";
          }

          @Override
          public void close() {}
        };

    assertThat(lookup(throttled, null).state("fargate", "rf-1", TASK)).isEqualTo(HostState.UNKNOWN);
  }

  @Test
  void ec2Instance_byState() {
    assertThat(
            lookup(null, ec2(instance(InstanceStateName.RUNNING)))
                .state("ec2-linux-x64", "rf-1", "i-1"))
        .isEqualTo(HostState.ALIVE);
    assertThat(
            lookup(null, ec2(instance(InstanceStateName.PENDING)))
                .state("ec2-linux-x64", "rf-1", "i-1"))
        .isEqualTo(HostState.ALIVE);
    assertThat(
            lookup(null, ec2(instance(InstanceStateName.TERMINATED)))
                .state("ec2-linux-x64", "rf-1", "i-1"))
        .isEqualTo(HostState.GONE);
    assertThat(
            lookup(null, ec2(instance(InstanceStateName.SHUTTING_DOWN)))
                .state("ec2-linux-x64", "rf-1", "i-1"))
        .isEqualTo(HostState.GONE);
  }

  @Test
  void ec2Instance_unknownToEc2_isGone() {
    Ec2Exception notFound =
        (Ec2Exception)
            Ec2Exception.builder()
                .statusCode(400)
                .awsErrorDetails(
                    AwsErrorDetails.builder().errorCode("InvalidInstanceID.NotFound").build())
                .build();

    assertThat(lookup(null, ec2(notFound)).state("ec2-linux-x64", "rf-1", "i-1"))
        .isEqualTo(HostState.GONE);
  }

  @Test
  void unknownPlatform_isUnknown() {
    assertThat(lookup(null, null).state("no-such-platform", "rf-1", "i-1"))
        .isEqualTo(HostState.UNKNOWN);
  }
}
