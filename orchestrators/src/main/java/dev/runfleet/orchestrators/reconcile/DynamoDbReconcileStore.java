package dev.runfleet.orchestrators.reconcile;

import static dev.runfleet.aws.JobsTable.n;
import static dev.runfleet.aws.JobsTable.s;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.ReconcileStore;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.orchestrators.di.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link ReconcileStore} on the jobs table: listings from the status index, job repairs as puts
 * conditional on the job's version (the producer's own rule, so a webhook and a repair never both
 * win), and the re-sent spin-up noted on the runner item.
 */
@Singleton
public final class DynamoDbReconcileStore implements ReconcileStore {

  /** When the reconciler published a REQUESTED runner's spin-up again (epoch millis). */
  static final String RESPUN_AT = "respunAt";

  private final DynamoDbClient dynamo;
  private final String table;

  @Inject
  public DynamoDbReconcileStore(DynamoDbClient dynamo, @TableName String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public List<Job> jobs(JobStatus status, int limit) {
    return byStatus(status.name(), limit, JobsTable::toJob);
  }

  @Override
  public List<Listed> runners(RunnerStatus status, int limit) {
    return byStatus(
        status.name(),
        limit,
        item ->
            new Listed(
                JobsTable.toRunner(item),
                item.containsKey(RESPUN_AT)
                    ? Instant.ofEpochMilli(JobsTable.num(item, RESPUN_AT))
                    : null));
  }

  /** Pages of one status partition (no filter expression: {@code Limit} then counts items). */
  private <T> List<T> byStatus(
      String status, int limit, Function<Map<String, AttributeValue>, T> map) {
    List<T> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .indexName(JobsTable.STATUS_INDEX)
              .keyConditionExpression("#status = :status")
              .expressionAttributeNames(Map.of("#status", JobsTable.STATUS))
              .expressionAttributeValues(Map.of(":status", s(status)))
              .limit(limit - out.size());
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse page;
      try {
        page = dynamo.query(query.build());
      } catch (SdkException e) {
        throw new StoreUnavailableException(
            "status index " + status + " could not be read: " + AwsErrors.describe(e), e);
      }
      page.items().stream().map(map).forEach(out::add);
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null && !start.isEmpty() && out.size() < limit);
    return out;
  }

  @Override
  public boolean recordGitHubView(Job job, JobStatus status, String ranOn, Instant now) {
    Job next = job.withStatus(JobStatus.later(job.status(), status), now);
    if (job.ranOn() == null && ranOn != null) {
      next = next.withRanOn(ranOn);
    }
    return putIfUnchanged(job, next);
  }

  @Override
  public boolean requeue(Job job, Instant now) {
    if (job.status() != JobStatus.DISPATCHED) {
      return false;
    }
    return putIfUnchanged(job, job.requeued(now));
  }

  @Override
  public boolean giveUp(Job job, IgnoredReason reason, Instant now) {
    return putIfUnchanged(job, job.ignored(reason, now));
  }

  private boolean putIfUnchanged(Job current, Job next) {
    return conditionally(
        "job " + current.key(),
        () ->
            dynamo.putItem(
                PutItemRequest.builder()
                    .tableName(table)
                    .item(JobsTable.jobItem(next.withVersion(current.version() + 1)))
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", JobsTable.VERSION))
                    .expressionAttributeValues(Map.of(":v", n(current.version())))
                    .build()));
  }

  @Override
  public boolean markRespun(String runnerName, Instant now) {
    return conditionally(
        "runner " + runnerName,
        () ->
            dynamo.updateItem(
                UpdateItemRequest.builder()
                    .tableName(table)
                    .key(JobsTable.runnerKey(runnerName))
                    .updateExpression("SET #respun = :now")
                    .conditionExpression("#status = :requested AND attribute_not_exists(#respun)")
                    .expressionAttributeNames(
                        Map.of("#respun", RESPUN_AT, "#status", JobsTable.STATUS))
                    .expressionAttributeValues(
                        Map.of(
                            ":now", n(now.toEpochMilli()),
                            ":requested", s(RunnerStatus.REQUESTED.name())))
                    .build()));
  }

  /** True when the conditional write went through, false when its condition no longer held. */
  private static boolean conditionally(String what, Runnable write) {
    try {
      write.run();
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          what + " could not be written: " + AwsErrors.describe(e), e);
    }
  }
}
