package dev.runfleet.orchestrators.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * An ECS cluster at its client interface, with the semantics a crash-safe launch relies on: RunTask
 * is idempotent by client token (the same token answers the same task), ListTasks by {@code
 * startedBy} lists tasks not yet stopped, StopTask stops. Each task remembers the hand-over secret
 * name it was given.
 */
public final class FakeEcsCluster implements EcsClient {

  /** One task as RunTask started it. */
  public record RunningTask(String arn, String startedBy, String jitSecret, boolean stopped) {}

  private final Map<String, RunningTask> tasks = new LinkedHashMap<>();
  private final Map<String, String> byToken = new LinkedHashMap<>();
  private final List<RunTaskRequest> runTasks = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  @Override
  public synchronized RunTaskResponse runTask(RunTaskRequest request) {
    runTasks.add(request);
    String arn = byToken.get(request.clientToken());
    if (arn == null) {
      arn = "arn:aws:ecs:eu-west-1:123456789012:task/runners/task" + ids.incrementAndGet();
      String secret =
          request.overrides().containerOverrides().get(0).environment().stream()
              .filter(e -> e.name().equals("RUNFLEET_JIT_SECRET"))
              .map(KeyValuePair::value)
              .findFirst()
              .orElseThrow();
      tasks.put(arn, new RunningTask(arn, request.startedBy(), secret, false));
      byToken.put(request.clientToken(), arn);
    }
    return RunTaskResponse.builder().tasks(Task.builder().taskArn(arn).build()).build();
  }

  @Override
  public synchronized ListTasksResponse listTasks(ListTasksRequest request) {
    return ListTasksResponse.builder()
        .taskArns(
            tasks.values().stream()
                .filter(t -> !t.stopped() && t.startedBy().equals(request.startedBy()))
                .map(RunningTask::arn)
                .toList())
        .build();
  }

  @Override
  public synchronized StopTaskResponse stopTask(StopTaskRequest request) {
    RunningTask task = tasks.get(request.task());
    if (task != null) {
      tasks.put(task.arn(), new RunningTask(task.arn(), task.startedBy(), task.jitSecret(), true));
    }
    return StopTaskResponse.builder().build();
  }

  /** Every task ever started, stopped ones included. */
  public synchronized List<RunningTask> tasks() {
    return List.copyOf(tasks.values());
  }

  public synchronized List<RunningTask> running() {
    return tasks.values().stream().filter(t -> !t.stopped()).toList();
  }

  public synchronized int runTaskCalls() {
    return runTasks.size();
  }

  @Override
  public String serviceName() {
    return "ecs";
  }

  @Override
  public void close() {}
}
