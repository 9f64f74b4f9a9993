package dev.runfleet.local.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts the DynamoDB calls a client makes and the time they take, by operation, and the capacity
 * they consumed: the publisher's requests are asked to return their consumed capacity, which costs
 * the caller nothing but a few response bytes. Calls that fail (a cancelled transaction) are
 * counted and timed, without capacity.
 */
final class CallCounter implements ExecutionInterceptor {

  private static final ExecutionAttribute<Long> STARTED =
      new ExecutionAttribute<>("RunfleetBenchStarted");

  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final DoubleAdder capacity = new DoubleAdder();
  private final LongAdder withCapacity = new LongAdder();

  /**
   * Totals at one instant; subtract two to get what happened between them.
   *
   * @param calls calls by operation
   * @param nanos time spent in calls by operation, from the SDK's start to its end (the round trip
   *     and the emulator's work)
   * @param capacityUnits consumed capacity reported
   * @param callsWithCapacity how many capacity reports were received
   */
  record Snapshot(
      Map<String, Long> calls,
      Map<String, Long> nanos,
      double capacityUnits,
      long callsWithCapacity) {

    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0, 0);

    Snapshot {
      calls = Map.copyOf(calls);
      nanos = Map.copyOf(nanos);
    }

    long total() {
      return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Calls per job, by operation. */
    Map<String, Double> callsPer(int jobs) {
      return per(calls, jobs, 1);
    }

    /** Milliseconds in calls per job, by operation. */
    Map<String, Double> millisPer(int jobs) {
      return per(nanos, jobs, 1e6);
    }

    private static Map<String, Double> per(Map<String, Long> totals, int jobs, double unit) {
      Map<String, Double> out = new TreeMap<>();
      totals.forEach((op, n) -> out.put(op, Rates.round(n / unit / jobs, 3)));
      return out;
    }

    Snapshot minus(Snapshot earlier) {
      return combine(earlier, -1);
    }

    Snapshot plus(Snapshot other) {
      return combine(other, 1);
    }

    private Snapshot combine(Snapshot other, int sign) {
      return new Snapshot(
          combine(calls, other.calls, sign),
          combine(nanos, other.nanos, sign),
          capacityUnits + sign * other.capacityUnits,
          callsWithCapacity + sign * other.callsWithCapacity);
    }

    private static Map<String, Long> combine(
        Map<String, Long> mine, Map<String, Long> theirs, int sign) {
      Map<String, Long> out = new TreeMap<>(mine);
      theirs.forEach((op, n) -> out.merge(op, sign * n, Long::sum));
      out.values().removeIf(n -> n == 0);
      return out;
    }
  }

  Snapshot snapshot() {
    return new Snapshot(sums(calls), sums(nanos), capacity.sum(), withCapacity.sum());
  }

  private static Map<String, Long> sums(Map<String, LongAdder> adders) {
    Map<String, Long> out = new TreeMap<>();
    adders.forEach((op, n) -> out.put(op, n.sum()));
    return out;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    calls.computeIfAbsent(operation(attributes), op -> new LongAdder()).increment();
    attributes.putAttribute(STARTED, System.nanoTime());
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    timed(attributes);
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    if (request instanceof GetItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    if (request instanceof QueryRequest r) {
      return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    if (request instanceof UpdateItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    if (request instanceof TransactWriteItemsRequest r) {
      return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    return request;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    timed(attributes);
    Object response = context.response();
    if (response instanceof GetItemResponse r) {
      add(r.consumedCapacity());
    } else if (response instanceof QueryResponse r) {
      add(r.consumedCapacity());
    } else if (response instanceof UpdateItemResponse r) {
      add(r.consumedCapacity());
    } else if (response instanceof TransactWriteItemsResponse r && r.hasConsumedCapacity()) {
      r.consumedCapacity().forEach(this::add);
    }
  }

  private void timed(ExecutionAttributes attributes) {
    Long started = attributes.getAttribute(STARTED);
    if (started != null) {
      nanos
          .computeIfAbsent(operation(attributes), op -> new LongAdder())
          .add(System.nanoTime() - started);
    }
  }

  private static String operation(ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }

  private void add(ConsumedCapacity consumed) {
    if (consumed != null && consumed.capacityUnits() != null) {
      capacity.add(consumed.capacityUnits());
      withCapacity.increment();
    }
  }
}
