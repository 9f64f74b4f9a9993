package dev.runfleet.local.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A DynamoDB client that counts each call by operation, and by the label its thread set (the
 * webhook's kind), then passes it on. Only the calls the producer makes are passed on; any other
 * call fails loudly (the interface's default), so a change in what the producer calls cannot go
 * uncounted.
 */
final class CountingDynamoDb implements DynamoDbClient {

  private static final ThreadLocal<String> LABEL = ThreadLocal.withInitial(() -> "");

  private final DynamoDbClient delegate;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  CountingDynamoDb(DynamoDbClient delegate) {
    this.delegate = delegate;
  }

  /**
   * A table that holds none of the items asked for and takes every write: what the real table
   * answers a producer whose every webhook is a new delivery of a new job. Nothing is marshalled.
   */
  static CountingDynamoDb stub() {
    return new CountingDynamoDb(
        new DynamoDbClient() {
          @Override
          public GetItemResponse getItem(GetItemRequest request) {
            return GetItemResponse.builder().build();
          }

          @Override
          public PutItemResponse putItem(PutItemRequest request) {
            return PutItemResponse.builder().build();
          }

          @Override
          public UpdateItemResponse updateItem(UpdateItemRequest request) {
            return UpdateItemResponse.builder().build();
          }

          @Override
          public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            return TransactWriteItemsResponse.builder().build();
          }

          @Override
          public String serviceName() {
            return SERVICE_NAME;
          }

          @Override
          public void close() {}
        });
  }

  /** Labels this thread's next calls (the kind of the webhook it handles). */
  static void label(String label) {
    LABEL.set(label);
  }

  /** Calls so far, keyed {@code operation} and {@code label/operation}. */
  Map<String, Long> calls() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((key, n) -> out.put(key, n.sum()));
    return out;
  }

  void reset() {
    calls.clear();
  }

  private void count(String operation) {
    calls.computeIfAbsent(operation, op -> new LongAdder()).increment();
    calls.computeIfAbsent(LABEL.get() + "/" + operation, op -> new LongAdder()).increment();
  }

  @Override
  public GetItemResponse getItem(GetItemRequest request) {
    count("GetItem");
    return delegate.getItem(request);
  }

  @Override
  public PutItemResponse putItem(PutItemRequest request) {
    count("PutItem");
    return delegate.putItem(request);
  }

  @Override
  public UpdateItemResponse updateItem(UpdateItemRequest request) {
    count("UpdateItem");
    return delegate.updateItem(request);
  }

  @Override
  public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
    count("TransactWriteItems");
    return delegate.transactWriteItems(request);
  }

  @Override
  public String serviceName() {
    return delegate.serviceName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
