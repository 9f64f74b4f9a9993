package dev.runfleet.orchestrators.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.GitHubDeliveries.Delivery;
import dev.runfleet.common.port.GitHubDeliveries.RedeliverResult;
import dev.runfleet.common.port.HostLookup;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.reconcile.RedeliveryStore.Progress;
import dev.runfleet.orchestrators.testing.CapturedLogs;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import dev.runfleet.orchestrators.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lost webhooks through whole reconciler passes: the App's delivery log is scripted as GitHub keeps
 * it, the progress and the guids asked for live in the DynamoDB emulator's jobs table.
 */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class LostWebhooksTest {

  private Fleet fleet;
  private final MutableClock clock = new MutableClock(Fleet.T0);
  private final ScriptedDeliveryLog log = new ScriptedDeliveryLog(clock);
  private DynamoDbRedeliveryStore store;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    store = new DynamoDbRedeliveryStore(fleet.client(), fleet.table());
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  /** The step turned off (no page read, no store touched): for reconciler tests of other steps. */
  static LostWebhooks off() {
    return new LostWebhooks(
        null, null, new LostWebhooks.Settings(Duration.ofHours(1), 0), new Telemetry("test"));
  }

  private Reconciler reconciler(int gitHubCalls, int maxPerPass) {
    return new Reconciler(
        new DynamoDbReconcileStore(fleet.client(), fleet.table()),
        fleet.store(),
        fleet.gitHub(),
        (platform, runner, hostId) -> HostLookup.HostState.ALIVE,
        command -> {},
        PlatformCatalog.defaults(),
        ReconcileSettings.defaults(),
        CallBudgets.fixed(gitHubCalls, 100),
        new Telemetry("reconciler-test"),
        clock,
        new LostWebhooks(
            log,
            store,
            new LostWebhooks.Settings(Duration.ofHours(1), maxPerPass),
            new Telemetry("reconciler-test")));
  }

  private Reconciler reconciler() {
    return reconciler(100, 10);
  }

  private Instant ago(Duration duration) {
    return clock.instant().minus(duration);
  }

  private static int redelivered(Reconciler.PassReport report) {
    return report.repairs().getOrDefault("redelivered", 0);
  }

  @Test
  void failedQueuedDelivery_isRedeliveredOnce() {
    Delivery lost = log.add(ago(Duration.ofMinutes(5)), "queued", 502);
    log.add(ago(Duration.ofMinutes(4)), "queued", 200);
    log.redeliveryStatus = 0; // our endpoint is still down: the redelivery fails as well

    Reconciler.PassReport first = reconciler().pass();
    clock.advance(Duration.ofMinutes(1));
    Reconciler.PassReport second = reconciler().pass();

    assertThat(log.redeliveries).containsExactly(lost.id());
    assertThat(redelivered(first)).isEqualTo(1);
    assertThat(first.gitHubCalls()).isEqualTo(2); // one page, one redelivery
    assertThat(redelivered(second)).isZero();
  }

  @Test
  void guidDeliveredLaterByARedelivery_isNotRedelivered() {
    Delivery failed = log.add(ago(Duration.ofMinutes(10)), "queued", 0);
    log.add(failed.guid(), ago(Duration.ofMinutes(8)), "workflow_job", "queued", 202, true);

    Reconciler.PassReport report = reconciler().pass();

    assertThat(log.redeliveries).isEmpty();
    assertThat(redelivered(report)).isZero();
  }

  @Test
  void failedDeliveryOfAnotherEvent_isNotRedelivered() {
    log.add("guid-installation", ago(Duration.ofMinutes(3)), "installation", "created", 500, false);

    reconciler().pass();

    assertThat(log.redeliveries).isEmpty();
  }

  @Test
  void watermark_advancesSoTheNextPassReadsOnlyNewDeliveries() {
    log.pageSize = 2;
    for (int i = 10; i > 0; i--) {
      log.add(ago(Duration.ofMinutes(i)), "completed", 200);
    }

    reconciler().pass();
    int firstPassPages = log.pageReads.size();
    Progress afterFirst = store.progress();
    clock.advance(Duration.ofMinutes(2));
    Delivery lost = log.add(ago(Duration.ofSeconds(30)), "queued", 504);
    reconciler().pass();

    assertThat(firstPassPages).isEqualTo(5);
    // The newest delivery read (T0 - 1 min), less the overlap.
    assertThat(afterFirst.watermark()).isEqualTo(Fleet.T0.minus(Duration.ofMinutes(2)));
    assertThat(afterFirst.cursor()).isNull();
    // The new delivery and down to the watermark: two pages, not the whole hour again.
    assertThat(log.pageReads.size() - firstPassPages).isEqualTo(2);
    assertThat(log.redeliveries).containsExactly(lost.id());
    assertThat(store.progress().watermark()).isAfter(afterFirst.watermark());
  }

  @Test
  void firstPass_looksBackOnlyTheConfiguredWindow() {
    Delivery recent = log.add(ago(Duration.ofMinutes(50)), "queued", 500);
    Delivery older = log.add(ago(Duration.ofMinutes(70)), "queued", 500);

    reconciler().pass();

    assertThat(log.redeliveries).containsExactly(recent.id()).doesNotContain(older.id());
  }

  @Test
  void gitHubBudget_isRespectedAndTheRestWaitsForTheNextPass() {
    List<Delivery> lost = new ArrayList<>();
    for (int i = 5; i > 0; i--) {
      lost.add(log.add(ago(Duration.ofMinutes(i)), "queued", 500));
    }

    Reconciler.PassReport first = reconciler(3, 10).pass();
    List<Long> afterFirst = List.copyOf(log.redeliveries);
    clock.advance(Duration.ofMinutes(1));
    Reconciler.PassReport second = reconciler(3, 10).pass();
    clock.advance(Duration.ofMinutes(1));
    reconciler(3, 10).pass();

    assertThat(first.gitHubCalls()).isEqualTo(3);
    assertThat(first.deferred()).isPositive();
    assertThat(afterFirst).hasSize(2);
    assertThat(second.gitHubCalls()).isEqualTo(3);
    assertThat(log.redeliveries)
        .containsExactlyInAnyOrderElementsOf(lost.stream().map(Delivery::id).toList());
  }

  @Test
  void maxPerPass_limitsRedeliveriesAndTheRestWaitsForTheNextPass() {
    for (int i = 4; i > 0; i--) {
      log.add(ago(Duration.ofMinutes(i)), "queued", 500);
    }

    Reconciler.PassReport first = reconciler(100, 3).pass();
    clock.advance(Duration.ofMinutes(1));
    Reconciler.PassReport second = reconciler(100, 3).pass();

    assertThat(redelivered(first)).isEqualTo(3);
    assertThat(redelivered(second)).isEqualTo(1);
    assertThat(log.redeliveries).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void refusedRedelivery_isNotAskedAgain() {
    Delivery refused = log.add(ago(Duration.ofMinutes(5)), "queued", 500);
    log.answer(refused.id(), RedeliverResult.REFUSED);

    Reconciler.PassReport first = reconciler().pass();
    clock.advance(Duration.ofMinutes(1));
    reconciler().pass();

    assertThat(log.asked(refused.id())).isEqualTo(1);
    assertThat(redelivered(first)).isZero();
  }

  @Test
  void redeliveryGitHubAsksToWaitFor_isAskedAgainNextPass() {
    Delivery throttled = log.add(ago(Duration.ofMinutes(5)), "queued", 500);
    log.answer(throttled.id(), RedeliverResult.RETRY_LATER);

    reconciler().pass();
    log.answer(throttled.id(), RedeliverResult.ACCEPTED);
    clock.advance(Duration.ofMinutes(1));
    Reconciler.PassReport second = reconciler().pass();

    assertThat(log.asked(throttled.id())).isEqualTo(2);
    assertThat(redelivered(second)).isEqualTo(1);
  }

  @Test
  void deliveryPastGitHubsRedeliveryWindow_isSkippedWithALogLine() {
    Instant fourDaysAgo = ago(Duration.ofDays(4));
    store.saveProgress(Progress.NONE, new Progress(fourDaysAgo, null, null, 0));
    Delivery inWindow = log.add(ago(Duration.ofDays(2)), "queued", 500);
    Delivery tooOld = log.add(ago(Duration.ofDays(3).plusHours(1)), "queued", 500);

    List<String> lines;
    try (CapturedLogs logs = CapturedLogs.start()) {
      reconciler().pass();
      lines = logs.lines();
    }

    assertThat(log.redeliveries).containsExactly(inWindow.id());
    assertThat(lines)
        .anyMatch(l -> l.contains(Long.toString(tooOld.id())) && l.contains("redelivery window"));
  }
}
