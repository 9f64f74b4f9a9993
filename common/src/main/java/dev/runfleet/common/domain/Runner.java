package dev.runfleet.common.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The owner record of one runner: which runner, on which host, for which job, in which state. A
 * runner is fungible within its platform: GitHub may give it any queued job its labels satisfy, so
 * {@code jobKey} names the job it currently serves (or was launched for), not a binding GitHub
 * knows about.
 *
 * @param name the runner name registered at GitHub, also the idempotency key of its launch
 * @param platform the platform whose slot it holds
 * @param jobKey the job it serves or was requested for, or null when that job ran elsewhere (an
 *     orphan)
 * @param scope where it registers at GitHub, taken from the job it was first requested for
 * @param status lifecycle state
 * @param hostId the ECS task ARN or EC2 instance id once launched, else null
 * @param githubRunnerId the runner id GitHub gave its JIT config, else null
 * @param slotReleased true once its slot was given back (exactly once)
 * @param detail the last failure or stop reason, else null
 * @param createdAt when the slot was reserved
 * @param updatedAt last change
 * @param jitSecret the name of the hand-over secret holding the runner's JIT config once one was
 *     minted, else null: a reference only, never the config. With {@code githubRunnerId} it is what
 *     a retried launch reuses instead of minting a second config.
 */
public record Runner(
    String name,
    String platform,
    JobKey jobKey,
    GitHubScope scope,
    RunnerStatus status,
    String hostId,
    Long githubRunnerId,
    boolean slotReleased,
    String detail,
    Instant createdAt,
    Instant updatedAt,
    String jitSecret) {

  public Runner {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A runner no JIT config was recorded for yet (as the publisher's reservation creates it). */
  public Runner(
      String name,
      String platform,
      JobKey jobKey,
      GitHubScope scope,
      RunnerStatus status,
      String hostId,
      Long githubRunnerId,
      boolean slotReleased,
      String detail,
      Instant createdAt,
      Instant updatedAt) {
    this(
        name,
        platform,
        jobKey,
        scope,
        status,
        hostId,
        githubRunnerId,
        slotReleased,
        detail,
        createdAt,
        updatedAt,
        null);
  }

  /**
   * Runner names are {@code rf-<platform>-<jobId>-<attempt>-<n>}: unique per dispatch, stable per
   * retry.
   */
  public static String nameFor(String platform, JobKey key, int dispatchNumber) {
    return "rf-" + platform + "-" + key.jobId() + "-" + key.runAttempt() + "-" + dispatchNumber;
  }

  public static boolean isOurs(String runnerName) {
    return runnerName != null && runnerName.startsWith("rf-");
  }

  /** What follows the platform in a name {@link #nameFor} made. */
  private static final Pattern NAME_TAIL = Pattern.compile("\\d+-\\d+-\\d+");

  /**
   * The platform, one of {@code platforms}, in a name {@link #nameFor} made; empty for any other
   * name.
   */
  public static Optional<String> platformOf(String runnerName, Collection<String> platforms) {
    for (String platform : platforms) {
      String prefix = "rf-" + platform + "-";
      if (runnerName.startsWith(prefix)
          && NAME_TAIL.matcher(runnerName.substring(prefix.length())).matches()) {
        return Optional.of(platform);
      }
    }
    return Optional.empty();
  }
}
