package dev.runfleet.orchestrators.reconcile;

import static dev.runfleet.aws.JobsTable.n;
import static dev.runfleet.aws.JobsTable.s;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.port.GitHubDeliveries.RedeliverResult;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.orchestrators.di.TableName;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@link RedeliveryStore} on the jobs table: one progress item written conditionally on its
 * version, and one small item per guid asked for, removed by TTL once GitHub could no longer
 * redeliver it anyway.
 */
@Singleton
public final class DynamoDbRedeliveryStore implements RedeliveryStore {

  static final String WATERMARK = "watermark";
  static final String SCAN_TOP = "scanTop";
  static final String CURSOR = "cursor";
  static final String OUTCOME = "outcome";

  /** Longer than GitHub's redelivery window: past it a guid is never asked for again anyway. */
  static final Duration ASKED_RETENTION = LostWebhooks.REDELIVERY_WINDOW.plusDays(1);

  private final DynamoDbClient dynamo;
  private final String table;

  @Inject
  public DynamoDbRedeliveryStore(DynamoDbClient dynamo, @TableName String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Progress progress() {
    Map<String, AttributeValue> item = get(JobsTable.redeliveryScanKey(), "redelivery progress");
    if (item.isEmpty()) {
      return Progress.NONE;
    }
    return new Progress(
        instant(item, WATERMARK),
        instant(item, SCAN_TOP),
        item.containsKey(CURSOR) ? JobsTable.str(item, CURSOR) : null,
        JobsTable.num(item, JobsTable.VERSION));
  }

  @Override
  public boolean saveProgress(Progress read, Progress next) {
    Map<String, AttributeValue> item = new HashMap<>(JobsTable.redeliveryScanKey());
    item.put(JobsTable.VERSION, n(read.version() + 1));
    putInstant(item, WATERMARK, next.watermark());
    putInstant(item, SCAN_TOP, next.scanTop());
    if (next.cursor() != null) {
      item.put(CURSOR, s(next.cursor()));
    }
    PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
    if (read.version() == 0) {
      put.conditionExpression("attribute_not_exists(#v)")
          .expressionAttributeNames(Map.of("#v", JobsTable.VERSION));
    } else {
      put.conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", JobsTable.VERSION))
          .expressionAttributeValues(Map.of(":v", n(read.version())));
    }
    try {
      dynamo.putItem(put.build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "redelivery progress could not be written: " + AwsErrors.describe(e), e);
    }
  }

  @Override
  public boolean asked(String guid) {
    return !get(JobsTable.redeliveryAskedKey(guid), "redelivery of " + guid).isEmpty();
  }

  @Override
  public void rememberAsked(String guid, RedeliverResult outcome, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(JobsTable.redeliveryAskedKey(guid));
    item.put(OUTCOME, s(outcome.name()));
    item.put(JobsTable.TTL, n(now.plus(ASKED_RETENTION).getEpochSecond()));
    try {
      dynamo.putItem(b -> b.tableName(table).item(item));
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "redelivery of " + guid + " could not be noted: " + AwsErrors.describe(e), e);
    }
  }

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key, String what) {
    try {
      return dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
    } catch (SdkException e) {
      throw new StoreUnavailableException(what + " could not be read: " + AwsErrors.describe(e), e);
    }
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Instant.ofEpochMilli(JobsTable.num(item, name)) : null;
  }

  private static void putInstant(Map<String, AttributeValue> item, String name, Instant at) {
    if (at != null) {
      item.put(name, n(at.toEpochMilli()));
    }
  }
}
