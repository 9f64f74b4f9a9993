package dev.runfleet.common.port;

import java.time.Instant;
import java.util.Objects;

/**
 * The live hosts carrying this stage's tags (ECS tasks in the runners' cluster, EC2 instances
 * pending or running), for the orphan sweep: a host whose runner record is terminal or missing has
 * no owner left to stop it.
 */
public interface TaggedHosts {

  /** This stage's live hosts, one page call at a time as {@code pages} allows. */
  Listing<TaggedHost> tagged(Listing.Pages pages);

  /**
   * @param platform the {@code runfleet:platform} tag
   * @param runnerName the {@code runfleet:runner} tag
   * @param hostId ECS task ARN or EC2 instance id
   * @param launchedAt when the provider created it
   */
  record TaggedHost(String platform, String runnerName, String hostId, Instant launchedAt) {
    public TaggedHost {
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(runnerName, "runnerName");
      Objects.requireNonNull(hostId, "hostId");
      Objects.requireNonNull(launchedAt, "launchedAt");
    }
  }
}
