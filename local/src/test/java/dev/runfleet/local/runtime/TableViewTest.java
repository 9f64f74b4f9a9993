package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link TableView#anyLive()} on the embedded emulator, through the SDK. */
class TableViewTest {

  private static EmbeddedDynamoDb dynamo;
  private static DynamoDbClient client;

  @BeforeAll
  static void start() {
    dynamo = EmbeddedDynamoDb.start(0);
    client = dynamo.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    dynamo.close();
  }

  @Test
  void anyLive_seesEveryLiveStatusOfAJobOrARunner_andNoTerminalOne() {
    String table = "jobs-any-live";
    EmbeddedDynamoDb.createJobsTable(client, table);
    TableView view = new TableView(client, table);
    assertThat(view.anyLive()).as("empty table").isFalse();

    for (JobStatus status : JobStatus.values()) {
      put(table, "JOB#1", JobsTable.SK_JOB, JobsTable.TYPE_JOB, status.name());
      assertThat(view.anyLive()).as("a job %s", status).isEqualTo(!status.isTerminal());
    }
    for (RunnerStatus status : RunnerStatus.values()) {
      put(table, "RUNNER#r1", JobsTable.SK_RUNNER, JobsTable.TYPE_RUNNER, status.name());
      assertThat(view.anyLive()).as("a runner %s", status).isEqualTo(!status.isTerminal());
    }
  }

  private static void put(String table, String pk, String sk, String type, String status) {
    client.putItem(
        b ->
            b.tableName(table)
                .item(
                    Map.of(
                        JobsTable.PK, AttributeValue.fromS(pk),
                        JobsTable.SK, AttributeValue.fromS(sk),
                        JobsTable.TYPE, AttributeValue.fromS(type),
                        JobsTable.STATUS, AttributeValue.fromS(status))));
  }
}
