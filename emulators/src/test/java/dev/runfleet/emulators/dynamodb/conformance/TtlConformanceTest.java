package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** UpdateTimeToLive, DescribeTimeToLive, and (clock-moving) expiry. */
class TtlConformanceTest extends ConformanceTestBase {

  private String table;
  private String streamArn;

  @Override
  protected void createTables() {
    table = tableName("ttl");
    streamArn =
        createTable(keyedTable(table, false, StreamViewType.NEW_AND_OLD_IMAGES).build())
            .latestStreamArn();
    var spec =
        ddb.updateTimeToLive(
                b ->
                    b.tableName(table)
                        .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")))
            .timeToLiveSpecification();
    assertThat(spec.enabled()).isTrue();
    assertThat(spec.attributeName()).isEqualTo("expires");
  }

  @Test
  void describeTimeToLiveReportsTheAttribute() {
    TimeToLiveDescription d =
        ddb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    assertThat(d.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
    assertThat(d.attributeName()).isEqualTo("expires");
  }

  @Test
  void tableWithoutTtlIsDescribedDisabled() {
    String other = tableName("no-ttl");
    createTable(keyedTable(other, false, null).build());
    assertThat(
            ddb.describeTimeToLive(b -> b.tableName(other))
                .timeToLiveDescription()
                .timeToLiveStatus())
        .isEqualTo(TimeToLiveStatus.DISABLED);
  }

  @Test
  void enablingTtlTwiceIsRefused() {
    expectValidation(
        "already enabled",
        () ->
            ddb.updateTimeToLive(
                b ->
                    b.tableName(table)
                        .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires"))));
  }

  // ---- clock-moving ----

  /**
   * Developer Guide: expired items are deleted by the service, and the deletion's stream record
   * (REMOVE) carries userIdentity {type: Service, principalId: dynamodb.amazonaws.com}. Items whose
   * TTL attribute is not a Number, or lies in the future, are left alone.
   */
  @Test
  void expiredItemsAreDeletedByTheServiceAndOthersLeftAlone() {
    assumeClock();
    long soon = Instant.now().plus(Duration.ofMinutes(1)).getEpochSecond();
    long later = Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
    String expiring = uniq("expiring");
    String stringTtl = uniq("string-ttl");
    String future = uniq("future");
    ddb.putItem(b -> b.tableName(table).item(item("pk", s(expiring), "expires", n(soon))));
    ddb.putItem(
        b -> b.tableName(table).item(item("pk", s(stringTtl), "expires", s(Long.toString(soon)))));
    ddb.putItem(b -> b.tableName(table).item(item("pk", s(future), "expires", n(later))));

    target.moveClock(Duration.ofHours(1));
    target.expireTtl();

    assertThat(exists(expiring)).isFalse();
    assertThat(exists(stringTtl)).isTrue();
    assertThat(exists(future)).isTrue();

    List<Record> records =
        new StreamReader(streams, streamArn)
                .await(
                    r -> expiring.equals(r.dynamodb().keys().get("pk").s()),
                    l -> l.size() >= 2,
                    5_000)
                .stream()
                .map(StreamReader.ShardRecord::record)
                .toList();
    assertThat(records)
        .extracting(Record::eventName)
        .containsExactly(OperationType.INSERT, OperationType.REMOVE);
    Record remove = records.get(1);
    assertThat(remove.userIdentity()).isNotNull();
    assertThat(remove.userIdentity().type()).isEqualTo("Service");
    assertThat(remove.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
    assertThat(remove.dynamodb().oldImage().get("expires")).isEqualTo(n(soon));
  }

  private boolean exists(String pk) {
    return ddb.getItem(b -> b.tableName(table).key(item("pk", s(pk))).consistentRead(true))
        .hasItem();
  }
}
