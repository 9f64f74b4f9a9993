package dev.runfleet.orchestrators.adapter;

import static dev.runfleet.aws.JobsTable.n;
import static dev.runfleet.aws.JobsTable.s;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.common.port.RunnerStore;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.orchestrators.di.TableName;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** {@link RunnerStore} on the jobs table: each transition one conditional update. */
@Singleton
public final class DynamoDbRunnerStore implements RunnerStore {

  private static final String CLAIM = "launchClaim";
  private static final String CLAIM_UNTIL = "launchClaimUntil";

  private final DynamoDbClient dynamo;
  private final String table;

  @Inject
  public DynamoDbRunnerStore(DynamoDbClient dynamo, @TableName String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public Optional<Runner> find(String name) {
    try {
      Map<String, AttributeValue> item =
          dynamo
              .getItem(
                  GetItemRequest.builder()
                      .tableName(table)
                      .key(JobsTable.runnerKey(name))
                      .consistentRead(true)
                      .build())
              .item();
      return runnerOf(item);
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "runner " + name + " could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * One conditional update that returns the record either way: as the claim left it ({@code
   * ALL_NEW}), or as stored when the condition refused it ({@code
   * ReturnValuesOnConditionCheckFailure=ALL_OLD}; no item means no runner). A failed condition
   * writes nothing, so an unknown runner is never created.
   */
  @Override
  public LaunchClaim claimLaunch(String name, String claimId, Instant leaseUntil, Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":claim", s(claimId));
    values.put(":until", n(leaseUntil.toEpochMilli()));
    values.put(":now", n(now.toEpochMilli()));
    values.put(":requested", s(RunnerStatus.REQUESTED.name()));
    UpdateItemRequest claim =
        updateRequest(
                name,
                "SET #claim = :claim, #until = :until",
                "#status = :requested AND (attribute_not_exists(#until) OR #until < :now)",
                Map.of("#claim", CLAIM, "#until", CLAIM_UNTIL, "#status", JobsTable.STATUS),
                values)
            .returnValues(ReturnValue.ALL_NEW)
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    try {
      Map<String, AttributeValue> claimed = dynamo.updateItem(claim).attributes();
      return new LaunchClaim(true, Optional.of(JobsTable.toRunner(claimed)));
    } catch (ConditionalCheckFailedException e) {
      return new LaunchClaim(false, runnerOf(e.item()));
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "runner " + name + " could not be updated: " + e.getMessage(), e);
    }
  }

  private static Optional<Runner> runnerOf(Map<String, AttributeValue> item) {
    return item == null || item.isEmpty()
        ? Optional.empty()
        : Optional.of(JobsTable.toRunner(item));
  }

  @Override
  public boolean recordJitConfig(
      String name, String claimId, long githubRunnerId, String jitSecret, Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":claim", s(claimId));
    values.put(":requested", s(RunnerStatus.REQUESTED.name()));
    values.put(":gh", n(githubRunnerId));
    values.put(":secret", s(jitSecret));
    values.put(":now", n(now.toEpochMilli()));
    return update(
        name,
        "SET #gh = :gh, #secret = :secret, #updated = :now",
        "#status = :requested AND #claim = :claim",
        Map.of(
            "#status", JobsTable.STATUS,
            "#gh", JobsTable.GITHUB_RUNNER_ID,
            "#secret", JobsTable.JIT_SECRET,
            "#updated", JobsTable.UPDATED_AT,
            "#claim", CLAIM),
        values);
  }

  @Override
  public boolean markLaunched(
      String name, String claimId, String hostId, Long githubRunnerId, Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":claim", s(claimId));
    values.put(":launched", s(RunnerStatus.LAUNCHED.name()));
    values.put(":requested", s(RunnerStatus.REQUESTED.name()));
    values.put(":host", s(hostId));
    values.put(":gh", n(githubRunnerId == null ? 0 : githubRunnerId));
    values.put(":now", n(now.toEpochMilli()));
    return update(
        name,
        "SET #status = :launched, #host = :host, #gh = :gh, #updated = :now REMOVE #claim, #until",
        "#status = :requested AND #claim = :claim",
        Map.of(
            "#status", JobsTable.STATUS,
            "#host", JobsTable.HOST_ID,
            "#gh", JobsTable.GITHUB_RUNNER_ID,
            "#updated", JobsTable.UPDATED_AT,
            "#claim", CLAIM,
            "#until", CLAIM_UNTIL),
        values);
  }

  @Override
  public boolean releaseClaim(String name, String claimId) {
    return update(
        name,
        "REMOVE #claim, #until",
        "#claim = :claim",
        Map.of("#claim", CLAIM, "#until", CLAIM_UNTIL),
        Map.of(":claim", s(claimId)));
  }

  @Override
  public boolean markFailed(String name, String reason, Instant now) {
    return end(name, RunnerStatus.FAILED, reason, now);
  }

  @Override
  public boolean markStopped(String name, String reason, Instant now) {
    return end(name, RunnerStatus.STOPPED, reason, now);
  }

  private boolean end(String name, RunnerStatus terminal, String reason, Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":terminal", s(terminal.name()));
    values.put(":detail", s(reason));
    values.put(":now", n(now.toEpochMilli()));
    values.put(":stopped", s(RunnerStatus.STOPPED.name()));
    values.put(":failed", s(RunnerStatus.FAILED.name()));
    return update(
        name,
        "SET #status = :terminal, #detail = :detail, #updated = :now",
        "attribute_exists(#status) AND NOT #status IN (:stopped, :failed)",
        Map.of(
            "#status",
            JobsTable.STATUS,
            "#detail",
            JobsTable.DETAIL,
            "#updated",
            JobsTable.UPDATED_AT),
        values);
  }

  private boolean update(
      String name,
      String expression,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    try {
      dynamo.updateItem(updateRequest(name, expression, condition, names, values).build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw new StoreUnavailableException(
          "runner " + name + " could not be updated: " + e.getMessage(), e);
    }
  }

  private UpdateItemRequest.Builder updateRequest(
      String name,
      String expression,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(JobsTable.runnerKey(name))
        .updateExpression(expression)
        .conditionExpression(condition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values);
  }
}
