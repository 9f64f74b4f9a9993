package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Query on the table and a sparse GSI; Scan with filters, paging and parallel segments. The class
 * seeds one partition: sort keys {@code item#00}..{@code item#09} (n = 0..9) and {@code other#1} (n
 * = 100); items 0..8 carry the index key (gpk, gsk = n % 3: ties), item 9 does not.
 */
class QueryScanConformanceTest extends ConformanceTestBase {

  private static final String GSI = "gsi";
  private static final List<String> ALL_SK =
      List.of(
          "item#00", "item#01", "item#02", "item#03", "item#04", "item#05", "item#06", "item#07",
          "item#08", "item#09", "other#1");

  private String table;
  private String partition;
  private String indexPartition;

  @Override
  protected void createTables() {
    table = tableName("qs");
    createTable(
        CreateTableRequest.builder()
            .tableName(table)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(
                attr("pk", ScalarAttributeType.S),
                attr("sk", ScalarAttributeType.S),
                attr("gpk", ScalarAttributeType.S),
                attr("gsk", ScalarAttributeType.N))
            .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
            .globalSecondaryIndexes(
                GlobalSecondaryIndex.builder()
                    .indexName(GSI)
                    .keySchema(key("gpk", KeyType.HASH), key("gsk", KeyType.RANGE))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build())
            .build());
    partition = uniq("p");
    indexPartition = uniq("g");
    for (int i = 0; i < 10; i++) {
      Map<String, AttributeValue> it =
          item(
              "pk", s(partition),
              "sk", s(String.format("item#%02d", i)),
              "n", n(i),
              "even", bool(i % 2 == 0));
      if (i < 9) {
        it.put("gpk", s(indexPartition));
        it.put("gsk", n(i % 3));
      }
      ddb.putItem(b -> b.tableName(table).item(it));
    }
    ddb.putItem(
        b ->
            b.tableName(table)
                .item(
                    item("pk", s(partition), "sk", s("other#1"), "n", n(100), "even", bool(true))));
    eventually(() -> assertThat(queryIndex(q -> q).count()).isEqualTo(9));
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private QueryResponse query(
      String keyCondition,
      Map<String, AttributeValue> values,
      Function<QueryRequest.Builder, QueryRequest.Builder> more) {
    Map<String, AttributeValue> all = new java.util.HashMap<>(values);
    all.put(":p", s(partition));
    return ddb.query(
        more.apply(
                QueryRequest.builder()
                    .tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression(keyCondition)
                    .expressionAttributeValues(all))
            .build());
  }

  private QueryResponse queryIndex(Function<QueryRequest.Builder, QueryRequest.Builder> more) {
    return ddb.query(
        more.apply(
                QueryRequest.builder()
                    .tableName(table)
                    .indexName(GSI)
                    .keyConditionExpression("gpk = :g")
                    .expressionAttributeValues(Map.of(":g", s(indexPartition))))
            .build());
  }

  private static List<String> sks(List<Map<String, AttributeValue>> items) {
    return items.stream().map(i -> i.get("sk").s()).toList();
  }

  @Test
  void queryReturnsThePartitionInSortKeyOrder() {
    QueryResponse r = query("pk = :p", Map.of(), q -> q);
    assertThat(sks(r.items())).containsExactlyElementsOf(ALL_SK);
    assertThat(r.count()).isEqualTo(11);
    assertThat(r.scannedCount()).isEqualTo(11);
    assertThat(r.hasLastEvaluatedKey()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sk = :a | item#03",
        "sk < :a | item#00 item#01 item#02",
        "sk <= :a | item#00 item#01 item#02 item#03",
        "sk > :b | item#07 item#08 item#09 other#1",
        "sk >= :b | item#06 item#07 item#08 item#09 other#1",
        "sk BETWEEN :a AND :b | item#03 item#04 item#05 item#06",
        "begins_with(sk, :o) | other#1",
        "begins_with(sk, :pre) | item#00 item#01 item#02 item#03 item#04 item#05 item#06 item#07"
            + " item#08 item#09"
      })
  void sortKeyConditionsSelectTheDocumentedRange(String condition, String expected) {
    Map<String, AttributeValue> values =
        ExpressionSupport.values(
            item(":a", s("item#03"), ":b", s("item#06"), ":o", s("other"), ":pre", s("item#0")),
            condition);
    QueryResponse r = query("pk = :p AND " + condition, values, q -> q);
    assertThat(sks(r.items())).containsExactly(expected.split(" "));
  }

  @Test
  void scanIndexForwardFalseReversesTheOrder() {
    QueryResponse r = query("pk = :p", Map.of(), q -> q.scanIndexForward(false));
    List<String> reversed = new ArrayList<>(ALL_SK);
    java.util.Collections.reverse(reversed);
    assertThat(sks(r.items())).containsExactlyElementsOf(reversed);
  }

  @Test
  void filterApplysAfterTheKeyConditionAndCountsDiffer() {
    QueryResponse r =
        query(
            "pk = :p",
            Map.of(":t", bool(true), ":five", n(5)),
            q -> q.filterExpression("even = :t AND n < :five"));
    assertThat(sks(r.items())).containsExactly("item#00", "item#02", "item#04");
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.scannedCount()).isEqualTo(11);
  }

  @Test
  void limitAppliesBeforeTheFilter() {
    QueryResponse r =
        query("pk = :p", Map.of(":t", bool(true)), q -> q.limit(4).filterExpression("even = :t"));
    assertThat(sks(r.items())).containsExactly("item#00", "item#02");
    assertThat(r.count()).isEqualTo(2);
    assertThat(r.scannedCount()).isEqualTo(4);
    assertThat(r.lastEvaluatedKey()).isEqualTo(item("pk", s(partition), "sk", s("item#03")));
  }

  @Test
  void pagingWithExclusiveStartKeyVisitsEveryItemOnce() {
    List<String> seen = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    int pages = 0;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse r = query("pk = :p", Map.of(), q -> q.limit(3).exclusiveStartKey(from));
      assertThat(r.count()).isLessThanOrEqualTo(3);
      seen.addAll(sks(r.items()));
      start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
      pages++;
    } while (start != null && pages < 20);
    assertThat(seen).containsExactlyElementsOf(ALL_SK);
    assertThat(pages).isBetween(4, 5);
  }

  @Test
  void selectCountReturnsTheCountWithoutItems() {
    QueryResponse r = query("pk = :p", Map.of(), q -> q.select(Select.COUNT));
    assertThat(r.count()).isEqualTo(11);
    assertThat(r.hasItems()).isFalse();
  }

  @Test
  void queryProjectionReturnsOnlyTheNamedAttributes() {
    QueryResponse r =
        query("pk = :p AND sk = :s", Map.of(":s", s("item#01")), q -> q.projectionExpression("n"));
    assertThat(r.items()).containsExactly(item("n", n(1)));
  }

  @Test
  void indexQueryOrdersBySortKeyAndKeepsEveryTie() {
    QueryResponse r = queryIndex(q -> q);
    List<Map<String, AttributeValue>> items = r.items();
    assertThat(items).hasSize(9);
    List<Integer> gsk = items.stream().map(i -> Integer.parseInt(i.get("gsk").n())).toList();
    assertThat(gsk).isSorted();
    for (int k = 0; k < 3; k++) {
      int key = k;
      assertThat(
              items.stream()
                  .filter(i -> i.get("gsk").n().equals(Integer.toString(key)))
                  .map(i -> i.get("sk").s()))
          .containsExactlyInAnyOrder(
              IntStream.range(0, 9)
                  .filter(i -> i % 3 == key)
                  .mapToObj(i -> String.format("item#%02d", i))
                  .toArray(String[]::new));
    }
  }

  @Test
  void sparseIndexLeavesOutItemsWithoutTheIndexKey() {
    assertThat(sks(queryIndex(q -> q).items())).doesNotContain("item#09", "other#1");
    ScanResponse scan = ddb.scan(b -> b.tableName(table).indexName(GSI));
    assertThat(scan.count()).isEqualTo(9);
  }

  @Test
  void indexPagingReturnsTableAndIndexKeysInLastEvaluatedKey() {
    QueryResponse first = queryIndex(q -> q.limit(2));
    assertThat(first.lastEvaluatedKey().keySet())
        .containsExactlyInAnyOrder("pk", "sk", "gpk", "gsk");
    Map<String, AttributeValue> last = first.items().get(1);
    assertThat(first.lastEvaluatedKey())
        .isEqualTo(
            item(
                "pk",
                last.get("pk"),
                "sk",
                last.get("sk"),
                "gpk",
                last.get("gpk"),
                "gsk",
                last.get("gsk")));

    List<String> seen = new ArrayList<>(sks(first.items()));
    Map<String, AttributeValue> start = first.lastEvaluatedKey();
    int pages = 1;
    while (start != null && pages < 20) {
      Map<String, AttributeValue> from = start;
      QueryResponse r = queryIndex(q -> q.limit(2).exclusiveStartKey(from));
      seen.addAll(sks(r.items()));
      start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
      pages++;
    }
    assertThat(seen).hasSize(9).doesNotHaveDuplicates();
  }

  @Test
  void indexQueryDescendingReversesTheIndexOrder() {
    List<Integer> gsk =
        queryIndex(q -> q.scanIndexForward(false)).items().stream()
            .map(i -> Integer.parseInt(i.get("gsk").n()))
            .toList();
    assertThat(gsk).hasSize(9).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void consistentReadOnAGlobalIndexIsRefused() {
    expectValidation("consistent read", () -> queryIndex(q -> q.consistentRead(true)));
  }

  @Test
  void keyConditionWithoutPartitionEqualityIsRefused() {
    expectError(
        "ValidationException",
        () ->
            ddb.query(
                b ->
                    b.tableName(table)
                        .keyConditionExpression("sk = :s")
                        .expressionAttributeValues(Map.of(":s", s("item#01")))));
  }

  @Test
  void keyConditionOnANonKeyAttributeIsRefused() {
    expectError(
        "ValidationException", () -> query("pk = :p AND n = :one", Map.of(":one", n(1)), q -> q));
  }

  @Test
  void scanFiltersTheWholeTable() {
    ScanResponse r =
        ddb.scan(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .filterExpression("pk = :p AND n >= :five")
                    .expressionAttributeValues(Map.of(":p", s(partition), ":five", n(5))));
    assertThat(sks(r.items()))
        .containsExactlyInAnyOrder(
            "item#05", "item#06", "item#07", "item#08", "item#09", "other#1");
    assertThat(r.scannedCount()).isGreaterThanOrEqualTo(11);
  }

  @Test
  void scanPagingVisitsEveryItemOnce() {
    List<String> seen = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    int pages = 0;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse r =
          ddb.scan(b -> b.tableName(table).consistentRead(true).limit(4).exclusiveStartKey(from));
      assertThat(r.scannedCount()).isLessThanOrEqualTo(4);
      seen.addAll(sks(r.items()));
      start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
      pages++;
    } while (start != null && pages < 100);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ALL_SK);
  }

  @Test
  void parallelScanSegmentsCoverEveryItemExactlyOnce() {
    List<String> seen = new ArrayList<>();
    int total = 4;
    for (int segment = 0; segment < total; segment++) {
      int seg = segment;
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        ScanRequest req =
            ScanRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .segment(seg)
                .totalSegments(total)
                .limit(3)
                .exclusiveStartKey(from)
                .build();
        ScanResponse r = ddb.scan(req);
        seen.addAll(sks(r.items()));
        start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
      } while (start != null);
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ALL_SK);
    Set<String> unique = new HashSet<>(seen);
    assertThat(unique).hasSameSizeAs(seen);
  }

  @Test
  void segmentWithoutTotalSegmentsIsRefused() {
    expectError("ValidationException", () -> ddb.scan(b -> b.tableName(table).segment(0)));
    expectError(
        "ValidationException", () -> ddb.scan(b -> b.tableName(table).segment(4).totalSegments(4)));
  }
}
