package dev.runfleet.orchestrators.hostevents;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.orchestrators.host.HostTags;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * Reads a host's {@link HostTags} with one Describe call: {@code DescribeInstances} for an
 * instance, {@code DescribeTasks} (tags included) for a task, which ECS still answers for about an
 * hour after it stopped. Each client is built on first use, so a fleet of one host kind never loads
 * the other's.
 */
public final class AwsHostOwners implements HostOwners {

  private final Supplier<Ec2Client> ec2;
  private final Supplier<EcsClient> ecs;
  private final String stage;

  public AwsHostOwners(Supplier<Ec2Client> ec2, Supplier<EcsClient> ecs, String stage) {
    this.ec2 = Objects.requireNonNull(ec2, "ec2");
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.stage = Objects.requireNonNull(stage, "stage");
  }

  @Override
  public Owner owner(HostEnd end) {
    try {
      Map<String, String> tags =
          end.hostKind() == HostKind.EC2 ? instanceTags(end.hostId()) : taskTags(end);
      if (tags == null) {
        return new Owner.NotOurs(end.hostId() + " is unknown to " + end.hostKind());
      }
      return owner(tags, stage);
    } catch (SdkException e) {
      if ("InvalidInstanceID.NotFound".equals(AwsErrors.code(e))) {
        return new Owner.NotOurs(end.hostId() + " is unknown to EC2");
      }
      return new Owner.RetryLater(end.hostKind() + " describe: " + AwsErrors.describe(e));
    }
  }

  /** The rule for any host's tags: this stage's, and naming its runner and platform. */
  static Owner owner(Map<String, String> tags, String stage) {
    String tagged = tags.get(HostTags.STAGE);
    if (tagged == null) {
      return new Owner.NotOurs("no " + HostTags.STAGE + " tag");
    }
    if (!stage.equals(tagged)) {
      return new Owner.NotOurs("stage " + tagged + ", not " + stage);
    }
    String runner = tags.get(HostTags.RUNNER);
    String platform = tags.get(HostTags.PLATFORM);
    if (runner == null || platform == null) {
      return new Owner.NotOurs("tagged with the stage but no runner or platform");
    }
    return new Owner.Ours(runner, platform);
  }

  private Map<String, String> instanceTags(String instanceId) {
    Map<String, String> tags = null;
    for (var reservation :
        ec2.get().describeInstances(b -> b.instanceIds(instanceId)).reservations()) {
      for (Instance instance : reservation.instances()) {
        tags = new HashMap<>();
        for (var tag : instance.tags()) {
          tags.put(tag.key(), tag.value());
        }
      }
    }
    return tags;
  }

  private Map<String, String> taskTags(HostEnd end) {
    DescribeTasksResponse described =
        ecs.get()
            .describeTasks(
                b -> b.cluster(end.cluster()).tasks(end.hostId()).include(TaskField.TAGS));
    if (!described.hasTasks() || described.tasks().isEmpty()) {
      return null;
    }
    Task task = described.tasks().get(0);
    Map<String, String> tags = new HashMap<>();
    task.tags().forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }
}
