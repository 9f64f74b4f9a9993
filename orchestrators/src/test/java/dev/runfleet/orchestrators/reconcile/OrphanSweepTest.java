package dev.runfleet.orchestrators.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.GitHubRunners.DeleteResult;
import dev.runfleet.common.port.GitHubRunners.RunnerLookup;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.handoff.FakeSecretsManager;
import dev.runfleet.orchestrators.handoff.SecretsManagerJitHandOff;
import dev.runfleet.orchestrators.host.HostTags;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * The orphan sweep against the DynamoDB emulator (runner records), ECS, EC2 and Secrets Manager
 * faked at their SDK client interfaces (so the real listing adapters run), and GitHub at the port.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class OrphanSweepTest {

  private static final String STAGE = "test";
  private static final String EC2 = "ec2-linux-x64";
  private static final Duration GRACE = Duration.ofMinutes(10);
  private static final Duration EVERY = Duration.ofMinutes(10);

  private final Instant now = Instant.now().plus(Duration.ofHours(1));
  private final Instant old = now.minus(Duration.ofMinutes(30));

  private Fleet fleet;
  private final List<RunnerCommand> sent = new ArrayList<>();
  private final Map<String, Task> tasks = new java.util.LinkedHashMap<>();
  private final List<software.amazon.awssdk.services.ec2.model.Instance> instances =
      new ArrayList<>();
  private final List<ListTasksRequest> listTasks = new ArrayList<>();
  private final List<DescribeTasksRequest> describeTasks = new ArrayList<>();
  private final List<DescribeInstancesRequest> describeInstances = new ArrayList<>();
  private final FakeSecretsManager secrets = new FakeSecretsManager();
  private SecretsManagerJitHandOff handOff;
  private OrphanSweep sweep;

  /** A pass's budgets, as the reconciler's pass keeps them. */
  private static final class Budget implements OrphanSweep.Calls {
    int gitHub;
    int aws;

    Budget(int gitHub, int aws) {
      this.gitHub = gitHub;
      this.aws = aws;
    }

    @Override
    public boolean takeGitHub() {
      return gitHub-- > 0;
    }

    @Override
    public boolean takeAws() {
      return aws-- > 0;
    }
  }

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    handOff = new SecretsManagerJitHandOff(secrets, "runfleet/test/jit", null, STAGE, null);
    AwsHostLookup hosts =
        new AwsHostLookup(PlatformCatalog.defaults(), () -> ecs, "runners", () -> ec2, STAGE);
    sweep =
        new OrphanSweep(
            fleet.store(),
            new DynamoDbReconcileStore(fleet.client(), fleet.table()),
            fleet.gitHub(),
            hosts,
            handOff,
            sent::add,
            PlatformCatalog.defaults(),
            new OrphanSettings(EVERY, GRACE),
            new Telemetry("orphan-sweep-test"));
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  // ---- fakes at the SDK client interfaces ----

  /** ListTasks pages of two task ARNs; DescribeTasks answers the tasks with their tags. */
  private final EcsClient ecs =
      new EcsClient() {
        @Override
        public ListTasksResponse listTasks(Consumer<ListTasksRequest.Builder> request) {
          ListTasksRequest built = ListTasksRequest.builder().applyMutation(request).build();
          listTasks.add(built);
          List<String> arns = List.copyOf(tasks.keySet());
          int from = built.nextToken() == null ? 0 : Integer.parseInt(built.nextToken());
          int to = Math.min(arns.size(), from + 2);
          return ListTasksResponse.builder()
              .taskArns(arns.subList(from, to))
              .nextToken(to < arns.size() ? Integer.toString(to) : null)
              .build();
        }

        @Override
        public DescribeTasksResponse describeTasks(Consumer<DescribeTasksRequest.Builder> request) {
          DescribeTasksRequest built =
              DescribeTasksRequest.builder().applyMutation(request).build();
          describeTasks.add(built);
          boolean withTags = built.include().contains(TaskField.TAGS);
          return DescribeTasksResponse.builder()
              .tasks(
                  built.tasks().stream()
                      .map(tasks::get)
                      .map(t -> withTags ? t : t.toBuilder().tags(List.of()).build())
                      .toList())
              .build();
        }

        @Override
        public String serviceName() {
          return "ecs";
        }

        @Override
        public void close() {}
      };

  /** DescribeInstances honours the stage tag filter, as EC2 does. */
  private final Ec2Client ec2 =
      new Ec2Client() {
        @Override
        public DescribeInstancesResponse describeInstances(
            Consumer<DescribeInstancesRequest.Builder> request) {
          DescribeInstancesRequest built =
              DescribeInstancesRequest.builder().applyMutation(request).build();
          describeInstances.add(built);
          List<String> stages =
              built.filters().stream()
                  .filter(f -> f.name().equals("tag:" + HostTags.STAGE))
                  .flatMap(f -> f.values().stream())
                  .toList();
          return DescribeInstancesResponse.builder()
              .reservations(
                  r ->
                      r.instances(
                          instances.stream()
                              .filter(
                                  i ->
                                      i.tags().stream()
                                          .anyMatch(
                                              t ->
                                                  t.key().equals(HostTags.STAGE)
                                                      && stages.contains(t.value())))
                              .toList()))
              .build();
        }

        @Override
        public String serviceName() {
          return "ec2";
        }

        @Override
        public void close() {}
      };

  // ---- fixtures ----

  private void task(String arn, String runner, String stage, Instant createdAt) {
    tasks.put(
        arn,
        Task.builder()
            .taskArn(arn)
            .createdAt(createdAt)
            .lastStatus("RUNNING")
            .tags(
                Tag.builder().key(HostTags.RUNNER).value(runner).build(),
                Tag.builder().key(HostTags.PLATFORM).value(Fleet.FARGATE).build(),
                Tag.builder().key(HostTags.STAGE).value(stage).build())
            .build());
  }

  private void instance(String id, String runner, Instant launchedAt) {
    instances.add(
        software.amazon.awssdk.services.ec2.model.Instance.builder()
            .instanceId(id)
            .launchTime(launchedAt)
            .tags(
                t -> t.key(HostTags.RUNNER).value(runner),
                t -> t.key(HostTags.PLATFORM).value(EC2),
                t -> t.key(HostTags.STAGE).value(STAGE))
            .build());
  }

  private void record(String name, String platform, RunnerStatus status) {
    Runner runner =
        new Runner(
            name,
            platform,
            new JobKey(Math.abs(name.hashCode()), 1),
            Fleet.SCOPE,
            status,
            null,
            null,
            false,
            null,
            old,
            old);
    fleet.client().putItem(b -> b.tableName(fleet.table()).item(JobsTable.runnerItem(runner)));
  }

  private List<String> stoppedHosts() {
    return sent.stream()
        .map(RunnerCommand.TearDown.class::cast)
        .map(RunnerCommand.TearDown::hostId)
        .toList();
  }

  private String storeSecret(String runner) {
    JitHandOff.StoreResult stored =
        handOff.store(Fleet.FARGATE, runner, new JitConfig(5, "eyJ4In0="));
    return ((JitHandOff.StoreResult.Stored) stored).reference();
  }

  // ---- hosts ----

  @Test
  void sweep_sendsAnOrphanTearDownForTaggedHostsWithoutALiveRecord_andLeavesTheRest() {
    record("rf-fargate-2-1-1", Fleet.FARGATE, RunnerStatus.FAILED);
    record("rf-fargate-3-1-1", Fleet.FARGATE, RunnerStatus.LAUNCHED);
    record("rf-fargate-6-1-1", Fleet.FARGATE, RunnerStatus.STOPPED);
    task("task/gone", "rf-fargate-1-1-1", STAGE, old);
    task("task/failed", "rf-fargate-2-1-1", STAGE, old);
    task("task/live", "rf-fargate-3-1-1", STAGE, old);
    task("task/other-stage", "rf-fargate-4-1-1", "prod", old);
    task("task/stopped", "rf-fargate-6-1-1", STAGE, old);
    instance("i-gone", "rf-ec2-linux-x64-5-1-1", old);

    Map<String, Integer> removed = sweep.sweepIfDue(now, new Budget(100, 100));

    assertThat(stoppedHosts())
        .containsExactlyInAnyOrder("task/gone", "task/failed", "task/stopped", "i-gone");
    assertThat(removed).containsEntry("orphan-host", 4);
    RunnerCommand.TearDown ec2TearDown =
        sent.stream()
            .map(RunnerCommand.TearDown.class::cast)
            .filter(t -> "i-gone".equals(t.hostId()))
            .findFirst()
            .orElseThrow();
    assertThat(ec2TearDown.platform()).isEqualTo(EC2);
    assertThat(ec2TearDown.runnerName()).isEqualTo("rf-ec2-linux-x64-5-1-1");
    // ListTasks pages through the runners' cluster; the tags come from DescribeTasks.
    assertThat(listTasks).hasSize(3).allMatch(r -> r.desiredStatus() == DesiredStatus.RUNNING);
    assertThat(describeTasks).allMatch(r -> r.include().contains(TaskField.TAGS));
    assertThat(describeInstances.get(0).filters())
        .contains(
            Filter.builder().name("instance-state-name").values("pending", "running").build());
  }

  @Test
  void sweep_neverStopsAHostYoungerThanTheGrace() {
    task("task/young", "rf-fargate-7-1-1", STAGE, now.minus(GRACE).plusSeconds(30));

    Map<String, Integer> removed = sweep.sweepIfDue(now, new Budget(100, 100));

    assertThat(sent).isEmpty();
    assertThat(removed).doesNotContainKey("orphan-host");
    assertThat(sweep.sweepIfDue(now.plus(EVERY), new Budget(100, 100)))
        .containsEntry("orphan-host", 1);
  }

  @Test
  void sweep_neverStopsTheHostOfARunnerGitHubSaysIsBusy() {
    record("rf-fargate-8-1-1", Fleet.FARGATE, RunnerStatus.STOPPED);
    task("task/busy", "rf-fargate-8-1-1", STAGE, old);
    fleet.gitHub().answerRunner(8, new RunnerLookup.Found(8, "rf-fargate-8-1-1", true, true));

    sweep.sweepIfDue(now, new Budget(100, 100));

    assertThat(sent).isEmpty();
  }

  @Test
  void sweep_whenGitHubCouldNotBeListed_stopsNoHost() {
    record("rf-fargate-9-1-1", Fleet.FARGATE, RunnerStatus.STOPPED);
    task("task/unknown-at-github", "rf-fargate-9-1-1", STAGE, old);

    Map<String, Integer> removed = sweep.sweepIfDue(now, new Budget(0, 100));

    assertThat(sent).isEmpty();
    assertThat(removed).doesNotContainKey("orphan-host");
  }

  // ---- registrations ----

  @Test
  void sweep_deletesAnOfflineRegistrationWithoutALiveRecord_seenOfflineAtTwoSweeps() {
    record("rf-fargate-10-1-1", Fleet.FARGATE, RunnerStatus.LAUNCHED); // gives the sweep its scope
    record("rf-fargate-12-1-1", Fleet.FARGATE, RunnerStatus.STOPPED);
    fleet.gitHub().answerRunner(11, new RunnerLookup.Found(11, "rf-fargate-11-1-1", false, false));
    fleet.gitHub().answerRunner(12, new RunnerLookup.Found(12, "rf-fargate-12-1-1", false, false));
    fleet.gitHub().answerRunner(10, new RunnerLookup.Found(10, "rf-fargate-10-1-1", false, false));
    fleet.gitHub().answerRunner(13, new RunnerLookup.Found(13, "rf-fargate-13-1-1", true, false));
    fleet.gitHub().answerRunner(14, new RunnerLookup.Found(14, "build-box-1", false, false));

    Map<String, Integer> first = sweep.sweepIfDue(now, new Budget(100, 100));
    Map<String, Integer> second = sweep.sweepIfDue(now.plus(EVERY), new Budget(100, 100));

    assertThat(first).doesNotContainKey("orphan-registration");
    assertThat(second).containsEntry("orphan-registration", 2);
    assertThat(fleet.gitHub().deletions())
        .extracting(d -> d.runnerId())
        .containsExactlyInAnyOrder(11L, 12L);
  }

  @Test
  void sweep_neverDeletesARegistrationGitHubSaysIsBusy() {
    record("rf-fargate-20-1-1", Fleet.FARGATE, RunnerStatus.STOPPED);
    // Offline and busy: GitHub's reading is in doubt, and a busy runner is never touched.
    fleet.gitHub().answerRunner(20, new RunnerLookup.Found(20, "rf-fargate-20-1-1", false, true));

    sweep.sweepIfDue(now, new Budget(100, 100));
    sweep.sweepIfDue(now.plus(EVERY), new Budget(100, 100));

    assertThat(fleet.gitHub().deletions()).isEmpty();
  }

  @Test
  void sweep_whenGitHubRefusesTheDeleteAsBusy_countsNoOrphan() {
    record("rf-fargate-21-1-1", Fleet.FARGATE, RunnerStatus.STOPPED);
    fleet.gitHub().answerRunner(21, new RunnerLookup.Found(21, "rf-fargate-21-1-1", false, false));
    fleet.gitHub().answerDelete(DeleteResult.BUSY);

    sweep.sweepIfDue(now, new Budget(100, 100));
    Map<String, Integer> second = sweep.sweepIfDue(now.plus(EVERY), new Budget(100, 100));

    assertThat(fleet.gitHub().deletions()).hasSize(1);
    assertThat(second).doesNotContainKey("orphan-registration");
  }

  // ---- secrets ----

  @Test
  void sweep_deletesHandOverSecretsOfEndedOrMissingRunners_andKeepsLiveAndYoungOnes() {
    record("rf-fargate-31-1-1", Fleet.FARGATE, RunnerStatus.STOPPED);
    record("rf-fargate-32-1-1", Fleet.FARGATE, RunnerStatus.REQUESTED);
    String missing = storeSecret("rf-fargate-30-1-1");
    String ended = storeSecret("rf-fargate-31-1-1");
    String live = storeSecret("rf-fargate-32-1-1");
    secrets.secrets.put("runfleet/test/jit/not-ours", "x");
    secrets.created.put("runfleet/test/jit/not-ours", old);

    Map<String, Integer> early = sweep.sweepIfDue(Instant.now(), new Budget(100, 100));
    Map<String, Integer> late = sweep.sweepIfDue(now, new Budget(100, 100));

    assertThat(early).doesNotContainKey("orphan-secret");
    assertThat(late).containsEntry("orphan-secret", 2);
    assertThat(secrets.secrets).doesNotContainKeys(missing, ended);
    assertThat(secrets.secrets).containsKeys(live, "runfleet/test/jit/not-ours");
  }

  // ---- budget and schedule ----

  @Test
  void sweep_whenTheAwsBudgetRunsOut_defersTheRest_andTheNextPassSweepsAgain() {
    task("task/a", "rf-fargate-40-1-1", STAGE, old);
    task("task/b", "rf-fargate-41-1-1", STAGE, old);
    task("task/c", "rf-fargate-42-1-1", STAGE, old);
    storeSecret("rf-fargate-43-1-1");

    // ListTasks + DescribeTasks of both pages, DescribeInstances, one tear-down: then it is spent.
    Budget small = new Budget(100, 6);
    Map<String, Integer> first = sweep.sweepIfDue(now, small);

    assertThat(first).containsEntry("orphan-host", 1);
    assertThat(small.aws).isNegative();
    assertThat(secrets.secrets).hasSize(1);
    int listings = listTasks.size();

    Map<String, Integer> next = sweep.sweepIfDue(now.plusSeconds(60), new Budget(100, 100));

    assertThat(listTasks.size()).isGreaterThan(listings);
    assertThat(next).containsEntry("orphan-secret", 1);
    assertThat(stoppedHosts()).contains("task/a", "task/b", "task/c");
  }

  @Test
  void sweep_runsOncePerInterval_notEveryPass() {
    task("task/x", "rf-fargate-50-1-1", STAGE, old);
    sweep.sweepIfDue(now, new Budget(100, 100));
    int listings = listTasks.size();

    Map<String, Integer> soon =
        sweep.sweepIfDue(now.plus(EVERY).minusSeconds(1), new Budget(100, 100));
    assertThat(soon).isEmpty();
    assertThat(listTasks).hasSize(listings);

    sweep.sweepIfDue(now.plus(EVERY), new Budget(100, 100));
    assertThat(listTasks.size()).isGreaterThan(listings);
  }
}
