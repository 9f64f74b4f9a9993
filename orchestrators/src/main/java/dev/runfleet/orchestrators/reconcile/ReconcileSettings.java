package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.common.domain.HostKind;
import java.time.Duration;
import java.util.Objects;

/**
 * The reconciler's thresholds.
 *
 * @param jobStuckAfter a QUEUED, DISPATCHED or IN_PROGRESS job unchanged this long is looked up at
 *     GitHub
 * @param spinUpDeadline a REQUESTED runner this old has its spin-up published again; unlaunched
 *     this long after that, it fails (its job is queued again)
 * @param bootDeadlineEc2 an EC2 runner launched this long ago and not online at GitHub is torn down
 * @param bootDeadlineFargate the same for a Fargate runner
 * @param maxLifetime a runner older than this is deregistered and stopped, unless GitHub says it is
 *     busy
 * @param busyGrace how much longer a runner GitHub says is busy may run past {@code maxLifetime}
 * @param maxDispatches a job dispatched this often that GitHub still holds queued is given up
 * @param pageSize items read per status per pass
 */
public record ReconcileSettings(
    Duration jobStuckAfter,
    Duration spinUpDeadline,
    Duration bootDeadlineEc2,
    Duration bootDeadlineFargate,
    Duration maxLifetime,
    Duration busyGrace,
    int maxDispatches,
    int pageSize) {

  public ReconcileSettings {
    Objects.requireNonNull(jobStuckAfter, "jobStuckAfter");
    Objects.requireNonNull(spinUpDeadline, "spinUpDeadline");
    Objects.requireNonNull(bootDeadlineEc2, "bootDeadlineEc2");
    Objects.requireNonNull(bootDeadlineFargate, "bootDeadlineFargate");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    Objects.requireNonNull(busyGrace, "busyGrace");
    if (maxDispatches < 1 || pageSize < 1) {
      throw new IllegalArgumentException("maxDispatches and pageSize must be at least 1");
    }
  }

  /** Issue 12's defaults: boot deadlines 5 min (EC2) and 3 min (Fargate), lifetime 6 h. */
  public static ReconcileSettings defaults() {
    return new ReconcileSettings(
        Duration.ofMinutes(2),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(3),
        Duration.ofHours(6),
        Duration.ofMinutes(30),
        3,
        100);
  }

  public Duration bootDeadline(HostKind kind) {
    return kind == HostKind.ECS_FARGATE ? bootDeadlineFargate : bootDeadlineEc2;
  }

  /** These settings with one boot deadline for every host kind (the local runtime's option). */
  public ReconcileSettings withBootDeadline(Duration deadline) {
    return new ReconcileSettings(
        jobStuckAfter,
        spinUpDeadline,
        deadline,
        deadline,
        maxLifetime,
        busyGrace,
        maxDispatches,
        pageSize);
  }

  public ReconcileSettings withMaxLifetime(Duration lifetime) {
    return new ReconcileSettings(
        jobStuckAfter,
        spinUpDeadline,
        bootDeadlineEc2,
        bootDeadlineFargate,
        lifetime,
        busyGrace,
        maxDispatches,
        pageSize);
  }

  /** These settings with the job and spin-up thresholds set to {@code after}. */
  public ReconcileSettings withStuckAfter(Duration after) {
    return new ReconcileSettings(
        after,
        after,
        bootDeadlineEc2,
        bootDeadlineFargate,
        maxLifetime,
        busyGrace,
        maxDispatches,
        pageSize);
  }
}
