package dev.runfleet.orchestrators.adapter;

import static dev.runfleet.orchestrators.testing.Fleet.FARGATE;
import static dev.runfleet.orchestrators.testing.Fleet.SCOPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.RunnerStore.LaunchClaim;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.orchestrators.testing.EmbeddedDynamoDbExtension;
import dev.runfleet.orchestrators.testing.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The runner store's conditional transitions on the embedded DynamoDB, with explicit instants. */
@ExtendWith(EmbeddedDynamoDbExtension.class)
class DynamoDbRunnerStoreTest {

  private static final String RUNNER = "rf-fargate-4242-1-1";
  private static final Instant NOW = Fleet.T0.plusSeconds(60);
  private static final Duration LEASE = Duration.ofSeconds(120);

  private Fleet fleet;
  private DynamoDbRunnerStore store;

  @BeforeEach
  void setUp(EmbeddedDynamoDb dynamo) {
    fleet = new Fleet(dynamo);
    store = fleet.store();
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  private Map<String, AttributeValue> item(String name) {
    return fleet
        .client()
        .getItem(b -> b.tableName(fleet.table()).key(JobsTable.runnerKey(name)))
        .item();
  }

  @Test
  void find_readsTheRecordThePublisherWrote() {
    Runner written = fleet.putRequested(RUNNER, FARGATE);

    assertThat(store.find(RUNNER)).contains(written);
    assertThat(store.find("rf-fargate-1-1-1")).isEmpty();
  }

  @Test
  void claimLaunch_whileClaimIsLive_isRefused() {
    fleet.putRequested(RUNNER, FARGATE);

    LaunchClaim first = store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);
    LaunchClaim second = store.claimLaunch(RUNNER, "claim-b", NOW.plus(LEASE), NOW.plusSeconds(1));
    LaunchClaim atLeaseEnd = store.claimLaunch(RUNNER, "claim-c", NOW.plus(LEASE), NOW.plus(LEASE));

    assertThat(first.claimed()).isTrue();
    assertThat(second.claimed()).isFalse();
    assertThat(atLeaseEnd.claimed()).isFalse();
    // A refusal carries the record that refused it: still REQUESTED, so another invocation holds
    // it.
    assertThat(second.runner()).map(Runner::status).contains(RunnerStatus.REQUESTED);
    assertThat(item(RUNNER).get("launchClaim").s()).isEqualTo("claim-a");
  }

  @Test
  void claimLaunch_returnsTheRecordUnderTheClaim_withTheJitConfigAnEarlierHolderRecorded() {
    Runner requested = fleet.putRequested(RUNNER, FARGATE);
    store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);
    store.recordJitConfig(RUNNER, "claim-a", 77L, "rf/jit/" + RUNNER, NOW);

    LaunchClaim later =
        store.claimLaunch(
            RUNNER, "claim-b", NOW.plus(LEASE).plusSeconds(120), NOW.plus(LEASE).plusMillis(1));

    assertThat(later.claimed()).isTrue();
    Runner claimed = later.runner().orElseThrow();
    assertThat(claimed.status()).isEqualTo(RunnerStatus.REQUESTED);
    assertThat(claimed.githubRunnerId()).isEqualTo(77L);
    assertThat(claimed.jitSecret()).isEqualTo("rf/jit/" + RUNNER);
    assertThat(claimed.scope()).isEqualTo(requested.scope());
    assertThat(claimed.jobKey()).isEqualTo(requested.jobKey());
  }

  @Test
  void claimLaunch_afterLeaseEnds_isGranted() {
    fleet.putRequested(RUNNER, FARGATE);
    store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);

    LaunchClaim later =
        store.claimLaunch(
            RUNNER, "claim-b", NOW.plus(LEASE).plusSeconds(120), NOW.plus(LEASE).plusMillis(1));

    assertThat(later.claimed()).isTrue();
  }

  @Test
  void claimLaunch_ofRunnerPastRequested_isRefused() {
    fleet.putRequested(RUNNER, FARGATE);
    store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);
    store.markLaunched(RUNNER, "claim-a", "task/1", 77L, NOW);

    // The claim went with the launch; the status alone now refuses any further launch.
    LaunchClaim late =
        store.claimLaunch(
            RUNNER, "claim-b", NOW.plus(LEASE.multipliedBy(5)), NOW.plus(LEASE.multipliedBy(4)));

    assertThat(late.claimed()).isFalse();
    assertThat(late.runner()).map(Runner::status).contains(RunnerStatus.LAUNCHED);
    assertThat(item(RUNNER)).doesNotContainKeys("launchClaim", "launchClaimUntil");
  }

  @Test
  void claimLaunch_ofUnknownRunner_isRefusedAndCreatesNothing() {
    LaunchClaim claim = store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);

    assertThat(claim.claimed()).isFalse();
    assertThat(claim.runner()).isEmpty();
    assertThat(item(RUNNER)).isEmpty();
  }

  @Test
  void markLaunched_fromRequested_recordsHostAndRunnerIdAndDropsTheClaim() {
    Runner requested = fleet.putRequested(RUNNER, FARGATE);
    store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);

    assertThat(store.markLaunched(RUNNER, "claim-a", "task/1", 77L, NOW.plusSeconds(5))).isTrue();

    Runner launched = fleet.runner(RUNNER);
    assertThat(launched.status()).isEqualTo(RunnerStatus.LAUNCHED);
    assertThat(launched.hostId()).isEqualTo("task/1");
    assertThat(launched.githubRunnerId()).isEqualTo(77L);
    assertThat(launched.updatedAt()).isEqualTo(NOW.plusSeconds(5));
    assertThat(launched.scope()).isEqualTo(SCOPE);
    assertThat(launched.jobKey()).isEqualTo(requested.jobKey());
    assertThat(launched.slotReleased()).isFalse();
    assertThat(item(RUNNER)).doesNotContainKeys("launchClaim", "launchClaimUntil");
  }

  @Test
  void markLaunched_byAnInvocationThatLostItsClaim_isRefused() {
    fleet.putRequested(RUNNER, FARGATE);
    store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);
    assertThat(
            store
                .claimLaunch(
                    RUNNER, "claim-b", NOW.plus(LEASE).plus(LEASE), NOW.plus(LEASE).plusMillis(1))
                .claimed())
        .isTrue();

    assertThat(store.markLaunched(RUNNER, "claim-a", "task/1", 77L, NOW.plus(LEASE))).isFalse();
    assertThat(store.markLaunched(RUNNER, "claim-b", "task/1", 77L, NOW.plus(LEASE))).isTrue();
  }

  @Test
  void releaseClaim_letsTheNextInvocationClaimAtOnce_butOnlyForTheHolder() {
    fleet.putRequested(RUNNER, FARGATE);
    store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);

    assertThat(store.releaseClaim(RUNNER, "claim-other")).isFalse();
    assertThat(store.claimLaunch(RUNNER, "claim-b", NOW.plus(LEASE), NOW.plusSeconds(1)).claimed())
        .isFalse();
    assertThat(store.releaseClaim(RUNNER, "claim-a")).isTrue();
    assertThat(store.claimLaunch(RUNNER, "claim-b", NOW.plus(LEASE), NOW.plusSeconds(1)).claimed())
        .isTrue();
  }

  @Test
  void markLaunched_afterTearDown_isRefusedAndKeepsStopped() {
    fleet.putRequested(RUNNER, FARGATE);
    store.markStopped(RUNNER, "cancelled", NOW);

    assertThat(store.markLaunched(RUNNER, "claim-a", "task/1", 77L, NOW.plusSeconds(1))).isFalse();

    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(runner.hostId()).isNull();
  }

  @Test
  void markFailed_fromLiveState_recordsReason_andNeverOverwritesATerminalState() {
    fleet.putRequested(RUNNER, FARGATE);

    assertThat(store.markFailed(RUNNER, "launch refused", NOW)).isTrue();
    assertThat(store.markStopped(RUNNER, "late tear-down", NOW.plusSeconds(1))).isFalse();
    assertThat(store.markFailed(RUNNER, "again", NOW.plusSeconds(2))).isFalse();

    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.FAILED);
    assertThat(runner.detail()).isEqualTo("launch refused");
    assertThat(runner.updatedAt()).isEqualTo(NOW);
  }

  @Test
  void markStopped_fromLaunched_keepsWhatThePublisherNeeds() {
    fleet.putRequested(RUNNER, FARGATE);
    store.claimLaunch(RUNNER, "claim-a", NOW.plus(LEASE), NOW);
    store.markLaunched(RUNNER, "claim-a", "task/1", 77L, NOW);

    assertThat(store.markStopped(RUNNER, "job completed", NOW.plusSeconds(9))).isTrue();

    Runner runner = fleet.runner(RUNNER);
    assertThat(runner.status()).isEqualTo(RunnerStatus.STOPPED);
    assertThat(runner.detail()).isEqualTo("job completed");
    assertThat(runner.hostId()).isEqualTo("task/1");
    assertThat(runner.jobKey()).isEqualTo(new JobKey(4242, 1));
    assertThat(runner.slotReleased()).isFalse();
  }

  @Test
  void markStopped_ofUnknownRunner_isRefusedAndCreatesNothing() {
    assertThat(store.markStopped(RUNNER, "job completed", NOW)).isFalse();

    assertThat(item(RUNNER)).isEmpty();
  }

  @Test
  void storeCalls_whenTableIsUnreachable_throwRetryableStoreUnavailable() {
    DynamoDbRunnerStore missing = new DynamoDbRunnerStore(fleet.client(), "no-such-table");

    assertThatThrownBy(() -> missing.find(RUNNER)).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> missing.claimLaunch(RUNNER, "c", NOW.plus(LEASE), NOW))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> missing.markStopped(RUNNER, "x", NOW))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
