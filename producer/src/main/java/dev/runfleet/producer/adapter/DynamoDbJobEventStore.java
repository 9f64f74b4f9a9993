package dev.runfleet.producer.adapter;

import static dev.runfleet.aws.JobsTable.n;
import static dev.runfleet.aws.JobsTable.s;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.ItemSize;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.Admission;
import dev.runfleet.common.domain.EventKind;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.common.port.JobEventStore;
import dev.runfleet.common.port.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The job event log and projection in the jobs table. One append is one transaction of up to three
 * conditional puts: the delivery (once per {@code X-GitHub-Delivery}), the event (once per job
 * attempt and kind) and, when the event changes it, the job projection (optimistic on its version).
 * Either all land or none does, so a duplicate never moves a job and a job never moves without its
 * event on record.
 *
 * <p>The fold needs the job as stored. A {@code queued} event almost always opens its job, so it is
 * written at once as if the job were new (put only if absent): one call. Any other event reads the
 * job first, since its job is normally on file and other writers (the publisher) move it. A job put
 * whose condition fails returns the job as it is then ({@code ALL_OLD}), so the next attempt folds
 * on that without reading again. Every recorded event is one write either way.
 */
public final class DynamoDbJobEventStore implements JobEventStore {

  /** Dagger name of the jobs table name. */
  public static final String TABLE = "runfleet.jobsTable";

  /**
   * Attempts per append when other writers keep moving the job; each lost race means another writer
   * won.
   */
  public static final int MAX_ATTEMPTS = 8;

  /** No retry starts after this long: GitHub gives up on a delivery after 10 s. */
  public static final Duration RETRY_BUDGET = Duration.ofSeconds(4);

  // Attributes of delivery and event items (job items are JobsTable's alone).
  public static final String DELIVERY_ID = "deliveryId";
  public static final String KIND = "kind";
  public static final String RUNNER_NAME = "runnerName";
  public static final String CONCLUSION = "conclusion";
  public static final String RECEIVED_AT = "receivedAt";

  // Positions in the transaction, which is how DynamoDB reports the cancellation reasons.
  private static final int DELIVERY_ITEM = 0;
  private static final int EVENT_ITEM = 1;
  private static final int JOB_ITEM = 2;

  private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
  private static final String TRANSACTION_CONFLICT = "TransactionConflict";
  private static final String NOT_EXISTS = "attribute_not_exists(#pk)";
  private static final Map<String, String> PK_NAME = Map.of("#pk", JobsTable.PK);

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final JobStateMachine stateMachine;
  private final Clock clock;
  private final Backoff backoff;

  @Inject
  public DynamoDbJobEventStore(
      DynamoDbClient dynamoDb,
      @Named(TABLE) String table,
      JobStateMachine stateMachine,
      Clock clock,
      Backoff backoff) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.stateMachine = stateMachine;
    this.clock = clock;
    this.backoff = backoff;
  }

  @Override
  public Appended append(WorkflowJobEvent event, Admission admission) {
    TransactionCanceledException lastConflict = null;
    Instant deadline = clock.instant().plus(RETRY_BUDGET);
    // What the job is believed to be before each write: a queued event bets on a new job.
    boolean known = event.kind() == EventKind.QUEUED;
    Job current = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        if (clock.instant().isAfter(deadline)) {
          break;
        }
        backoff.pause(attempt - 1);
      }
      // The table keeps milliseconds: the projection returned is exactly the one stored.
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      if (!known) {
        current = read(event.key());
      }
      Job next = stateMachine.apply(current, event, admission, now);
      boolean changed = current == null || !next.sameStateAs(current);
      Job written =
          changed ? next.withVersion(current == null ? 1 : current.version() + 1) : current;
      TransactWriteItemsRequest transaction =
          transaction(event, current, changed ? written : null, now);
      Optional<String> oversize = oversize(transaction);
      if (oversize.isPresent()) {
        return new Appended.TooLarge(oversize.get());
      }
      try {
        dynamoDb.transactWriteItems(transaction);
        return new Appended.Recorded(written);
      } catch (TransactionCanceledException e) {
        Optional<Appended> verdict = verdict(event, e);
        if (verdict.isPresent()) {
          return verdict.get();
        }
        lastConflict = e;
        Optional<Map<String, AttributeValue>> stored = jobAsStored(e);
        known = stored.isPresent();
        current = stored.map(JobsTable::toJob).orElse(null);
      } catch (SdkException e) {
        if (ItemSize.isSizeRefusal(AwsErrors.code(e), AwsErrors.message(e))) {
          return new Appended.TooLarge(AwsErrors.describe(e));
        }
        throw unavailableOrAsIs("append " + event.key(), e);
      }
    }
    throw new StoreUnavailableException(
        "job " + event.key() + " still contended after its retries", lastConflict);
  }

  /** The items a first event of its job writes, sized by DynamoDB's rules; nothing is read. */
  @Override
  public Optional<String> oversize(WorkflowJobEvent event) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Job first = stateMachine.apply(null, event, Admission.ALLOWED, now).withVersion(1);
    return Stream.of(deliveryItem(event, now), eventItem(event, now), JobsTable.jobItem(first))
        .map(ItemSize::refusal)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> oversize(TransactWriteItemsRequest transaction) {
    return transaction.transactItems().stream()
        .map(item -> ItemSize.refusal(item.put().item()))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private Job read(JobKey key) {
    GetItemResponse response;
    try {
      response =
          dynamoDb.getItem(
              GetItemRequest.builder()
                  .tableName(table)
                  .key(JobsTable.jobKey(key))
                  .consistentRead(true)
                  .build());
    } catch (SdkException e) {
      throw unavailableOrAsIs("read job " + key, e);
    }
    return response.hasItem() && !response.item().isEmpty()
        ? JobsTable.toJob(response.item())
        : null;
  }

  private TransactWriteItemsRequest transaction(
      WorkflowJobEvent event, Job current, Job stored, Instant now) {
    List<TransactWriteItem> items = new ArrayList<>(3);
    items.add(putIfAbsent(deliveryItem(event, now)));
    items.add(putIfAbsent(eventItem(event, now)));
    if (stored != null) {
      Put.Builder put =
          Put.builder()
              .tableName(table)
              .item(JobsTable.jobItem(stored))
              // A lost race answers with the job as it is now: the retry needs no read.
              .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
      if (current == null) {
        put.conditionExpression(NOT_EXISTS).expressionAttributeNames(PK_NAME);
      } else {
        put.conditionExpression("#v = :v")
            .expressionAttributeNames(Map.of("#v", JobsTable.VERSION))
            .expressionAttributeValues(Map.of(":v", n(current.version())));
      }
      items.add(TransactWriteItem.builder().put(put.build()).build());
    }
    // An event that leaves the job as it is needs no check on the job: the fold is monotone, so an
    // event that
    // changes nothing on this state changes nothing on any later one either.
    return TransactWriteItemsRequest.builder().transactItems(items).build();
  }

  private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression(NOT_EXISTS)
                .expressionAttributeNames(PK_NAME)
                .build())
        .build();
  }

  private static Map<String, AttributeValue> deliveryItem(WorkflowJobEvent event, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(JobsTable.deliveryKey(event.deliveryId()));
    item.put(JobsTable.TYPE, s(JobsTable.TYPE_DELIVERY));
    item.put(JobsTable.JOB_KEY, s(event.key().asString()));
    item.put(KIND, s(event.kind().wireName()));
    item.put(RECEIVED_AT, n(now.toEpochMilli()));
    item.put(JobsTable.TTL, n(JobsTable.ttl(now)));
    return item;
  }

  private static Map<String, AttributeValue> eventItem(WorkflowJobEvent event, Instant now) {
    Map<String, AttributeValue> item =
        new HashMap<>(JobsTable.eventKey(event.key(), event.kind().wireName()));
    item.put(JobsTable.TYPE, s(JobsTable.TYPE_EVENT));
    item.put(JobsTable.JOB_KEY, s(event.key().asString()));
    item.put(DELIVERY_ID, s(event.deliveryId()));
    item.put(KIND, s(event.kind().wireName()));
    if (event.reportedRunner() != null) {
      item.put(RUNNER_NAME, s(event.reportedRunner()));
    }
    if (event.conclusion() != null) {
      item.put(CONCLUSION, s(event.conclusion()));
    }
    item.put(RECEIVED_AT, n(now.toEpochMilli()));
    item.put(JobsTable.TTL, n(JobsTable.ttl(now)));
    return item;
  }

  /**
   * What a cancelled transaction means: a duplicate (answered), an item too large (answered), a
   * lost race (empty: read again and retry), or throttling (thrown as unavailable). Anything else
   * is a bug in the request and surfaces as is.
   */
  private static Optional<Appended> verdict(
      WorkflowJobEvent event, TransactionCanceledException e) {
    List<CancellationReason> reasons =
        e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    if (CONDITIONAL_CHECK_FAILED.equals(code(reasons, DELIVERY_ITEM))) {
      return Optional.of(new Appended.Duplicate("delivery " + event.deliveryId() + " seen before"));
    }
    if (CONDITIONAL_CHECK_FAILED.equals(code(reasons, EVENT_ITEM))) {
      return Optional.of(
          new Appended.Duplicate(
              "event " + event.key() + "/" + event.kind().wireName() + " seen before"));
    }
    boolean conflict = CONDITIONAL_CHECK_FAILED.equals(code(reasons, JOB_ITEM));
    for (int i = 0; i < reasons.size(); i++) {
      String code = code(reasons, i);
      if (ItemSize.isSizeRefusal(code, reasons.get(i).message())) {
        return Optional.of(new Appended.TooLarge(code + ": " + reasons.get(i).message()));
      }
      if ("ThrottlingError".equals(code) || "ProvisionedThroughputExceeded".equals(code)) {
        throw new StoreUnavailableException("append " + event.key() + " throttled", e);
      }
      conflict |= TRANSACTION_CONFLICT.equals(code);
    }
    if (conflict) {
      return Optional.empty();
    }
    throw e;
  }

  /**
   * The job item a cancelled transaction returned because the job's condition failed; empty when it
   * returned none (the job changed in another way, or the transaction conflicted): then read.
   */
  private static Optional<Map<String, AttributeValue>> jobAsStored(TransactionCanceledException e) {
    List<CancellationReason> reasons =
        e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    if (!CONDITIONAL_CHECK_FAILED.equals(code(reasons, JOB_ITEM))) {
      return Optional.empty();
    }
    CancellationReason job = reasons.get(JOB_ITEM);
    return job.hasItem() && !job.item().isEmpty() ? Optional.of(job.item()) : Optional.empty();
  }

  private static String code(List<CancellationReason> reasons, int index) {
    return index < reasons.size() && reasons.get(index) != null ? reasons.get(index).code() : null;
  }

  /**
   * Throttling, 5xx and transport failures are retryable later; other errors are bugs or
   * misconfiguration.
   */
  private static RuntimeException unavailableOrAsIs(String what, SdkException e) {
    boolean retryable =
        e instanceof SdkClientException
            || e instanceof SdkServiceException service
                && (service.isThrottlingException() || service.statusCode() >= 500);
    return retryable ? new StoreUnavailableException(what + " failed: " + e.getMessage(), e) : e;
  }
}
