package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** DynamoDB Streams: stream discovery, record contents, ordering, iterators, view types, expiry. */
class StreamsConformanceTest extends ConformanceTestBase {

  private String table;
  private String streamArn;
  private final Map<StreamViewType, String> viewTables =
      new java.util.EnumMap<>(StreamViewType.class);
  private final Map<StreamViewType, String> viewArns =
      new java.util.EnumMap<>(StreamViewType.class);

  @Override
  protected void createTables() {
    table = tableName("main");
    streamArn =
        createTable(keyedTable(table, false, StreamViewType.NEW_AND_OLD_IMAGES).build())
            .latestStreamArn();
    for (StreamViewType view :
        List.of(StreamViewType.KEYS_ONLY, StreamViewType.NEW_IMAGE, StreamViewType.OLD_IMAGE)) {
      String name = tableName(view.toString().toLowerCase().replace('_', '-'));
      TableDescription d = createTable(keyedTable(name, false, view).build());
      viewTables.put(view, name);
      viewArns.put(view, d.latestStreamArn());
    }
  }

  private long timeout() {
    return target.slow() ? 60_000 : 5_000;
  }

  private static boolean about(Record r, String pk) {
    return pk.equals(r.dynamodb().keys().get("pk").s());
  }

  private List<Record> await(String arn, String pk, int count) {
    return new StreamReader(streams, arn)
        .await(r -> about(r, pk), l -> l.size() >= count, timeout()).stream()
            .map(StreamReader.ShardRecord::record)
            .toList();
  }

  private void put(String tbl, Map<String, AttributeValue> item) {
    ddb.putItem(b -> b.tableName(tbl).item(item));
  }

  @Test
  void streamIsListedAndDescribedEnabled() {
    List<String> arns = new ArrayList<>();
    String start = null;
    do {
      String from = start;
      var page = streams.listStreams(b -> b.tableName(table).exclusiveStartStreamArn(from));
      page.streams().forEach(s -> arns.add(s.streamArn()));
      start = page.lastEvaluatedStreamArn();
    } while (start != null);
    assertThat(arns).contains(streamArn);

    StreamDescription d = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription();
    assertThat(d.streamStatus()).isEqualTo(StreamStatus.ENABLED);
    assertThat(d.streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    assertThat(d.tableName()).isEqualTo(table);
    assertThat(d.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk");
    assertThat(d.shards()).isNotEmpty();
    assertThat(d.shards().get(0).sequenceNumberRange().startingSequenceNumber()).isNotBlank();
  }

  @Test
  void insertModifyRemoveCarryKeysAndBothImages() {
    String pk = uniq("imm");
    put(table, item("pk", s(pk), "v", n(1)));
    ddb.updateItem(
        b ->
            b.tableName(table)
                .key(item("pk", s(pk)))
                .updateExpression("SET v = :two")
                .expressionAttributeValues(item(":two", n(2))));
    ddb.deleteItem(b -> b.tableName(table).key(item("pk", s(pk))));

    List<Record> records = await(streamArn, pk, 3);

    assertThat(records)
        .extracting(Record::eventName)
        .containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE);
    Record insert = records.get(0);
    Record modify = records.get(1);
    Record remove = records.get(2);
    assertThat(insert.eventSource()).isEqualTo("aws:dynamodb");
    assertThat(insert.awsRegion()).isNotBlank();
    assertThat(insert.eventID()).isNotBlank();
    assertThat(insert.dynamodb().keys()).isEqualTo(item("pk", s(pk)));
    assertThat(insert.dynamodb().newImage()).isEqualTo(item("pk", s(pk), "v", n(1)));
    assertThat(insert.dynamodb().hasOldImage()).isFalse();
    assertThat(insert.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    assertThat(insert.dynamodb().sizeBytes()).isPositive();
    assertThat(insert.dynamodb().approximateCreationDateTime()).isNotNull();
    assertThat(modify.dynamodb().oldImage()).isEqualTo(item("pk", s(pk), "v", n(1)));
    assertThat(modify.dynamodb().newImage()).isEqualTo(item("pk", s(pk), "v", n(2)));
    assertThat(remove.dynamodb().oldImage()).isEqualTo(item("pk", s(pk), "v", n(2)));
    assertThat(remove.dynamodb().hasNewImage()).isFalse();
    assertThat(remove.userIdentity()).isNull();
  }

  @Test
  void failedConditionalWritesAndDeletesOfAbsentItemsWriteNoRecord() {
    String pk = uniq("quiet");
    String absent = uniq("absent");
    put(table, item("pk", s(pk), "v", n(1)));
    try {
      ddb.putItem(
          b ->
              b.tableName(table)
                  .item(item("pk", s(pk), "v", n(99)))
                  .conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException expected) {
      // no record for this one
    }
    ddb.deleteItem(b -> b.tableName(table).key(item("pk", s(absent))));
    put(table, item("pk", s(pk), "v", n(2)));
    put(table, item("pk", s(absent), "v", n(1)));

    List<Record> forPk = await(streamArn, pk, 2);
    List<Record> forAbsent = await(streamArn, absent, 1);

    // per-item order is guaranteed, so a record for a dropped write would sit between these
    assertThat(forPk)
        .extracting(Record::eventName)
        .containsExactly(OperationType.INSERT, OperationType.MODIFY);
    assertThat(forPk.get(1).dynamodb().oldImage().get("v")).isEqualTo(n(1));
    assertThat(forAbsent).extracting(Record::eventName).containsExactly(OperationType.INSERT);
  }

  /**
   * Developer Guide: "If you perform a PutItem or UpdateItem operation that does not change any
   * data in an item, DynamoDB Streams does not write a stream record for that operation."
   */
  @Test
  void aWriteThatChangesNothingWritesNoRecord() {
    String pk = uniq("same");
    put(table, item("pk", s(pk), "v", n(1)));
    put(table, item("pk", s(pk), "v", n(1)));
    put(table, item("pk", s(pk), "v", n(2)));

    assertThat(await(streamArn, pk, 2))
        .extracting(Record::eventName)
        .containsExactly(OperationType.INSERT, OperationType.MODIFY);
  }

  @Test
  void sequenceNumbersIncreaseWithinAShard() {
    String pk = uniq("seq");
    for (int i = 0; i < 5; i++) {
      put(table, item("pk", s(pk), "v", n(i)));
    }
    List<StreamReader.ShardRecord> records =
        new StreamReader(streams, streamArn)
            .await(r -> about(r, pk), l -> l.size() >= 5, timeout());
    assertThat(records).hasSize(5);
    assertThat(records.stream().map(r -> r.shardId()).distinct()).hasSize(1);
    List<BigInteger> seq =
        records.stream().map(r -> new BigInteger(r.record().dynamodb().sequenceNumber())).toList();
    assertThat(seq).isSorted().doesNotHaveDuplicates();
    assertThat(records.stream().map(r -> r.record().dynamodb().newImage().get("v").n()))
        .containsExactly("0", "1", "2", "3", "4");
  }

  @Test
  void iteratorTypesStartWhereDocumented() {
    String pk = uniq("iter");
    for (int i = 0; i < 3; i++) {
      put(table, item("pk", s(pk), "v", n(i)));
    }
    List<StreamReader.ShardRecord> records =
        new StreamReader(streams, streamArn)
            .await(r -> about(r, pk), l -> l.size() >= 3, timeout());
    assertThat(records).hasSize(3);
    String shard = records.get(0).shardId();
    String second = records.get(1).record().dynamodb().sequenceNumber();

    assertThat(firstRecordFrom(shard, ShardIteratorType.AT_SEQUENCE_NUMBER, second, pk))
        .isEqualTo("1");
    assertThat(firstRecordFrom(shard, ShardIteratorType.AFTER_SEQUENCE_NUMBER, second, pk))
        .isEqualTo("2");
    assertThat(firstRecordFrom(shard, ShardIteratorType.TRIM_HORIZON, null, pk)).isEqualTo("0");
  }

  /** The v of the first record about {@code pk} read from an iterator of {@code type}. */
  private String firstRecordFrom(String shard, ShardIteratorType type, String seq, String pk) {
    String iterator =
        streams
            .getShardIterator(
                b ->
                    b.streamArn(streamArn)
                        .shardId(shard)
                        .shardIteratorType(type)
                        .sequenceNumber(seq))
            .shardIterator();
    for (int i = 0; i < 50 && iterator != null; i++) {
      String it = iterator;
      GetRecordsResponse r = streams.getRecords(b -> b.shardIterator(it));
      for (Record rec : r.records()) {
        if (about(rec, pk)) {
          return rec.dynamodb().newImage().get("v").n();
        }
      }
      iterator = r.nextShardIterator();
    }
    return null;
  }

  @Test
  void latestIteratorSeesOnlyLaterRecords() {
    String pk = uniq("latest");
    put(table, item("pk", s(pk), "v", n(0)));
    await(streamArn, pk, 1);

    List<String> iterators = new ArrayList<>();
    for (Shard shard : new StreamReader(streams, streamArn).shards()) {
      if (shard.sequenceNumberRange().endingSequenceNumber() == null) {
        iterators.add(
            streams
                .getShardIterator(
                    b ->
                        b.streamArn(streamArn)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.LATEST))
                .shardIterator());
      }
    }
    put(table, item("pk", s(pk), "v", n(1)));

    List<String> seen = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeout();
    while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
      for (int i = 0; i < iterators.size(); i++) {
        String it = iterators.get(i);
        GetRecordsResponse r = streams.getRecords(b -> b.shardIterator(it));
        r.records().stream()
            .filter(rec -> about(rec, pk))
            .forEach(rec -> seen.add(rec.dynamodb().newImage().get("v").n()));
        iterators.set(i, r.nextShardIterator());
      }
    }
    assertThat(seen).containsExactly("1");
  }

  @Test
  void viewTypesDecideWhichImagesARecordCarries() {
    for (StreamViewType view : viewTables.keySet()) {
      String tbl = viewTables.get(view);
      String pk = uniq("view");
      put(tbl, item("pk", s(pk), "v", n(1)));
      put(tbl, item("pk", s(pk), "v", n(2)));
      List<Record> records = await(viewArns.get(view), pk, 2);
      assertThat(records).as(view.toString()).hasSize(2);
      Record modify = records.get(1);
      assertThat(modify.dynamodb().streamViewType()).isEqualTo(view);
      assertThat(modify.dynamodb().keys()).isEqualTo(item("pk", s(pk)));
      switch (view) {
        case KEYS_ONLY -> {
          assertThat(modify.dynamodb().hasNewImage()).as(view.toString()).isFalse();
          assertThat(modify.dynamodb().hasOldImage()).as(view.toString()).isFalse();
        }
        case NEW_IMAGE -> {
          assertThat(modify.dynamodb().newImage()).isEqualTo(item("pk", s(pk), "v", n(2)));
          assertThat(modify.dynamodb().hasOldImage()).as(view.toString()).isFalse();
        }
        case OLD_IMAGE -> {
          assertThat(modify.dynamodb().oldImage()).isEqualTo(item("pk", s(pk), "v", n(1)));
          assertThat(modify.dynamodb().hasNewImage()).as(view.toString()).isFalse();
        }
        default -> throw new AssertionError(view);
      }
    }
  }

  @Test
  void unknownStreamArnFailsWithResourceNotFound() {
    String bogus =
        streamArn.substring(0, streamArn.lastIndexOf('/') + 1) + "2000-01-01T00:00:00.000";
    expectError("ResourceNotFoundException", () -> streams.describeStream(b -> b.streamArn(bogus)));
  }

  // ---- clock-moving: only where the target can move its clock ----

  /** Developer Guide: a shard iterator expires 15 minutes after it is returned. */
  @Test
  void shardIteratorExpiresAfterFifteenMinutes() {
    assumeClock();
    String pk = uniq("expire");
    put(table, item("pk", s(pk), "v", n(0)));
    Shard shard = new StreamReader(streams, streamArn).shards().get(0);
    String iterator =
        streams
            .getShardIterator(
                b ->
                    b.streamArn(streamArn)
                        .shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
            .shardIterator();

    target.moveClock(Duration.ofMinutes(16));

    expectError(
        "ExpiredIteratorException", () -> streams.getRecords(b -> b.shardIterator(iterator)));
  }

  /** Developer Guide: stream records are removed after 24 hours. */
  @Test
  void recordsOlderThanTwentyFourHoursAreTrimmed() {
    assumeClock();
    String pk = uniq("trim");
    put(table, item("pk", s(pk), "v", n(0)));
    StreamReader.ShardRecord old =
        new StreamReader(streams, streamArn)
            .await(r -> about(r, pk), l -> !l.isEmpty(), timeout())
            .get(0);

    target.moveClock(Duration.ofHours(25));
    put(table, item("pk", s(pk), "v", n(1)));

    expectError(
        "TrimmedDataAccessException",
        () ->
            streams.getShardIterator(
                b ->
                    b.streamArn(streamArn)
                        .shardId(old.shardId())
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                        .sequenceNumber(old.record().dynamodb().sequenceNumber())));
    assertThat(await(streamArn, pk, 1))
        .extracting(r -> r.dynamodb().newImage().get("v").n())
        .containsExactly("1");
  }
}
