package dev.runfleet.producer.adapter;

import static dev.runfleet.aws.JobsTable.n;
import static dev.runfleet.aws.JobsTable.s;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.ItemSize;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.Admission;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.JobStatus;
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
import java.util.Set;
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
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The job event log and projection in the jobs table. One append is one transaction of three
 * conditional writes: the delivery (once per {@code X-GitHub-Delivery}), the event (once per job
 * attempt and kind) and, when the event changes it, the job projection. Either all land or none
 * does, so a duplicate never moves a job and a job never moves without its event on record.
 *
 * <p>Every event is written blind first, on a guess about the job that DynamoDB checks:
 *
 * <ul>
 *   <li>{@code in_progress} and {@code completed} of a job a platform serves <em>advance</em> it:
 *       one update that creates the job if it is absent, or else moves only the fields the event
 *       owns (status, runner, time, version) provided the stored job is of the same platform and
 *       below the event's status. The publisher's fields are never written, so it is never
 *       overwritten; the version still moves, so its own optimistic writes notice.
 *   <li>any other event ({@code queued}, {@code waiting}, an ignored job) <em>opens</em> its job:
 *       the first projection, put only if the job is absent.
 * </ul>
 *
 * A guess that loses cancels the transaction with the job as stored ({@code ALL_OLD}); the retry
 * folds on that and writes the projection on its version (or no job at all when the event changes
 * nothing). The in-order common case is therefore one call and no read; a read happens only after a
 * transaction conflict, which returns no item.
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

  /** Fields an advancing event sets whatever is stored; the version is moved by one besides. */
  private static final Set<String> EVENT_OWNED =
      Set.of(JobsTable.STATUS, JobsTable.UPDATED_AT, JobsTable.TTL);

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
    // The first attempt guesses; later ones fold on the job the lost guess returned.
    boolean blind = true;
    boolean known = false;
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
      Write write;
      if (blind) {
        write = guess(event, admission, now);
      } else {
        if (!known) {
          current = read(event.key());
        }
        write = fold(event, admission, current, now);
      }
      Optional<String> oversize = write.oversize();
      if (oversize.isPresent()) {
        return new Appended.TooLarge(oversize.get());
      }
      try {
        dynamoDb.transactWriteItems(write.transaction());
        return write.recorded();
      } catch (TransactionCanceledException e) {
        Optional<Appended> verdict = verdict(event, e);
        if (verdict.isPresent()) {
          return verdict.get();
        }
        lastConflict = e;
        blind = false;
        // A failed job condition tells the job as stored: absent when no item came back.
        known = jobConditionFailed(e);
        current = known ? jobAsStored(e).map(JobsTable::toJob).orElse(null) : null;
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

  /**
   * SnapStart's priming of {@link #append}: the first write {@code event} would get, sent as {@code
   * append} sends it but with its delivery item conditioned on existing, which a new delivery id
   * never does. DynamoDB refuses the transaction whole, as it refuses a delivery seen before:
   * nothing is written and the stream sees nothing, while the request's marshalling and signing,
   * the cancellation's unmarshalling and {@code append}'s reading of it run once before the
   * snapshot. On AWS it costs the write capacity of a refused transaction.
   *
   * @return what {@code append} makes of the refusal, a duplicate delivery (or of items too large,
   *     which are not sent)
   * @throws IllegalStateException if DynamoDB applied the write (the delivery item existed)
   */
  public Appended rehearse(WorkflowJobEvent event) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Write guess = guess(event, Admission.ALLOWED, now);
    Optional<String> oversize = guess.oversize();
    if (oversize.isPresent()) {
      return new Appended.TooLarge(oversize.get());
    }
    TransactWriteItemsRequest write = guess.transaction();
    List<TransactWriteItem> items = new ArrayList<>(write.transactItems());
    Put delivery = items.get(DELIVERY_ITEM).put();
    items.set(
        DELIVERY_ITEM,
        TransactWriteItem.builder()
            .put(delivery.toBuilder().conditionExpression("attribute_exists(#pk)").build())
            .build());
    try {
      dynamoDb.transactWriteItems(write.toBuilder().transactItems(items).build());
    } catch (TransactionCanceledException e) {
      return verdict(event, e).orElseThrow(() -> e);
    } catch (SdkException e) {
      throw unavailableOrAsIs("rehearse " + event.key(), e);
    }
    throw new IllegalStateException(
        "the rehearsal of "
            + event.key()
            + " was written: delivery "
            + event.deliveryId()
            + " existed");
  }

  /**
   * One attempt: the transaction, the items it may create (sized before sending) and what it
   * records when it lands.
   */
  private record Write(
      TransactWriteItemsRequest transaction,
      List<Map<String, AttributeValue>> items,
      Appended.Recorded recorded) {

    Optional<String> oversize() {
      return items.stream().map(ItemSize::refusal).flatMap(Optional::stream).findFirst();
    }
  }

  /** The first write, made without reading: the event advances the job, or opens it. */
  private Write guess(WorkflowJobEvent event, Admission admission, Instant now) {
    Job first = stateMachine.apply(null, event, admission, now).withVersion(1);
    Map<String, AttributeValue> delivery = deliveryItem(event, now);
    Map<String, AttributeValue> logged = eventItem(event, now);
    Map<String, AttributeValue> job = JobsTable.jobItem(first);
    TransactWriteItem jobWrite =
        advances(first) ? advance(first, job) : jobPut(job, NOT_EXISTS, PK_NAME, Map.of());
    return new Write(
        transaction(delivery, logged, jobWrite),
        List.of(delivery, logged, job),
        Appended.Recorded.of(first));
  }

  /** The write that folds the event on {@code current}, the job as stored (null when absent). */
  private Write fold(WorkflowJobEvent event, Admission admission, Job current, Instant now) {
    Job next = stateMachine.apply(current, event, admission, now);
    boolean changed = current == null || !next.sameStateAs(current);
    Map<String, AttributeValue> delivery = deliveryItem(event, now);
    Map<String, AttributeValue> logged = eventItem(event, now);
    if (!changed) {
      // An event that leaves the job as it is needs no check on the job: the fold is monotone, so
      // an event that changes nothing on this state changes nothing on any later one either.
      return new Write(
          transaction(delivery, logged, null),
          List.of(delivery, logged),
          Appended.Recorded.of(current));
    }
    Job written = next.withVersion(current == null ? 1 : current.version() + 1);
    Map<String, AttributeValue> job = JobsTable.jobItem(written);
    TransactWriteItem jobWrite =
        current == null
            ? jobPut(job, NOT_EXISTS, PK_NAME, Map.of())
            : jobPut(
                job,
                "#v = :v",
                Map.of("#v", JobsTable.VERSION),
                Map.of(":v", n(current.version())));
    return new Write(
        transaction(delivery, logged, jobWrite),
        List.of(delivery, logged, job),
        Appended.Recorded.of(written));
  }

  /**
   * Whether the event's first projection can be written as an advance: a served job whose status
   * leaves room below it and is not queued (whose queue-index keys depend on the stored queue
   * time).
   */
  private static boolean advances(Job first) {
    return first.status() == JobStatus.IN_PROGRESS || first.status() == JobStatus.COMPLETED;
  }

  /**
   * The blind write of an advancing event: {@code first} if the job is absent; else, provided the
   * stored job is of the same platform and below {@code first}'s status, the status, time and
   * version moved, the runner set if none is, the queue-index keys removed and every other field as
   * stored (an {@code if_not_exists} per field keeps it). That is exactly what the fold gives on
   * such a job, without knowing the fields the publisher owns.
   */
  private TransactWriteItem advance(Job first, Map<String, AttributeValue> item) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder set = new StringBuilder("SET ");
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      String name = attribute.getKey();
      if (name.equals(JobsTable.PK) || name.equals(JobsTable.SK)) {
        continue;
      }
      String ref = "#" + name;
      String value = ":" + name;
      names.put(ref, name);
      if (set.length() > 4) {
        set.append(", ");
      }
      if (EVENT_OWNED.contains(name)) {
        set.append(ref).append(" = ").append(value);
        values.put(value, attribute.getValue());
      } else if (name.equals(JobsTable.VERSION)) {
        set.append(ref).append(" = if_not_exists(").append(ref).append(", :zero) + :one");
        values.put(":zero", n(0));
        values.put(":one", n(1));
      } else {
        set.append(ref)
            .append(" = if_not_exists(")
            .append(ref)
            .append(", ")
            .append(value)
            .append(')');
        values.put(value, attribute.getValue());
      }
    }
    names.put("#pk", JobsTable.PK);
    names.put("#" + JobsTable.QUEUE_PK, JobsTable.QUEUE_PK);
    names.put("#" + JobsTable.QUEUE_SK, JobsTable.QUEUE_SK);
    StringBuilder below = new StringBuilder();
    for (JobStatus status : JobStatus.values()) {
      if (status != JobStatus.IGNORED && status.rank() < first.status().rank()) {
        String value = ":below" + status.rank();
        below.append(below.length() == 0 ? "" : ", ").append(value);
        values.put(value, s(status.name()));
      }
    }
    String condition =
        "attribute_not_exists(#pk) OR (#"
            + JobsTable.STATUS
            + " IN ("
            + below
            + ") AND #"
            + JobsTable.PLATFORM
            + " = :"
            + JobsTable.PLATFORM
            + ")";
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(JobsTable.jobKey(first.key()))
                .updateExpression(
                    set.append(" REMOVE #")
                        .append(JobsTable.QUEUE_PK)
                        .append(", #")
                        .append(JobsTable.QUEUE_SK)
                        .toString())
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                // A lost guess answers with the job as it is now: the retry needs no read.
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build())
        .build();
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
      Map<String, AttributeValue> delivery,
      Map<String, AttributeValue> logged,
      TransactWriteItem jobWrite) {
    List<TransactWriteItem> items = new ArrayList<>(3);
    items.add(putIfAbsent(delivery));
    items.add(putIfAbsent(logged));
    if (jobWrite != null) {
      items.add(jobWrite);
    }
    return TransactWriteItemsRequest.builder().transactItems(items).build();
  }

  private TransactWriteItem jobPut(
      Map<String, AttributeValue> item,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values.isEmpty() ? null : values)
                // A lost race answers with the job as it is now: the retry needs no read.
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build())
        .build();
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

  /** Whether the job's own condition failed, which DynamoDB answers with the job as stored. */
  private static boolean jobConditionFailed(TransactionCanceledException e) {
    List<CancellationReason> reasons =
        e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    return CONDITIONAL_CHECK_FAILED.equals(code(reasons, JOB_ITEM));
  }

  /** The job item a cancelled transaction returned; empty when the job is absent. */
  private static Optional<Map<String, AttributeValue>> jobAsStored(TransactionCanceledException e) {
    CancellationReason job = e.cancellationReasons().get(JOB_ITEM);
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
