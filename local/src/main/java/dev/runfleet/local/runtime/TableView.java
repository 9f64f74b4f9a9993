package dev.runfleet.local.runtime;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Consistent reads of a jobs table for inspection (the local API, the demo's verdict, tests): scans
 * by item type and the slot counters. Never on the pipeline's path.
 */
public final class TableView {

  private final DynamoDbClient dynamo;
  private final String table;

  public TableView(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public List<Job> jobs() {
    return items(JobsTable.TYPE_JOB).stream().map(JobsTable::toJob).toList();
  }

  public List<Runner> runners() {
    return items(JobsTable.TYPE_RUNNER).stream().map(JobsTable::toRunner).toList();
  }

  /**
   * Whether any job or runner is in a status that is not terminal: one query of a single item per
   * such status on {@link JobsTable#STATUS_INDEX}, which only live items' partitions hold, so it
   * costs the same however many jobs the table has seen (the scans of {@link #jobs()} and {@link
   * #runners()} read them all). The embedded emulator updates an index in the write that changes
   * its item; on AWS an index may lag a write by a moment.
   */
  public boolean anyLive() {
    return Stream.concat(
            Arrays.stream(JobStatus.values()).filter(s -> !s.isTerminal()).map(Enum::name),
            Arrays.stream(RunnerStatus.values()).filter(s -> !s.isTerminal()).map(Enum::name))
        .anyMatch(this::anyIn);
  }

  private boolean anyIn(String status) {
    return dynamo
            .query(
                b ->
                    b.tableName(table)
                        .indexName(JobsTable.STATUS_INDEX)
                        .keyConditionExpression("#status = :status")
                        .expressionAttributeNames(Map.of("#status", JobsTable.STATUS))
                        .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status)))
                        .select(Select.COUNT)
                        .limit(1))
            .count()
        > 0;
  }

  /** The item at {@code key}, empty when there is none. */
  public Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    return dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
  }

  /** Runners holding a slot of {@code platformOrGlobal}, from the table's counter. */
  public int inFlight(String platformOrGlobal) {
    Map<String, AttributeValue> item = item(JobsTable.slotsKey(platformOrGlobal));
    return item == null || !item.containsKey(JobsTable.IN_FLIGHT)
        ? 0
        : (int) JobsTable.num(item, JobsTable.IN_FLIGHT);
  }

  private List<Map<String, AttributeValue>> items(String type) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder request =
          ScanRequest.builder()
              .tableName(table)
              .consistentRead(true)
              .filterExpression("#type = :type")
              .expressionAttributeNames(Map.of("#type", JobsTable.TYPE))
              .expressionAttributeValues(Map.of(":type", AttributeValue.fromS(type)));
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      ScanResponse page = dynamo.scan(request.build());
      out.addAll(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return out;
  }
}
