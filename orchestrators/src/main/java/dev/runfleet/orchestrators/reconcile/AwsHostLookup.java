package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.HostLookup;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;

/**
 * {@link HostLookup} with one Describe call per host: ECS DescribeTasks for Fargate runners, EC2
 * DescribeInstances for EC2 runners. A task or instance the provider no longer knows is gone (ECS
 * forgets stopped tasks after about an hour, EC2 terminated instances after about one); a throttled
 * or failed call is UNKNOWN, and the reconciler then decides nothing.
 */
public final class AwsHostLookup implements HostLookup {

  private static final Logger LOG = LoggerFactory.getLogger(AwsHostLookup.class);

  private static final Set<InstanceStateName> ENDED =
      Set.of(
          InstanceStateName.SHUTTING_DOWN,
          InstanceStateName.TERMINATED,
          InstanceStateName.STOPPING,
          InstanceStateName.STOPPED);

  private final PlatformCatalog catalog;
  private final Supplier<EcsClient> ecs;
  private final String cluster;
  private final Supplier<Ec2Client> ec2;

  /**
   * @param ecs built at the first Fargate lookup
   * @param cluster the runners' ECS cluster, or null when no platform runs on Fargate
   * @param ec2 built at the first EC2 lookup
   */
  public AwsHostLookup(
      PlatformCatalog catalog, Supplier<EcsClient> ecs, String cluster, Supplier<Ec2Client> ec2) {
    this.catalog = catalog;
    this.ecs = ecs;
    this.cluster = cluster;
    this.ec2 = ec2;
  }

  @Override
  public HostState state(String platform, String runnerName, String hostId) {
    Optional<HostKind> kind = catalog.find(platform).map(p -> p.hostKind());
    if (kind.isEmpty()) {
      return HostState.UNKNOWN;
    }
    try {
      return kind.get() == HostKind.ECS_FARGATE ? task(hostId) : instance(hostId);
    } catch (SdkException e) {
      if ("InvalidInstanceID.NotFound".equals(AwsErrors.code(e))) {
        return HostState.GONE;
      }
      LOG.warn("host {} of runner {} not looked up: {}", hostId, runnerName, AwsErrors.describe(e));
      return HostState.UNKNOWN;
    }
  }

  private HostState task(String taskArn) {
    if (cluster == null) {
      return HostState.UNKNOWN;
    }
    DescribeTasksResponse response =
        ecs.get().describeTasks(b -> b.cluster(cluster).tasks(taskArn));
    if (response.tasks().isEmpty()) {
      // ECS answers a task it no longer knows with a failure "MISSING", not an error.
      return response.failures().stream().anyMatch(f -> "MISSING".equals(f.reason()))
          ? HostState.GONE
          : HostState.UNKNOWN;
    }
    String last = response.tasks().get(0).lastStatus();
    String desired = response.tasks().get(0).desiredStatus();
    return "STOPPED".equals(last) || "DEPROVISIONING".equals(last) || "STOPPED".equals(desired)
        ? HostState.GONE
        : HostState.ALIVE;
  }

  private HostState instance(String instanceId) {
    Optional<Instance> found =
        ec2.get().describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
            .flatMap(r -> r.instances().stream())
            .findFirst();
    return found.isEmpty() || ENDED.contains(found.get().state().name())
        ? HostState.GONE
        : HostState.ALIVE;
  }
}
