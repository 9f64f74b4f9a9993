package dev.runfleet.emulators.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.JobsTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class TablesAndWireTest extends EmulatorFixture {

  @Test
  void jobsTableIsCreatableAndDescribed() {
    String name = unique("jobs");
    var description = ddb.createTable(JobsTable.createTableRequest(name)).tableDescription();
    assertThat(description.tableStatus()).isEqualTo(TableStatus.ACTIVE);
    var table = ddb.describeTable(r -> r.tableName(name)).table();
    assertThat(table.latestStreamArn()).contains("/stream/");
    assertThat(table.latestStreamLabel()).isNotBlank();
    assertThat(table.globalSecondaryIndexes())
        .allSatisfy(i -> assertThat(i.indexStatus()).isEqualTo(IndexStatus.ACTIVE));
    assertThat(table.itemCount()).isZero();
    ddb.putItem(r -> r.tableName(name).item(JobsTable.launchBudgetKey()));
    assertThat(ddb.describeTable(r -> r.tableName(name)).table().itemCount()).isEqualTo(1);
    assertThatThrownBy(() -> ddb.createTable(JobsTable.createTableRequest(name)))
        .isInstanceOf(ResourceInUseException.class);
  }

  @Test
  void listUpdateAndDeleteTables() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      names.add("list-" + i + "-" + unique("t"));
      createTable(names.get(i));
    }
    var first = ddb.listTables(r -> r.exclusiveStartTableName("list-").limit(2));
    assertThat(first.tableNames()).containsExactly(names.get(0), names.get(1));
    assertThat(first.lastEvaluatedTableName()).isEqualTo(names.get(1));

    String name = names.get(2);
    var enabled =
        ddb.updateTable(
            r ->
                r.tableName(name)
                    .streamSpecification(
                        s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
    String arn = enabled.tableDescription().latestStreamArn();
    assertThat(arn).isNotNull();
    ddb.updateTable(r -> r.tableName(name).streamSpecification(s -> s.streamEnabled(false)));
    assertThat(
            streams
                .describeStream(r -> r.streamArn(arn))
                .streamDescription()
                .streamStatusAsString())
        .isEqualTo("DISABLED");

    ddb.deleteTable(r -> r.tableName(name));
    assertThatThrownBy(() -> ddb.describeTable(r -> r.tableName(name)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void createTableValidation() {
    assertThatThrownBy(
            () ->
                ddb.createTable(
                    r ->
                        r.tableName(unique("bad"))
                            .billingMode("PAY_PER_REQUEST")
                            .attributeDefinitions(a -> a.attributeName("x").attributeType("S"))
                            .keySchema(k -> k.attributeName("pk").keyType("HASH"))))
        .isInstanceOfSatisfying(
            DynamoDbException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void wireErrorsForUnknownTargetsAndBadJson() {
    DynamoDbApi api = server.api();
    var unknown = api.handle("DynamoDB_20120810.Frobnicate", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(new String(unknown.body(), StandardCharsets.UTF_8))
        .contains("UnknownOperationException");
    var malformed =
        api.handle("DynamoDB_20120810.GetItem", "{nope".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(malformed.body(), StandardCharsets.UTF_8))
        .contains("SerializationException");
    var legacy =
        api.handle(
            "DynamoDB_20120810.Scan",
            "{\"TableName\":\"x\",\"ScanFilter\":{}}".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(legacy.body(), StandardCharsets.UTF_8))
        .contains("ScanFilter is not supported by the runfleet emulator; use expressions");
  }

  @Test
  void concurrentConditionalIncrementsLoseNothing() throws Exception {
    String table = unique("counter");
    createTable(table);
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("c"), "sk", s("c"), "v", n(0))));
    int threads = 8;
    int perThread = 25;
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; ) {
                    var current =
                        ddb.getItem(r -> r.tableName(table).key(key("c", "c"))).item().get("v");
                    try {
                      ddb.updateItem(
                          r ->
                              r.tableName(table)
                                  .key(key("c", "c"))
                                  .updateExpression("SET v = v + :one")
                                  .conditionExpression("v = :seen")
                                  .expressionAttributeValues(
                                      Map.of(":one", n(1), ":seen", current)));
                      i++;
                    } catch (ConditionalCheckFailedException e) {
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    var value = ddb.getItem(r -> r.tableName(table).key(key("c", "c"))).item().get("v");
    assertThat(value.n()).isEqualTo(Integer.toString(threads * perThread));
  }

  @Test
  void transactionsKeepAnInvariantUnderContention() throws Exception {
    String table = unique("bank");
    createTable(table);
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("a"), "sk", s("acct"), "v", n(100))));
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", s("b"), "sk", s("acct"), "v", n(100))));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        String from = t % 2 == 0 ? "a" : "b";
        String to = t % 2 == 0 ? "b" : "a";
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 30; i++) {
                    try {
                      ddb.transactWriteItems(
                          r ->
                              r.transactItems(
                                  TransactWriteItem.builder()
                                      .update(
                                          u ->
                                              u.tableName(table)
                                                  .key(key(from, "acct"))
                                                  .updateExpression("SET v = v - :x")
                                                  .conditionExpression("v >= :x")
                                                  .expressionAttributeValues(Map.of(":x", n(7))))
                                      .build(),
                                  TransactWriteItem.builder()
                                      .update(
                                          u ->
                                              u.tableName(table)
                                                  .key(key(to, "acct"))
                                                  .updateExpression("SET v = v + :x")
                                                  .expressionAttributeValues(Map.of(":x", n(7))))
                                      .build()));
                    } catch (TransactionCanceledException e) {
                      // insufficient funds: the invariant still holds
                    }
                    var items =
                        ddb.transactGetItems(
                            r ->
                                r.transactItems(
                                    g -> g.get(x -> x.tableName(table).key(key("a", "acct"))),
                                    g -> g.get(x -> x.tableName(table).key(key("b", "acct")))));
                    int sum =
                        items.responses().stream()
                            .mapToInt(ir -> Integer.parseInt(ir.item().get("v").n()))
                            .sum();
                    assertThat(sum).isEqualTo(200);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
