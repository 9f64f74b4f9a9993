package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.HostLookup;
import dev.runfleet.common.port.Listing;
import dev.runfleet.common.port.TaggedHosts;
import dev.runfleet.orchestrators.host.HostTags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * {@link HostLookup} with one Describe call per host: ECS DescribeTasks for Fargate runners, EC2
 * DescribeInstances for EC2 runners. A task or instance the provider no longer knows is gone (ECS
 * forgets stopped tasks after about an hour, EC2 terminated instances after about one); a throttled
 * or failed call is UNKNOWN, and the reconciler then decides nothing.
 */
public final class AwsHostLookup implements HostLookup, TaggedHosts {

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
  private final String stage;

  /**
   * @param ecs built at the first Fargate lookup
   * @param cluster the runners' ECS cluster, or null when no platform runs on Fargate
   * @param ec2 built at the first EC2 lookup
   * @param stage the {@code runfleet:stage} tag value of this stage's hosts
   */
  public AwsHostLookup(
      PlatformCatalog catalog,
      Supplier<EcsClient> ecs,
      String cluster,
      Supplier<Ec2Client> ec2,
      String stage) {
    this.catalog = catalog;
    this.ecs = ecs;
    this.cluster = cluster;
    this.ec2 = ec2;
    this.stage = stage;
  }

  /**
   * ECS: ListTasks of the runners' cluster (desired RUNNING, 100 a page), then DescribeTasks with
   * their tags (100 a call), keeping tasks tagged with this stage. EC2: DescribeInstances filtered
   * by the stage tag and the states pending and running (1,000 a page). Each call is one of {@code
   * pages}; a failed call ends the listing incomplete, with what was read so far.
   */
  @Override
  public Listing<TaggedHost> tagged(Listing.Pages pages) {
    List<TaggedHost> found = new ArrayList<>();
    boolean complete = true;
    try {
      if (cluster != null && runsOn(HostKind.ECS_FARGATE)) {
        complete = tasks(pages, found);
      }
      if (complete && catalog.all().stream().anyMatch(p -> p.hostKind() != HostKind.ECS_FARGATE)) {
        complete = instances(pages, found);
      }
    } catch (SdkException e) {
      LOG.warn("tagged hosts not listed in full now: {}", AwsErrors.describe(e));
      complete = false;
    }
    return new Listing<>(found, complete);
  }

  private boolean runsOn(HostKind kind) {
    return catalog.all().stream().anyMatch(p -> p.hostKind() == kind);
  }

  private boolean tasks(Listing.Pages pages, List<TaggedHost> found) {
    String token = null;
    do {
      if (!pages.getAsBoolean()) {
        return false;
      }
      String next = token;
      ListTasksResponse listed =
          ecs.get()
              .listTasks(
                  b ->
                      b.cluster(cluster)
                          .desiredStatus(DesiredStatus.RUNNING)
                          .maxResults(100)
                          .nextToken(next));
      if (!listed.taskArns().isEmpty()) {
        if (!pages.getAsBoolean()) {
          return false;
        }
        ecs.get()
            .describeTasks(b -> b.cluster(cluster).tasks(listed.taskArns()).include(TaskField.TAGS))
            .tasks()
            .forEach(
                task -> {
                  Map<String, String> tags = new HashMap<>();
                  task.tags().forEach(t -> tags.put(t.key(), t.value()));
                  Instant at = task.createdAt() != null ? task.createdAt() : task.startedAt();
                  ours(tags, task.taskArn(), at).ifPresent(found::add);
                });
      }
      token = listed.nextToken();
    } while (token != null);
    return true;
  }

  private boolean instances(Listing.Pages pages, List<TaggedHost> found) {
    String token = null;
    do {
      if (!pages.getAsBoolean()) {
        return false;
      }
      String next = token;
      DescribeInstancesResponse page =
          ec2.get()
              .describeInstances(
                  b ->
                      b.filters(
                              Filter.builder().name("tag:" + HostTags.STAGE).values(stage).build(),
                              Filter.builder()
                                  .name("instance-state-name")
                                  .values("pending", "running")
                                  .build())
                          .maxResults(1000)
                          .nextToken(next));
      page.reservations().stream()
          .flatMap(r -> r.instances().stream())
          .forEach(
              instance -> {
                Map<String, String> tags = new HashMap<>();
                instance.tags().forEach(t -> tags.put(t.key(), t.value()));
                ours(tags, instance.instanceId(), instance.launchTime()).ifPresent(found::add);
              });
      token = page.nextToken();
    } while (token != null);
    return true;
  }

  /** A host with this stage's tag and a runner and platform named: one of ours. */
  private Optional<TaggedHost> ours(Map<String, String> tags, String hostId, Instant launchedAt) {
    String runner = tags.get(HostTags.RUNNER);
    String platform = tags.get(HostTags.PLATFORM);
    if (!stage.equals(tags.get(HostTags.STAGE))
        || runner == null
        || platform == null
        || launchedAt == null) {
      return Optional.empty();
    }
    return Optional.of(new TaggedHost(platform, runner, hostId, launchedAt));
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
