package dev.runfleet.local.bench;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.publisher.flow.FlowController;
import dev.runfleet.publisher.flow.FlowSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a measurement runs on: one emulator's client with its call counter, the one platform the
 * jobs are queued for, and the publisher's real controller built as the publisher builds it.
 *
 * @param client the counted DynamoDB client
 * @param counter counts {@code client}'s calls
 * @param platform the platform every job is queued for
 * @param telemetry where the controller's metrics go (kept in memory)
 * @param clock the controller's clock
 * @param queuedSince the queue time of the first job; later jobs are queued after it
 */
record BenchBed(
    DynamoDbClient client,
    CallCounter counter,
    Platform platform,
    Telemetry telemetry,
    Clock clock,
    Instant queuedSince) {

  /** Launch attempts per job, as the publisher's default; the benchmark never releases a runner. */
  private static final int MAX_LAUNCH_ATTEMPTS = 3;

  /** A controller sweeping only the bench platform; the commands it would send are dropped. */
  FlowController controller(FlowControlStore store, FlowSettings settings) {
    return new FlowController(
        store,
        command -> {},
        (at, now) -> {},
        new PlatformCatalog(List.of(platform)),
        settings,
        telemetry,
        clock,
        MAX_LAUNCH_ATTEMPTS,
        java.time.Duration.ofMinutes(10));
  }

  /** Appends QUEUED jobs of the bench platform to {@code table}. */
  QueuedJobs queue(String table) {
    return new QueuedJobs(client, table, platform.name(), queuedSince);
  }
}
