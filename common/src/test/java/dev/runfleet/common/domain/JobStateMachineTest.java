package dev.runfleet.common.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class JobStateMachineTest {

  private static final Instant CREATED = Instant.parse("2026-11-01T10:00:00Z");
  private static final JobKey KEY = new JobKey(42, 1);
  private final JobStateMachine machine = new JobStateMachine(PlatformCatalog.defaults());

  static WorkflowJobEvent event(EventKind kind, List<String> labels, String runner) {
    return new WorkflowJobEvent(
        "delivery-" + kind,
        kind,
        KEY,
        7,
        "octo/repo",
        "octo",
        1L,
        labels,
        null,
        runner,
        CREATED,
        null);
  }

  static WorkflowJobEvent event(EventKind kind) {
    boolean running = kind == EventKind.IN_PROGRESS || kind == EventKind.COMPLETED;
    return event(kind, List.of("self-hosted", "linux", "arm64"), running ? "rf-runner-1" : null);
  }

  private Job fold(List<WorkflowJobEvent> events) {
    Job job = null;
    for (WorkflowJobEvent e : events) {
      job = machine.apply(job, e, CREATED);
    }
    return job;
  }

  @Test
  void apply_whenRepositoryNotAllowed_ignoresFreshJobForNotAllowed() {
    Job job = machine.apply(null, event(EventKind.QUEUED), Admission.NOT_ALLOWED, CREATED);
    assertThat(job.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(job.ignoredReason()).isEqualTo(IgnoredReason.NOT_ALLOWED);
    assertThat(job.platform()).isNull();
  }

  @Test
  void apply_whenNoPlatformServesLabels_ignoresForNoPlatform() {
    Job job = fold(List.of(event(EventKind.QUEUED, List.of("ubuntu-latest"), null)));
    assertThat(job.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(job.ignoredReason()).isEqualTo(IgnoredReason.NO_PLATFORM);
  }

  @Test
  void apply_whenQueuedJobNoLongerAllowed_ignoresItBeforeDispatch() {
    Job queued = fold(List.of(event(EventKind.QUEUED)));
    Job after = machine.apply(queued, event(EventKind.IN_PROGRESS), Admission.NOT_ALLOWED, CREATED);
    assertThat(after.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(after.ignoredReason()).isEqualTo(IgnoredReason.NOT_ALLOWED);
    assertThat(machine.apply(after, event(EventKind.COMPLETED), CREATED)).isSameAs(after);
  }

  @Test
  void apply_whenDispatchedJobNoLongerAllowed_foldsOnSoItsRunnerIsAccountedFor() {
    Job dispatched =
        fold(List.of(event(EventKind.QUEUED))).withStatus(JobStatus.DISPATCHED, CREATED);
    Job after =
        machine.apply(dispatched, event(EventKind.COMPLETED), Admission.NOT_ALLOWED, CREATED);
    assertThat(after.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(after.ignoredReason()).isNull();
  }

  @Test
  void queued_routesToPlatformAndQueues() {
    Job job = fold(List.of(event(EventKind.QUEUED)));
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.platform()).isEqualTo("ec2-linux-arm64");
    assertThat(job.queuedAt()).isEqualTo(CREATED);
  }

  @Test
  void completedBeforeQueued_staysCompleted() {
    Job job = fold(List.of(event(EventKind.COMPLETED), event(EventKind.QUEUED)));
    assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(job.ranOn()).isEqualTo("rf-runner-1");
  }

  @Test
  void waitingThenQueued_becomesQueued_butLateWaitingNeverDemotes() {
    assertThat(fold(List.of(event(EventKind.WAITING))).status()).isEqualTo(JobStatus.WAITING);
    assertThat(fold(List.of(event(EventKind.WAITING), event(EventKind.QUEUED))).status())
        .isEqualTo(JobStatus.QUEUED);
    assertThat(fold(List.of(event(EventKind.QUEUED), event(EventKind.WAITING))).status())
        .isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void unservedLabels_areIgnoredForever() {
    List<String> hosted = List.of("ubuntu-latest");
    Job job =
        fold(
            List.of(
                event(EventKind.QUEUED, hosted, null),
                event(EventKind.IN_PROGRESS, hosted, "GitHub Actions 5"),
                event(EventKind.COMPLETED, hosted, "GitHub Actions 5")));
    assertThat(job.status()).isEqualTo(JobStatus.IGNORED);
    assertThat(job.platform()).isNull();
    assertThat(job.ranOn()).isNull();
  }

  @Test
  void dispatchedJob_isNotTakenBackByADuplicateQueued() {
    Job dispatched =
        fold(List.of(event(EventKind.QUEUED))).withStatus(JobStatus.DISPATCHED, CREATED);
    assertThat(machine.apply(dispatched, event(EventKind.QUEUED), CREATED)).isSameAs(dispatched);
  }

  @Test
  void queuedEventNeverNamesARunner_evenWhenThePayloadFillsOne() {
    Job job =
        fold(
            List.of(
                event(EventKind.QUEUED, List.of("self-hosted", "fargate"), "GitHub Actions 5")));
    assertThat(job.ranOn()).isNull();
  }

  @Property(tries = 300)
  void anyOrderAndDuplicates_convergeOnTheSameState(
      @ForAll @Size(min = 1, max = 12) List<EventKind> kinds) {
    Job forward = fold(kinds.stream().map(JobStateMachineTest::event).toList());
    List<EventKind> reversed = new ArrayList<>(kinds);
    java.util.Collections.reverse(reversed);
    Job backward = fold(reversed.stream().map(JobStateMachineTest::event).toList());
    JobStatus expected =
        kinds.stream().map(EventKind::status).reduce(JobStatus::later).orElseThrow();
    assertThat(forward.status()).isEqualTo(expected);
    assertThat(backward.status()).isEqualTo(expected);
    assertThat(forward.sameStateAs(backward)).isTrue();
  }
}
