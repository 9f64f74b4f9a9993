package dev.runfleet.emulators.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

class StreamsAndTtlTest extends EmulatorFixture {

  private String iterator(String streamArn, ShardIteratorType type, String sequence) {
    var description = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription();
    String shard = description.shards().get(0).shardId();
    return streams
        .getShardIterator(
            r ->
                r.streamArn(streamArn)
                    .shardId(shard)
                    .shardIteratorType(type)
                    .sequenceNumber(sequence))
        .shardIterator();
  }

  private List<Record> readAll(String streamArn) {
    return streams
        .getRecords(r -> r.shardIterator(iterator(streamArn, ShardIteratorType.TRIM_HORIZON, null)))
        .records();
  }

  @Test
  void recordsFollowWritesWithImagesPerViewType() {
    String table = unique("stream");
    String arn = createTable(table, StreamViewType.NEW_AND_OLD_IMAGES);
    assertThat(arn)
        .startsWith(
            "arn:aws:dynamodb:us-east-1:000000000000:table/"
                + table
                + "/stream/2025-01-01T00:00:00.000");
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "sk", s("1"), "v", n(1))));
    // The same item again changes nothing: DynamoDB writes no stream record for it.
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "sk", s("1"), "v", n(1))));
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "sk", s("1"), "v", n(0))));
    ddb.updateItem(
        r ->
            r.tableName(table)
                .key(key("a", "1"))
                .updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", n(2))));
    ddb.deleteItem(r -> r.tableName(table).key(key("a", "1")));
    ddb.deleteItem(r -> r.tableName(table).key(key("a", "1")));
    try {
      ddb.putItem(
          r -> r.tableName(table).item(key("a", "2")).conditionExpression("attribute_exists(pk)"));
    } catch (RuntimeException expected) {
      // a failed conditional write leaves no record
    }
    List<Record> records = readAll(arn);
    assertThat(records)
        .extracting(Record::eventName)
        .containsExactly(
            OperationType.INSERT, OperationType.MODIFY, OperationType.MODIFY, OperationType.REMOVE);
    Record update = records.get(2);
    assertThat(update.eventSource()).isEqualTo("aws:dynamodb");
    assertThat(update.eventVersion()).isEqualTo("1.1");
    assertThat(update.awsRegion()).isEqualTo("us-east-1");
    assertThat(update.dynamodb().keys()).isEqualTo(key("a", "1"));
    assertThat(update.dynamodb().oldImage()).containsEntry("v", n(0));
    assertThat(update.dynamodb().newImage()).containsEntry("v", n(2));
    assertThat(update.dynamodb().sizeBytes()).isPositive();
    assertThat(update.dynamodb().approximateCreationDateTime()).isEqualTo(clock.instant());
    assertThat(records)
        .extracting(r -> r.dynamodb().sequenceNumber())
        .allSatisfy(seq -> assertThat(seq).hasSizeGreaterThanOrEqualTo(21))
        .isSortedAccordingTo(
            (a, b) -> new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)));
    assertThat(records.get(3).dynamodb().newImage()).isEmpty();

    // AFTER_SEQUENCE_NUMBER resumes after a record; LATEST sees only later writes.
    String second = records.get(1).dynamodb().sequenceNumber();
    var after =
        streams.getRecords(
            r -> r.shardIterator(iterator(arn, ShardIteratorType.AFTER_SEQUENCE_NUMBER, second)));
    assertThat(after.records()).hasSize(2);
    var at =
        streams.getRecords(
            r -> r.shardIterator(iterator(arn, ShardIteratorType.AT_SEQUENCE_NUMBER, second)));
    assertThat(at.records()).hasSize(3);
    String latest = iterator(arn, ShardIteratorType.LATEST, null);
    ddb.putItem(r -> r.tableName(table).item(key("b", "1")));
    var fresh = streams.getRecords(r -> r.shardIterator(latest).limit(10));
    assertThat(fresh.records()).hasSize(1);
    assertThat(fresh.nextShardIterator()).isNotNull();
  }

  @Test
  void keysOnlyStreamsCarryNoImages() {
    String table = unique("keys");
    String arn = createTable(table, StreamViewType.KEYS_ONLY);
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "sk", s("1"), "v", n(1))));
    Record record = readAll(arn).get(0);
    assertThat(record.dynamodb().keys()).isEqualTo(key("a", "1"));
    assertThat(record.dynamodb().hasNewImage()).isFalse();
    assertThat(record.dynamodb().hasOldImage()).isFalse();
    assertThat(streams.listStreams(r -> r.tableName(table)).streams()).hasSize(1);
  }

  @Test
  void transactionsRecordEveryWrite() {
    String table = unique("txstream");
    String arn = createTable(table, StreamViewType.NEW_IMAGE);
    ddb.transactWriteItems(
        r ->
            r.transactItems(
                TransactWriteItem.builder()
                    .put(p -> p.tableName(table).item(key("a", "1")))
                    .build(),
                TransactWriteItem.builder()
                    .put(p -> p.tableName(table).item(key("b", "1")))
                    .build()));
    assertThat(readAll(arn)).hasSize(2);
  }

  @Test
  void iteratorsExpireAfterFifteenMinutesAndRecordsAfterADay() {
    String table = unique("expiry");
    String arn = createTable(table, StreamViewType.NEW_IMAGE);
    ddb.putItem(r -> r.tableName(table).item(key("a", "1")));
    String old = iterator(arn, ShardIteratorType.TRIM_HORIZON, null);
    clock.advance(Duration.ofMinutes(16));
    assertThatThrownBy(() -> streams.getRecords(r -> r.shardIterator(old)))
        .isInstanceOf(ExpiredIteratorException.class);

    String sequence = readAll(arn).get(0).dynamodb().sequenceNumber();
    clock.advance(Duration.ofHours(24));
    assertThatThrownBy(() -> iterator(arn, ShardIteratorType.AT_SEQUENCE_NUMBER, sequence))
        .isInstanceOf(TrimmedDataAccessException.class);
    assertThat(readAll(arn)).isEmpty();
  }

  @Test
  void trimmedRecordsBehindAFreshIterator() {
    String table = unique("trim");
    String arn = createTable(table, StreamViewType.NEW_IMAGE);
    ddb.putItem(r -> r.tableName(table).item(key("a", "1")));
    clock.advance(Duration.ofHours(24).minusMinutes(5));
    String iterator = iterator(arn, ShardIteratorType.TRIM_HORIZON, null);
    clock.advance(Duration.ofMinutes(10));
    assertThatThrownBy(() -> streams.getRecords(r -> r.shardIterator(iterator)))
        .isInstanceOf(TrimmedDataAccessException.class);
  }

  @Test
  void ttlSweepDeletesExpiredNumbersOnly() {
    String table = unique("ttl");
    String arn = createTable(table, StreamViewType.OLD_IMAGE);
    ddb.updateTimeToLive(
        r -> r.tableName(table).timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true)));
    assertThat(
            ddb.describeTimeToLive(r -> r.tableName(table))
                .timeToLiveDescription()
                .timeToLiveStatus())
        .isEqualTo(TimeToLiveStatus.ENABLED);
    long now = clock.instant().getEpochSecond();
    ddb.putItem(
        r -> r.tableName(table).item(Map.of("pk", s("soon"), "sk", s("1"), "ttl", n(now + 60))));
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("text"), "sk", s("1"), "ttl", s("0"))));
    ddb.putItem(
        r ->
            r.tableName(table)
                .item(Map.of("pk", s("ancient"), "sk", s("1"), "ttl", n(now - 6L * 365 * 86400))));
    ddb.putItem(
        r -> r.tableName(table).item(Map.of("pk", s("later"), "sk", s("1"), "ttl", n(now + 3600))));
    assertThat(server.engine().expireItems()).isZero();
    clock.advance(Duration.ofSeconds(61));
    assertThat(server.engine().expireItems()).isEqualTo(1);
    assertThat(ddb.getItem(r -> r.tableName(table).key(key("soon", "1"))).hasItem()).isFalse();
    assertThat(ddb.scan(r -> r.tableName(table)).count()).isEqualTo(3);
    Record removal = readAll(arn).get(4);
    assertThat(removal.eventName()).isEqualTo(OperationType.REMOVE);
    assertThat(removal.userIdentity().type()).isEqualTo("Service");
    assertThat(removal.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
    assertThat(removal.dynamodb().oldImage()).containsKey("ttl");
  }
}
