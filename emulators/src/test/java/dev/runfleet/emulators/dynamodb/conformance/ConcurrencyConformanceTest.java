package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/** Optimistic concurrency and transactions under contention. */
class ConcurrencyConformanceTest extends ConformanceTestBase {

  private static final int THREADS = 8;

  private String table;

  @Override
  protected void createTables() {
    table = tableName("conc");
    createTable(keyedTable(table, false, null).build());
  }

  private Map<String, AttributeValue> get(String pk) {
    return ddb.getItem(b -> b.tableName(table).key(item("pk", s(pk))).consistentRead(true)).item();
  }

  @Test
  void conditionalIncrementsFromEightThreadsLoseNothing() throws Exception {
    String pk = uniq("counter");
    ddb.putItem(b -> b.tableName(table).item(item("pk", s(pk), "n", n(0), "version", n(0))));
    int perThread = target.slow() ? 5 : 25;
    AtomicInteger conflicts = new AtomicInteger();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    while (true) {
                      String version = get(pk).get("version").n();
                      try {
                        ddb.updateItem(
                            b ->
                                b.tableName(table)
                                    .key(item("pk", s(pk)))
                                    .updateExpression("SET n = n + :one, version = version + :one")
                                    .conditionExpression("version = :v")
                                    .expressionAttributeValues(
                                        item(":one", n(1), ":v", n(version))));
                        break;
                      } catch (ConditionalCheckFailedException e) {
                        conflicts.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    Map<String, AttributeValue> item = get(pk);
    assertThat(item.get("n")).isEqualTo(n(THREADS * perThread));
    assertThat(item.get("version")).isEqualTo(n(THREADS * perThread));
  }

  @Test
  void concurrentTransfersKeepTheTwoItemInvariant() throws Exception {
    String a = uniq("acct-a");
    String b = uniq("acct-b");
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(a), "bal", n(100))));
    ddb.putItem(x -> x.tableName(table).item(item("pk", s(b), "bal", n(100))));
    int perThread = target.slow() ? 3 : 15;
    AtomicInteger done = new AtomicInteger();
    List<Long> observedSums = new java.util.concurrent.CopyOnWriteArrayList<>();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        boolean aToB = t % 2 == 0;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    long amount = ThreadLocalRandom.current().nextLong(1, 10);
                    transfer(aToB ? a : b, aToB ? b : a, amount);
                    done.incrementAndGet();
                  }
                  return null;
                }));
      }
      Future<?> reader =
          pool.submit(
              () -> {
                while (done.get() < THREADS * perThread) {
                  try {
                    List<ItemResponse> r =
                        ddb.transactGetItems(
                                x ->
                                    x.transactItems(
                                        TransactGetItem.builder()
                                            .get(g -> g.tableName(table).key(item("pk", s(a))))
                                            .build(),
                                        TransactGetItem.builder()
                                            .get(g -> g.tableName(table).key(item("pk", s(b))))
                                            .build()))
                            .responses();
                    observedSums.add(
                        Long.parseLong(r.get(0).item().get("bal").n())
                            + Long.parseLong(r.get(1).item().get("bal").n()));
                  } catch (TransactionCanceledException | TransactionConflictException e) {
                    // a conflicting write: read again
                  }
                }
                return null;
              });
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
      reader.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }

    long balA = Long.parseLong(get(a).get("bal").n());
    long balB = Long.parseLong(get(b).get("bal").n());
    assertThat(balA + balB).isEqualTo(200);
    assertThat(balA).isNotNegative();
    assertThat(balB).isNotNegative();
    assertThat(observedSums).allMatch(sum -> sum == 200);
  }

  /** Moves {@code amount} unless the source would go negative; retries on conflicts. */
  private void transfer(String from, String to, long amount) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      try {
        ddb.transactWriteItems(
            x ->
                x.transactItems(
                    TransactWriteItem.builder()
                        .update(
                            u ->
                                u.tableName(table)
                                    .key(item("pk", s(from)))
                                    .updateExpression("SET bal = bal - :amt")
                                    .conditionExpression("bal >= :amt")
                                    .expressionAttributeValues(item(":amt", n(amount))))
                        .build(),
                    TransactWriteItem.builder()
                        .update(
                            u ->
                                u.tableName(table)
                                    .key(item("pk", s(to)))
                                    .updateExpression("SET bal = bal + :amt")
                                    .expressionAttributeValues(item(":amt", n(amount))))
                        .build()));
        return;
      } catch (TransactionCanceledException e) {
        boolean insufficient =
            e.cancellationReasons().stream()
                .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
        if (insufficient) {
          return; // not enough money: a legitimate refusal
        }
      } catch (TransactionConflictException e) {
        // retry
      }
    }
    throw new AssertionError("transfer never got through");
  }
}
