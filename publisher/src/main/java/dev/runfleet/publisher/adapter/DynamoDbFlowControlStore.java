package dev.runfleet.publisher.adapter;

import static dev.runfleet.aws.JobsTable.n;
import static dev.runfleet.aws.JobsTable.s;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.ItemSize;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.StoreRefusedException;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.publisher.di.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link FlowControlStore} on the jobs table: conditional writes and transactions only, no scans.
 */
@Singleton
public final class DynamoDbFlowControlStore implements FlowControlStore {

  private static final String CONDITION_FAILED = "ConditionalCheckFailed";

  private final DynamoDbClient dynamo;
  private final String table;

  @Inject
  public DynamoDbFlowControlStore(DynamoDbClient dynamo, @TableName String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public int inFlight(String platformOrGlobal) {
    Map<String, AttributeValue> item = get(JobsTable.slotsKey(platformOrGlobal));
    return item == null || !item.containsKey(JobsTable.IN_FLIGHT)
        ? 0
        : (int) JobsTable.num(item, JobsTable.IN_FLIGHT);
  }

  @Override
  public List<Job> oldestQueued(String platform, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    // The index holds only QUEUED jobs (sparse), so Limit needs no filter expression to stay
    // honest.
    List<Map<String, AttributeValue>> items =
        queueIndex(
            "#qpk = :p", Map.of("#qpk", JobsTable.QUEUE_PK), Map.of(":p", s(platform)), limit);
    List<Job> jobs = new ArrayList<>(items.size());
    for (Map<String, AttributeValue> item : items) {
      jobs.add(JobsTable.toJob(item));
    }
    return jobs;
  }

  @Override
  public Optional<Job> job(JobKey key) {
    return Optional.ofNullable(get(JobsTable.jobKey(key))).map(JobsTable::toJob);
  }

  @Override
  public Optional<Runner> runner(String name) {
    return Optional.ofNullable(get(JobsTable.runnerKey(name))).map(JobsTable::toRunner);
  }

  @Override
  public Reservation reserve(
      Job job,
      String runnerName,
      int platformCap,
      int globalCap,
      LaunchBudget budget,
      Instant now) {
    Runner runner =
        new Runner(
            runnerName,
            job.platform(),
            job.key(),
            GitHubScope.of(job),
            RunnerStatus.REQUESTED,
            null,
            null,
            false,
            null,
            now,
            now);
    List<TransactWriteItem> items =
        List.of(
            update(
                JobsTable.jobKey(job.key()),
                "SET #status = :dispatched, #runner = :runner, #count = #count + :one, #version = #version + :one,"
                    + " #updated = :now, #ttl = :ttl REMOVE #qpk, #qsk",
                "#status = :queued AND #count = :count",
                names(
                    "#status", JobsTable.STATUS,
                    "#runner", JobsTable.DISPATCHED_RUNNER,
                    "#count", JobsTable.DISPATCH_COUNT,
                    "#version", JobsTable.VERSION,
                    "#updated", JobsTable.UPDATED_AT,
                    "#ttl", JobsTable.TTL,
                    "#qpk", JobsTable.QUEUE_PK,
                    "#qsk", JobsTable.QUEUE_SK),
                values(
                    ":dispatched", s(JobStatus.DISPATCHED.name()),
                    ":queued", s(JobStatus.QUEUED.name()),
                    ":runner", s(runnerName),
                    ":count", n(job.dispatchCount()),
                    ":one", n(1),
                    ":now", n(now.toEpochMilli()),
                    ":ttl", n(JobsTable.ttl(now)))),
            takeSlot(job.platform(), platformCap),
            takeSlot(JobsTable.GLOBAL, globalCap),
            TransactWriteItem.builder()
                .put(
                    Put.builder()
                        .tableName(table)
                        .item(JobsTable.runnerItem(runner))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", JobsTable.PK))
                        .build())
                .build(),
            useBudget(budget));
    try {
      transact(items);
      return Reservation.RESERVED;
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
      if (failed(reasons, 0) || failed(reasons, 3)) {
        return Reservation.JOB_NOT_QUEUED;
      }
      if (failed(reasons, 1)) {
        return Reservation.PLATFORM_FULL;
      }
      if (failed(reasons, 2)) {
        return Reservation.GLOBAL_FULL;
      }
      if (failed(reasons, 4)) {
        return Reservation.BUDGET_MOVED;
      }
      return Reservation.CONTENDED;
    }
  }

  private TransactWriteItem useBudget(LaunchBudget budget) {
    boolean fresh = budget.expectedTat() < 0;
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":new", n(budget.newTat()));
    values.put(":type", s(JobsTable.TYPE_BUDGET));
    if (!fresh) {
      values.put(":expected", n(budget.expectedTat()));
    }
    return update(
        JobsTable.launchBudgetKey(),
        "SET #tat = :new, #type = :type",
        fresh ? "attribute_not_exists(#tat)" : "#tat = :expected",
        names("#tat", JobsTable.TAT, "#type", JobsTable.TYPE),
        values);
  }

  /** One conditional write: the wake-up is claimed only while none is pending. */
  @Override
  public boolean claimWakeUp(Instant at, Instant now) {
    return conditionalUpdate(
        JobsTable.launchBudgetKey(),
        "SET #wake = :at, #type = :type",
        "attribute_not_exists(#wake) OR #wake <= :now",
        names("#wake", JobsTable.WAKE_AT, "#type", JobsTable.TYPE),
        values(
            ":at", n(micros(at)),
            ":now", n(micros(now)),
            ":type", s(JobsTable.TYPE_BUDGET)));
  }

  /**
   * One unconditional write while a pass runs: the count goes up, and the item as it was shows the
   * live lease. Otherwise a second, conditional write takes the lease for the pass about to be
   * started ({@link #STARTING}), so of lanes asking at once only one starts it.
   */
  @Override
  public boolean requestPass(Instant now, Instant leaseUntil) {
    Map<String, AttributeValue> old =
        dispatcherUpdate(
            "ADD #requests :one SET #type = :type",
            null,
            names("#requests", JobsTable.PASS_REQUESTS, "#type", JobsTable.TYPE),
            values(":one", n(1), ":type", s(JobsTable.TYPE_DISPATCHER)),
            ReturnValue.ALL_OLD);
    if (old != null
        && old.containsKey(JobsTable.LEASE_UNTIL)
        && JobsTable.num(old, JobsTable.LEASE_UNTIL) > micros(now)) {
      return false;
    }
    return claimPass(STARTING, now, leaseUntil).isPresent();
  }

  /**
   * The lease's owner between a lane's request and the start of the pass it asked for: the pass
   * takes the lease over from it.
   */
  static final String STARTING = "starting";

  /**
   * One conditional write: the lease is taken only while none is live, or from a lane's {@link
   * #STARTING}.
   */
  @Override
  public OptionalLong claimPass(String owner, Instant now, Instant leaseUntil) {
    try {
      Map<String, AttributeValue> item =
          dispatcherUpdate(
              "SET #owner = :owner, #until = :until, #type = :type,"
                  + " #requests = if_not_exists(#requests, :zero)",
              "attribute_not_exists(#until) OR #until <= :now"
                  + (owner.equals(STARTING) ? "" : " OR #owner = :starting"),
              names(
                  "#owner", JobsTable.LEASE_OWNER,
                  "#until", JobsTable.LEASE_UNTIL,
                  "#type", JobsTable.TYPE,
                  "#requests", JobsTable.PASS_REQUESTS),
              claimValues(owner, now, leaseUntil),
              ReturnValue.ALL_NEW);
      return OptionalLong.of(JobsTable.num(item, JobsTable.PASS_REQUESTS));
    } catch (ConditionalCheckFailedException e) {
      return OptionalLong.empty();
    }
  }

  private static Map<String, AttributeValue> claimValues(
      String owner, Instant now, Instant leaseUntil) {
    Map<String, AttributeValue> values =
        values(
            ":owner", s(owner),
            ":until", n(micros(leaseUntil)),
            ":now", n(micros(now)),
            ":zero", n(0),
            ":type", s(JobsTable.TYPE_DISPATCHER));
    if (!owner.equals(STARTING)) {
      values.put(":starting", s(STARTING));
    }
    return values;
  }

  /**
   * One conditional write when nothing was asked meanwhile; otherwise the failed condition returns
   * the item (no read), and a second write keeps the lease.
   */
  @Override
  public OptionalLong releasePass(String owner, long seen, Instant leaseUntil) {
    try {
      dispatcherUpdate(
          "REMOVE #owner, #until",
          "#owner = :owner AND #requests = :seen",
          names(
              "#owner", JobsTable.LEASE_OWNER,
              "#until", JobsTable.LEASE_UNTIL,
              "#requests", JobsTable.PASS_REQUESTS),
          values(":owner", s(owner), ":seen", n(seen)),
          ReturnValue.NONE);
      return OptionalLong.empty();
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> current = e.hasItem() ? e.item() : Map.of();
      if (!current.containsKey(JobsTable.LEASE_OWNER)
          || !owner.equals(current.get(JobsTable.LEASE_OWNER).s())) {
        return OptionalLong.empty();
      }
      boolean kept =
          conditionalUpdate(
              JobsTable.dispatcherKey(),
              "SET #until = :until",
              "#owner = :owner",
              names("#owner", JobsTable.LEASE_OWNER, "#until", JobsTable.LEASE_UNTIL),
              values(":owner", s(owner), ":until", n(micros(leaseUntil))));
      return kept
          ? OptionalLong.of(JobsTable.num(current, JobsTable.PASS_REQUESTS))
          : OptionalLong.empty();
    }
  }

  /**
   * One write to the dispatcher item: the attributes {@code returns} asks for; a failed {@code
   * condition} throws with the item as it was.
   */
  private Map<String, AttributeValue> dispatcherUpdate(
      String update,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values,
      ReturnValue returns) {
    return updateItem(
        JobsTable.dispatcherKey(),
        update,
        condition,
        names,
        values,
        returns,
        condition == null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD);
  }

  @Override
  public void abandonPass(String owner) {
    conditionalUpdate(
        JobsTable.dispatcherKey(),
        "REMOVE #owner, #until",
        "#owner = :owner",
        names("#owner", JobsTable.LEASE_OWNER, "#until", JobsTable.LEASE_UNTIL),
        values(":owner", s(owner)));
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
  }

  @Override
  public long launchBudgetTat() {
    Map<String, AttributeValue> item = get(JobsTable.launchBudgetKey());
    return item == null || !item.containsKey(JobsTable.TAT)
        ? -1
        : JobsTable.num(item, JobsTable.TAT);
  }

  private TransactWriteItem takeSlot(String platformOrGlobal, int cap) {
    return update(
        JobsTable.slotsKey(platformOrGlobal),
        "SET #inFlight = if_not_exists(#inFlight, :zero) + :one, #type = :type",
        "(attribute_not_exists(#inFlight) AND :zero < :cap) OR #inFlight < :cap",
        names("#inFlight", JobsTable.IN_FLIGHT, "#type", JobsTable.TYPE),
        values(":zero", n(0), ":one", n(1), ":cap", n(cap), ":type", s(JobsTable.TYPE_SLOTS)));
  }

  private TransactWriteItem giveSlot(String platformOrGlobal) {
    return update(
        JobsTable.slotsKey(platformOrGlobal),
        "SET #inFlight = #inFlight - :one",
        "attribute_exists(#inFlight)",
        names("#inFlight", JobsTable.IN_FLIGHT),
        values(":one", n(1)));
  }

  @Override
  public boolean release(Runner runner, Job requeue, Instant now) {
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(
        update(
            JobsTable.runnerKey(runner.name()),
            "SET #released = :true, #updated = :now",
            "#released = :false AND #status IN (:stopped, :failed)",
            names(
                "#released",
                JobsTable.SLOT_RELEASED,
                "#updated",
                JobsTable.UPDATED_AT,
                "#status",
                JobsTable.STATUS),
            values(
                ":true", AttributeValue.fromBool(true),
                ":false", AttributeValue.fromBool(false),
                ":now", n(now.toEpochMilli()),
                ":stopped", s(RunnerStatus.STOPPED.name()),
                ":failed", s(RunnerStatus.FAILED.name()))));
    items.add(giveSlot(runner.platform()));
    items.add(giveSlot(JobsTable.GLOBAL));
    if (requeue != null) {
      items.add(requeueItem(requeue, runner.name(), now));
    }
    Optional<TransactionCanceledException> cancelled = attempt(items);
    if (cancelled.isPresent()
        && requeue != null
        && !failed(cancelled.get().cancellationReasons(), 0)
        && failed(cancelled.get().cancellationReasons(), 3)) {
      // The job moved on meanwhile (it started elsewhere): release without taking it back.
      return release(runner, null, now);
    }
    return releasedOnce(cancelled, "slot release of " + runner.name());
  }

  /** Runs {@code items} as one transaction; the cancellation, when DynamoDB cancelled it. */
  private Optional<TransactionCanceledException> attempt(List<TransactWriteItem> items) {
    try {
      transact(items);
      return Optional.empty();
    } catch (TransactionCanceledException e) {
      return Optional.of(e);
    }
  }

  /**
   * The verdict on a release transaction whose first item is its once-only guard: true when it ran,
   * false when the guard found it done already, and retryable contention otherwise.
   */
  private static boolean releasedOnce(
      Optional<TransactionCanceledException> cancelled, String what) {
    if (cancelled.isEmpty()) {
      return true;
    }
    if (failed(cancelled.get().cancellationReasons(), 0)) {
      return false;
    }
    throw new StoreUnavailableException(what + " contended", cancelled.get());
  }

  @Override
  public boolean releaseRemoved(Runner removed, Instant now) {
    Map<String, AttributeValue> marker = new HashMap<>(JobsTable.releasedMarkerKey(removed.name()));
    marker.put(JobsTable.TYPE, s(JobsTable.TYPE_RELEASED));
    marker.put(JobsTable.PLATFORM, s(removed.platform()));
    marker.put(JobsTable.UPDATED_AT, n(now.toEpochMilli()));
    marker.put(JobsTable.TTL, n(JobsTable.ttl(now)));
    List<TransactWriteItem> items =
        List.of(
            TransactWriteItem.builder()
                .put(
                    Put.builder()
                        .tableName(table)
                        .item(marker)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", JobsTable.PK))
                        .build())
                .build(),
            giveSlot(removed.platform()),
            giveSlot(JobsTable.GLOBAL));
    return releasedOnce(attempt(items), "slot release of removed runner " + removed.name());
  }

  @Override
  public boolean markBusy(String runnerName, JobKey job, Instant now) {
    return setBusy(
            runnerName,
            job,
            now,
            "attribute_exists(#pk) AND NOT #status IN (:one, :other)",
            RunnerStatus.STOPPED,
            RunnerStatus.FAILED)
        .marked();
  }

  /**
   * One conditional write: its own runner, or an orphan, takes the job; a refused write returns the
   * runner as it was ({@code ALL_OLD}), which the caller settles with instead of reading it.
   */
  @Override
  public BusyMark markBusyIfFree(String runnerName, JobKey job, Instant now) {
    return setBusy(
        runnerName,
        job,
        now,
        "attribute_exists(#pk) AND (#jobKey = :job OR attribute_not_exists(#jobKey))"
            + " AND #status IN (:one, :other)",
        RunnerStatus.REQUESTED,
        RunnerStatus.LAUNCHED);
  }

  /**
   * The runner runs {@code job} (BUSY, off the idle listing) if {@code condition} holds; otherwise
   * the runner as the failed condition found it.
   */
  private BusyMark setBusy(
      String runnerName,
      JobKey job,
      Instant now,
      String condition,
      RunnerStatus one,
      RunnerStatus other) {
    try {
      updateItem(
          JobsTable.runnerKey(runnerName),
          "SET #status = :busy, #jobKey = :job, #updated = :now REMOVE #qpk, #qsk",
          condition,
          names(
              "#status", JobsTable.STATUS,
              "#jobKey", JobsTable.JOB_KEY,
              "#updated", JobsTable.UPDATED_AT,
              "#pk", JobsTable.PK,
              "#qpk", JobsTable.QUEUE_PK,
              "#qsk", JobsTable.QUEUE_SK),
          values(
              ":busy", s(RunnerStatus.BUSY.name()),
              ":job", s(job.asString()),
              ":now", n(now.toEpochMilli()),
              ":one", s(one.name()),
              ":other", s(other.name())),
          null,
          ReturnValuesOnConditionCheckFailure.ALL_OLD);
      return BusyMark.MARKED;
    } catch (ConditionalCheckFailedException e) {
      return BusyMark.refused(
          e.hasItem() && !e.item().isEmpty()
              ? Optional.of(JobsTable.toRunner(e.item()))
              : Optional.empty());
    }
  }

  @Override
  public boolean pair(String free, JobKey from, Job to, String toRunnerBefore, Instant now) {
    List<TransactWriteItem> items =
        List.of(
            relinkRunner(free, from, to.key(), now),
            update(
                JobsTable.jobKey(to.key()),
                "SET #runner = :free, #version = #version + :one, #updated = :now",
                "#status = :dispatched AND #runner = :before",
                names(
                    "#runner",
                    JobsTable.DISPATCHED_RUNNER,
                    "#version",
                    JobsTable.VERSION,
                    "#updated",
                    JobsTable.UPDATED_AT,
                    "#status",
                    JobsTable.STATUS),
                values(
                    ":free", s(free),
                    ":before", s(toRunnerBefore),
                    ":one", n(1),
                    ":now", n(now.toEpochMilli()),
                    ":dispatched", s(JobStatus.DISPATCHED.name()))));
    return transactIfConditionsHold(items);
  }

  @Override
  public boolean adopt(String free, JobKey from, Job queued, Instant now) {
    List<TransactWriteItem> items =
        List.of(
            relinkRunner(free, from, queued.key(), now),
            update(
                JobsTable.jobKey(queued.key()),
                "SET #status = :dispatched, #runner = :free, #version = #version + :one, #updated = :now"
                    + " REMOVE #qpk, #qsk",
                "#status = :queued",
                names(
                    "#status", JobsTable.STATUS,
                    "#runner", JobsTable.DISPATCHED_RUNNER,
                    "#version", JobsTable.VERSION,
                    "#updated", JobsTable.UPDATED_AT,
                    "#qpk", JobsTable.QUEUE_PK,
                    "#qsk", JobsTable.QUEUE_SK),
                values(
                    ":dispatched", s(JobStatus.DISPATCHED.name()),
                    ":queued", s(JobStatus.QUEUED.name()),
                    ":free", s(free),
                    ":one", n(1),
                    ":now", n(now.toEpochMilli()))));
    return transactIfConditionsHold(items);
  }

  @Override
  public boolean requeue(Job job, String expectedRunner, Instant now) {
    return transactIfConditionsHold(List.of(requeueItem(job, expectedRunner, now)));
  }

  @Override
  public boolean orphan(String free, String platform, JobKey from, Instant now) {
    return conditionalUpdate(
        JobsTable.runnerKey(free),
        "SET #updated = :now, #qpk = :idle, #qsk = :since REMOVE #jobKey",
        "#jobKey = :from AND #status IN (:requested, :launched)",
        names(
            "#jobKey", JobsTable.JOB_KEY,
            "#updated", JobsTable.UPDATED_AT,
            "#status", JobsTable.STATUS,
            "#qpk", JobsTable.QUEUE_PK,
            "#qsk", JobsTable.QUEUE_SK),
        values(
            ":from", s(from.asString()),
            ":now", n(now.toEpochMilli()),
            ":idle", s(JobsTable.idlePartition(platform)),
            ":since", s(JobsTable.idleSortKey(now, free)),
            ":requested", s(RunnerStatus.REQUESTED.name()),
            ":launched", s(RunnerStatus.LAUNCHED.name())));
  }

  @Override
  public List<Runner> idleSince(String platform, Instant before, int limit) {
    List<Map<String, AttributeValue>> items =
        queueIndex(
            "#qpk = :p AND #qsk < :before",
            Map.of("#qpk", JobsTable.QUEUE_PK, "#qsk", JobsTable.QUEUE_SK),
            Map.of(
                ":p", s(JobsTable.idlePartition(platform)),
                ":before", s(JobsTable.idleSortKey(before, ""))),
            limit);
    List<Runner> runners = new ArrayList<>(items.size());
    for (Map<String, AttributeValue> item : items) {
      runners.add(JobsTable.toRunner(item));
    }
    return runners;
  }

  @Override
  public void clearIdle(String runnerName) {
    conditionalUpdate(
        JobsTable.runnerKey(runnerName),
        "REMOVE #qpk, #qsk",
        "begins_with(#qpk, :idle)",
        names("#qpk", JobsTable.QUEUE_PK, "#qsk", JobsTable.QUEUE_SK),
        values(":idle", s(JobsTable.idlePartition(""))));
  }

  private TransactWriteItem relinkRunner(String runner, JobKey from, JobKey to, Instant now) {
    return update(
        JobsTable.runnerKey(runner),
        "SET #jobKey = :to, #updated = :now",
        "#jobKey = :from AND #status IN (:requested, :launched)",
        names(
            "#jobKey",
            JobsTable.JOB_KEY,
            "#updated",
            JobsTable.UPDATED_AT,
            "#status",
            JobsTable.STATUS),
        values(
            ":to", s(to.asString()),
            ":from", s(from.asString()),
            ":now", n(now.toEpochMilli()),
            ":requested", s(RunnerStatus.REQUESTED.name()),
            ":launched", s(RunnerStatus.LAUNCHED.name())));
  }

  private TransactWriteItem requeueItem(Job job, String expectedRunner, Instant now) {
    return update(
        JobsTable.jobKey(job.key()),
        "SET #status = :queued, #version = #version + :one, #updated = :now, #qpk = :platform, #qsk = :qsk"
            + " REMOVE #runner",
        "#status = :dispatched AND #runner = :expected",
        names(
            "#status", JobsTable.STATUS,
            "#version", JobsTable.VERSION,
            "#updated", JobsTable.UPDATED_AT,
            "#qpk", JobsTable.QUEUE_PK,
            "#qsk", JobsTable.QUEUE_SK,
            "#runner", JobsTable.DISPATCHED_RUNNER),
        values(
            ":queued", s(JobStatus.QUEUED.name()),
            ":dispatched", s(JobStatus.DISPATCHED.name()),
            ":expected", s(expectedRunner),
            ":platform", s(job.platform()),
            ":qsk", s(JobsTable.queueSortKey(job.queuedAt(), job.key())),
            ":one", n(1),
            ":now", n(now.toEpochMilli())));
  }

  // ---- plumbing ----

  /** One page of the sparse queue index, oldest first (queued jobs, or idle runners). */
  private List<Map<String, AttributeValue>> queueIndex(
      String keyCondition,
      Map<String, String> names,
      Map<String, AttributeValue> values,
      int limit) {
    return call(
        () ->
            dynamo
                .query(
                    QueryRequest.builder()
                        .tableName(table)
                        .indexName(JobsTable.QUEUE_INDEX)
                        .keyConditionExpression(keyCondition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .scanIndexForward(true)
                        .limit(limit)
                        .build())
                .items());
  }

  private boolean transactIfConditionsHold(List<TransactWriteItem> items) {
    try {
      transact(items);
      return true;
    } catch (TransactionCanceledException e) {
      boolean conditionFailed =
          e.cancellationReasons().stream().anyMatch(r -> CONDITION_FAILED.equals(r.code()));
      if (conditionFailed) {
        return false;
      }
      throw new StoreUnavailableException("transaction contended", e);
    }
  }

  private boolean conditionalUpdate(
      Map<String, AttributeValue> key,
      String update,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    try {
      updateItem(key, update, condition, names, values, null, null);
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * One UpdateItem: the attributes {@code returns} asks for (null: none); {@code onFailure} says
   * what a failed condition's exception carries (null: nothing).
   */
  private Map<String, AttributeValue> updateItem(
      Map<String, AttributeValue> key,
      String update,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values,
      ReturnValue returns,
      ReturnValuesOnConditionCheckFailure onFailure) {
    return call(
        () ->
            dynamo
                .updateItem(
                    UpdateItemRequest.builder()
                        .tableName(table)
                        .key(key)
                        .updateExpression(update)
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(returns)
                        .returnValuesOnConditionCheckFailure(onFailure)
                        .build())
                .attributes());
  }

  private void transact(List<TransactWriteItem> items) {
    try {
      dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
    } catch (TransactionCanceledException e) {
      throw e;
    } catch (SdkException e) {
      throw classified("jobs table transaction", e);
    }
  }

  /**
   * A request DynamoDB finds invalid (a key or an item past its limits) is refused for good: the
   * change that asked it is poison. Anything else may pass later.
   */
  private static RuntimeException classified(String what, SdkException e) {
    if ("ValidationException".equals(AwsErrors.code(e))) {
      return new StoreRefusedException(what + " refused: " + AwsErrors.describe(e), e);
    }
    return new StoreUnavailableException(what + " failed: " + e.getMessage(), e);
  }

  private TransactWriteItem update(
      Map<String, AttributeValue> key,
      String update,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(key)
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build())
        .build();
  }

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
    // Asked before the call: DynamoDB would answer a ValidationException, which call() also maps.
    ItemSize.refusal(key)
        .ifPresent(
            reason -> {
              throw new StoreRefusedException("jobs table call refused: " + reason, null);
            });
    Map<String, AttributeValue> item =
        call(
            () ->
                dynamo
                    .getItem(
                        GetItemRequest.builder()
                            .tableName(table)
                            .key(key)
                            .consistentRead(true)
                            .build())
                    .item());
    return item == null || item.isEmpty() ? null : item;
  }

  private static <T> T call(java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (ConditionalCheckFailedException e) {
      throw e;
    } catch (SdkException e) {
      throw classified("jobs table call", e);
    }
  }

  private static boolean failed(List<CancellationReason> reasons, int index) {
    return reasons.size() > index && CONDITION_FAILED.equals(reasons.get(index).code());
  }

  private static Map<String, String> names(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static Map<String, AttributeValue> values(Object... pairs) {
    Map<String, AttributeValue> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
    }
    return map;
  }
}
