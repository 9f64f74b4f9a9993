package dev.runfleet.emulators.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

class QueryScanTest extends EmulatorFixture {

  private String table;

  @BeforeAll
  void fill() {
    table = unique("query");
    createTable(table);
    for (int i = 0; i < 20; i++) {
      Map<String, AttributeValue> item = new HashMap<>(key("p", String.format("s%02d", i)));
      item.put("n", n(i));
      if (i % 2 == 0) {
        // Sparse index: only even items carry the index keys; equal gsk values tie-break by key.
        item.put("gpk", s("even"));
        item.put("gsk", n(i / 4));
      }
      ddb.putItem(r -> r.tableName(table).item(item));
    }
    ddb.putItem(r -> r.tableName(table).item(key("other", "x")));
  }

  private QueryResponse query(QueryRequest.Builder b) {
    return ddb.query(b.tableName(table).build());
  }

  /** Every page of a query from the first on, until no LastEvaluatedKey. */
  private List<QueryResponse> pages(QueryRequest.Builder b) {
    List<QueryResponse> pages = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = query(b.exclusiveStartKey(start));
      pages.add(page);
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return pages;
  }

  private static List<String> sks(List<Map<String, AttributeValue>> items) {
    return items.stream().map(i -> i.get("sk").s()).toList();
  }

  @Test
  void keyConditionsSelectRanges() {
    var between =
        query(
            QueryRequest.builder()
                .keyConditionExpression("pk = :p AND sk BETWEEN :a AND :b")
                .expressionAttributeValues(Map.of(":p", s("p"), ":a", s("s03"), ":b", s("s05"))));
    assertThat(sks(between.items())).containsExactly("s03", "s04", "s05");
    var prefix =
        query(
            QueryRequest.builder()
                .keyConditionExpression("pk = :p AND begins_with(sk, :x)")
                .expressionAttributeValues(Map.of(":p", s("p"), ":x", s("s1")))
                .scanIndexForward(false));
    assertThat(sks(prefix.items()))
        .containsExactly("s19", "s18", "s17", "s16", "s15", "s14", "s13", "s12", "s11", "s10");
    var less =
        query(
            QueryRequest.builder()
                .keyConditionExpression("pk = :p AND sk < :x")
                .expressionAttributeValues(Map.of(":p", s("p"), ":x", s("s02"))));
    assertThat(sks(less.items())).containsExactly("s00", "s01");
  }

  @Test
  void limitCountsItemsBeforeTheFilterAndPagesResume() {
    List<QueryResponse> pages =
        pages(
            QueryRequest.builder()
                .keyConditionExpression("pk = :p")
                .filterExpression("n >= :min")
                .expressionAttributeValues(Map.of(":p", s("p"), ":min", n(10)))
                .limit(6));
    assertThat(pages)
        .hasSize(4)
        .allSatisfy(p -> assertThat(p.scannedCount()).isLessThanOrEqualTo(6));
    List<String> seen = pages.stream().flatMap(p -> sks(p.items()).stream()).toList();
    assertThat(seen).hasSize(10).first().isEqualTo("s10");

    var count =
        query(
            QueryRequest.builder()
                .keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p")))
                .select(Select.COUNT));
    assertThat(count.count()).isEqualTo(20);
    assertThat(count.items()).isEmpty();
  }

  @Test
  void sparseIndexHoldsOnlyItemsWithItsKeysInIndexThenTableOrder() {
    List<QueryResponse> pages =
        pages(
            QueryRequest.builder()
                .indexName("by-x")
                .keyConditionExpression("gpk = :g")
                .expressionAttributeValues(Map.of(":g", s("even")))
                .limit(4));
    assertThat(pages.get(0).lastEvaluatedKey()).containsOnlyKeys("pk", "sk", "gpk", "gsk");
    List<String> seen = pages.stream().flatMap(p -> sks(p.items()).stream()).toList();
    assertThat(seen)
        .containsExactly("s00", "s02", "s04", "s06", "s08", "s10", "s12", "s14", "s16", "s18");
  }

  @Test
  void scanPagesAndSegmentsCoverEveryItemOnce() {
    List<String> all = new ArrayList<>();
    for (int segment = 0; segment < 3; segment++) {
      int seg = segment;
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        ScanResponse page =
            ddb.scan(
                r ->
                    r.tableName(table)
                        .segment(seg)
                        .totalSegments(3)
                        .limit(7)
                        .exclusiveStartKey(from));
        all.addAll(sks(page.items()));
        start =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
      } while (start != null);
    }
    assertThat(all).hasSize(21).doesNotHaveDuplicates();
    var projected =
        ddb.scan(
            r ->
                r.tableName(table)
                    .projectionExpression("sk")
                    .filterExpression("attribute_exists(gpk)"));
    assertThat(projected.count()).isEqualTo(10);
    assertThat(projected.scannedCount()).isEqualTo(21);
    assertThat(projected.items()).allSatisfy(i -> assertThat(i).containsOnlyKeys("sk"));
  }

  @Test
  void pagesStopAtOneMegabyte() {
    String big = unique("big");
    createTable(big);
    String payload = "x".repeat(100_000);
    for (int i = 0; i < 15; i++) {
      int k = i;
      ddb.putItem(
          r ->
              r.tableName(big)
                  .item(Map.of("pk", s("p"), "sk", s("k" + (100 + k)), "d", s(payload))));
    }
    var first =
        ddb.query(
            r ->
                r.tableName(big)
                    .keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p"))));
    assertThat(first.count()).isBetween(10, 11);
    assertThat(first.lastEvaluatedKey()).isNotEmpty();
  }
}
