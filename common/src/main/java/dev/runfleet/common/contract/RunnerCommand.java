package dev.runfleet.common.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.Runner;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A command the publisher sends to an orchestrator through the {@code runner-commands} topic. The
 * JSON carries an explicit {@code type} and {@code version}; each subtype's name is registered
 * below and checked by a test.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RunnerCommand.SpinUp.class, name = RunnerCommand.SPIN_UP),
  @JsonSubTypes.Type(value = RunnerCommand.TearDown.class, name = RunnerCommand.TEAR_DOWN)
})
public sealed interface RunnerCommand {

  String SPIN_UP = "spin-up";
  String TEAR_DOWN = "tear-down";

  /** The contract version this code writes and reads. */
  int CURRENT_VERSION = 1;

  int version();

  /**
   * Deterministic: the same decision always yields the same id, so duplicates are recognisable
   * downstream.
   */
  String commandId();

  String runnerName();

  String platform();

  Instant requestedAt();

  /** The registered wire name of this command's type. */
  String type();

  /**
   * Start a runner: mint a JIT config registering {@code runnerName} with {@code runnerLabels}, and
   * start compute.
   */
  record SpinUp(
      int version,
      String commandId,
      String runnerName,
      String platform,
      JobKey job,
      List<String> runnerLabels,
      String repository,
      String organization,
      Long installationId,
      Instant requestedAt)
      implements RunnerCommand {

    public SpinUp {
      requireCommon(version, commandId, runnerName, platform, requestedAt);
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(repository, "repository");
      runnerLabels = List.copyOf(runnerLabels);
    }

    /**
     * The spin-up of a REQUESTED runner: the same command (same id) however often it is sent, so
     * the reconciler's re-send is recognisably a duplicate of the publisher's.
     */
    public static SpinUp of(Runner runner, Platform platform) {
      return new SpinUp(
          CURRENT_VERSION,
          SPIN_UP + ":" + runner.name(),
          runner.name(),
          platform.name(),
          runner.jobKey(),
          List.copyOf(new TreeSet<>(platform.runnerLabels())),
          runner.scope().repository(),
          runner.scope().organization(),
          runner.scope().installationId(),
          runner.createdAt());
    }

    @Override
    public String type() {
      return SPIN_UP;
    }
  }

  /**
   * Stop a runner's compute and deregister it at GitHub.
   *
   * @param force stop the host even though GitHub says the runner is busy: only past the maximum
   *     lifetime and its grace (a runner with no job of ours is otherwise kept while GitHub says it
   *     is busy). Never null; absent from the JSON when false, so version 1 messages without it
   *     read as before.
   * @param hostId only on an orphan host's tear-down (the reconciler's sweep found a host of this
   *     stage whose runner record is terminal or gone): the host to stop even though no live record
   *     names it. Absent (null) on every other tear-down, which stops the host its record names.
   */
  record TearDown(
      int version,
      String commandId,
      String runnerName,
      String platform,
      String reason,
      Instant requestedAt,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean force,
      String hostId)
      implements RunnerCommand {

    public TearDown {
      requireCommon(version, commandId, runnerName, platform, requestedAt);
      Objects.requireNonNull(reason, "reason");
      // A wrapper so that JSON without the field reads as false (primitives must be present).
      force = Boolean.TRUE.equals(force);
    }

    /** A tear-down that keeps a runner GitHub says is busy with a job that is not ours. */
    public TearDown(
        int version,
        String commandId,
        String runnerName,
        String platform,
        String reason,
        Instant requestedAt) {
      this(version, commandId, runnerName, platform, reason, requestedAt, false, null);
    }

    /** Stop host {@code hostId}, which is tagged with a runner that no live record holds. */
    public static TearDown orphanHost(
        String runnerName, String platform, String hostId, String reason, Instant now) {
      return new TearDown(
          CURRENT_VERSION,
          TEAR_DOWN + ":" + runnerName + ":" + hostId,
          runnerName,
          platform,
          reason,
          now,
          false,
          Objects.requireNonNull(hostId, "hostId"));
    }

    public static TearDown of(Runner runner, String reason, Instant now) {
      return of(runner, reason, now, false);
    }

    /** The tear-down of a runner past its maximum lifetime and grace: busy or not, it stops. */
    public static TearDown forced(Runner runner, String reason, Instant now) {
      return of(runner, reason, now, true);
    }

    /**
     * The tear-down of a runner known by its name and platform alone (the same command as {@link
     * #of(Runner, String, Instant)}): the orchestrator reads the runner and does nothing when it
     * has ended already.
     */
    public static TearDown of(String runnerName, String platform, String reason, Instant now) {
      return of(runnerName, platform, reason, now, false);
    }

    private static TearDown of(Runner runner, String reason, Instant now, boolean force) {
      return of(runner.name(), runner.platform(), reason, now, force);
    }

    private static TearDown of(
        String runnerName, String platform, String reason, Instant now, boolean force) {
      return new TearDown(
          CURRENT_VERSION,
          TEAR_DOWN + ":" + runnerName,
          runnerName,
          platform,
          reason,
          now,
          force,
          null);
    }

    @Override
    public String type() {
      return TEAR_DOWN;
    }
  }

  private static void requireCommon(
      int version, String commandId, String runnerName, String platform, Instant requestedAt) {
    if (version != CURRENT_VERSION) {
      throw new IllegalArgumentException(
          "unsupported command version " + version + " (this code reads " + CURRENT_VERSION + ")");
    }
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(runnerName, "runnerName");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(requestedAt, "requestedAt");
  }
}
