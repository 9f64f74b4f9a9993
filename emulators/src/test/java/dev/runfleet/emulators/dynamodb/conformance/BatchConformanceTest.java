package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchGetItem and BatchWriteItem, including their limits. */
class BatchConformanceTest extends ConformanceTestBase {

  private String table;

  @Override
  protected void createTables() {
    table = tableName("batch");
    createTable(keyedTable(table, false, null).build());
  }

  private static WriteRequest put(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(p -> p.item(item)).build();
  }

  private static WriteRequest delete(String pk) {
    return WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", s(pk)))).build();
  }

  /** Writes, resubmitting unprocessed items as the API asks. */
  private void batchWrite(List<WriteRequest> writes) {
    Map<String, List<WriteRequest>> pending = Map.of(table, writes);
    for (int i = 0; i < 20 && !pending.isEmpty(); i++) {
      Map<String, List<WriteRequest>> now = pending;
      BatchWriteItemResponse r = ddb.batchWriteItem(b -> b.requestItems(now));
      pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
    }
    assertThat(pending).isEmpty();
  }

  private List<Map<String, AttributeValue>> batchGet(List<String> pks, String projection) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    Map<String, KeysAndAttributes> pending =
        Map.of(
            table,
            KeysAndAttributes.builder()
                .keys(pks.stream().map(pk -> Map.of("pk", s(pk))).toList())
                .consistentRead(true)
                .projectionExpression(projection)
                .build());
    for (int i = 0; i < 20 && !pending.isEmpty(); i++) {
      Map<String, KeysAndAttributes> now = pending;
      BatchGetItemResponse r = ddb.batchGetItem(b -> b.requestItems(now));
      found.addAll(r.responses().getOrDefault(table, List.of()));
      pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
    }
    return found;
  }

  @Test
  void batchWritePutsAndDeletesInOneCall() {
    String a = uniq("a");
    String b = uniq("b");
    String c = uniq("c");
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(a), "v", n(1))));
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(b), "v", n(1))));

    batchWrite(
        List.of(delete(a), put(item("pk", s(b), "v", n(2))), put(item("pk", s(c), "v", n(3)))));

    List<Map<String, AttributeValue>> got = batchGet(List.of(a, b, c), null);
    assertThat(got)
        .containsExactlyInAnyOrder(item("pk", s(b), "v", n(2)), item("pk", s(c), "v", n(3)));
  }

  @Test
  void batchWriteAcceptsTwentyFiveRequests() {
    List<WriteRequest> writes = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String pk = uniq("25-" + i);
      keys.add(pk);
      writes.add(put(item("pk", s(pk))));
    }
    batchWrite(writes);
    assertThat(batchGet(keys, null)).hasSize(25);
  }

  @Test
  void batchWriteOfTwentySixRequestsIsRefused() {
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      writes.add(put(item("pk", s(uniq("26-" + i)))));
    }
    expectError(
        "ValidationException",
        () -> ddb.batchWriteItem(b -> b.requestItems(Map.of(table, writes))));
  }

  @Test
  void batchWriteWithDuplicateKeysIsRefused() {
    String pk = uniq("dup");
    expectValidation(
        "duplicates",
        () ->
            ddb.batchWriteItem(
                b -> b.requestItems(Map.of(table, List.of(put(item("pk", s(pk))), delete(pk))))));
    assertThat(batchGet(List.of(pk), null)).isEmpty();
  }

  @Test
  void batchGetReturnsFoundItemsAndSkipsMissingOnes() {
    String a = uniq("get-a");
    String b = uniq("get-b");
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(a), "v", n(1), "w", n(2))));
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(b), "v", n(3), "w", n(4))));

    assertThat(batchGet(List.of(a, b, uniq("missing")), "v"))
        .containsExactlyInAnyOrder(item("v", n(1)), item("v", n(3)));
  }

  @Test
  void batchGetWithDuplicateKeysIsRefused() {
    String pk = uniq("dupget");
    expectValidation("duplicates", () -> batchGet(List.of(pk, pk), null));
  }

  @Test
  void batchGetOfMoreThanOneHundredKeysIsRefused() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      keys.add(uniq("k" + i));
    }
    expectError("ValidationException", () -> batchGet(keys, null));
  }

  @Test
  void batchWriteOfAnUnknownTableFailsWithResourceNotFound() {
    Map<String, List<WriteRequest>> writes = new HashMap<>();
    writes.put(tableName("no-such-table"), List.of(put(item("pk", s("x")))));
    expectError("ResourceNotFoundException", () -> ddb.batchWriteItem(b -> b.requestItems(writes)));
  }
}
