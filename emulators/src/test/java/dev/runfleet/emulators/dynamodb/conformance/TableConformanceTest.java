package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.JobsTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** CreateTable, DescribeTable, ListTables, DeleteTable; our jobs table as Terraform makes it. */
class TableConformanceTest extends ConformanceTestBase {

  @Test
  void createdTableIsDescribedActiveWithItsKeySchema() {
    String name = tableName("described");
    createTable(keyedTable(name, true, null).build());

    TableDescription table = ddb.describeTable(b -> b.tableName(name)).table();

    assertThat(table.tableName()).isEqualTo(name);
    assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
    assertThat(table.keySchema())
        .containsExactly(
            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
    assertThat(table.tableArn()).contains(":table/" + name);
    assertThat(table.itemCount()).isZero();
  }

  @Test
  void creatingAnExistingTableFailsWithResourceInUse() {
    String name = tableName("twice");
    createTable(keyedTable(name, false, null).build());

    expectError(
        "ResourceInUseException", () -> ddb.createTable(keyedTable(name, false, null).build()));
  }

  @Test
  void describingAMissingTableFailsWithResourceNotFound() {
    expectError(
        "ResourceNotFoundException",
        () -> ddb.describeTable(b -> b.tableName(tableName("never-created"))));
  }

  @Test
  void keySchemaAttributeWithoutDefinitionIsRefused() {
    expectError(
        "ValidationException",
        () ->
            ddb.createTable(
                keyedTable(tableName("undefined-key"), false, null)
                    .attributeDefinitions(
                        attr(
                            "other",
                            software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S))
                    .build()));
  }

  @Test
  void listTablesPagesThroughAllTables() {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = tableName("listed-" + i);
      createTable(keyedTable(name, false, null).build());
      mine.add(name);
    }

    List<String> seen = new ArrayList<>();
    String start = null;
    int pages = 0;
    do {
      String from = start;
      ListTablesResponse page = ddb.listTables(b -> b.limit(2).exclusiveStartTableName(from));
      assertThat(page.tableNames()).hasSizeLessThanOrEqualTo(2);
      seen.addAll(page.tableNames());
      start = page.lastEvaluatedTableName();
      pages++;
    } while (start != null && pages < 1000);

    assertThat(seen).containsAll(mine);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).isSorted();
  }

  @Test
  void deletedTableIsGone() {
    String name = tableName("deleted");
    createTable(keyedTable(name, false, null).build());

    TableDescription deleting = ddb.deleteTable(b -> b.tableName(name)).tableDescription();
    forgetTable(name);
    assertThat(deleting.tableName()).isEqualTo(name);

    try (var waiter = ddb.waiter()) {
      waiter.waitUntilTableNotExists(b -> b.tableName(name));
    }
    expectError("ResourceNotFoundException", () -> ddb.describeTable(b -> b.tableName(name)));
    expectError(
        "ResourceNotFoundException",
        () -> ddb.getItem(b -> b.tableName(name).key(item("pk", s("x")))));
  }

  @Test
  void jobsTableIsCreatableAndDescribedWithItsIndexAndStream() {
    String name = tableName("jobs");
    createTable(JobsTable.createTableRequest(name));

    TableDescription table = ddb.describeTable(b -> b.tableName(name)).table();

    assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(table.keySchema())
        .extracting(KeySchemaElement::attributeName)
        .containsExactly(JobsTable.PK, JobsTable.SK);
    assertThat(table.globalSecondaryIndexes())
        .extracting(GlobalSecondaryIndexDescription::indexName)
        .containsExactlyInAnyOrder(JobsTable.QUEUE_INDEX, JobsTable.STATUS_INDEX);
    GlobalSecondaryIndexDescription gsi =
        table.globalSecondaryIndexes().stream()
            .filter(i -> i.indexName().equals(JobsTable.QUEUE_INDEX))
            .findFirst()
            .orElseThrow();
    assertThat(gsi.indexName()).isEqualTo(JobsTable.QUEUE_INDEX);
    assertThat(gsi.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
    assertThat(gsi.keySchema())
        .containsExactly(
            KeySchemaElement.builder()
                .attributeName(JobsTable.QUEUE_PK)
                .keyType(KeyType.HASH)
                .build(),
            KeySchemaElement.builder()
                .attributeName(JobsTable.QUEUE_SK)
                .keyType(KeyType.RANGE)
                .build());
    assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.ALL);
    GlobalSecondaryIndexDescription byStatus =
        table.globalSecondaryIndexes().stream()
            .filter(i -> i.indexName().equals(JobsTable.STATUS_INDEX))
            .findFirst()
            .orElseThrow();
    assertThat(byStatus.keySchema())
        .extracting(KeySchemaElement::attributeName)
        .containsExactly(JobsTable.STATUS, JobsTable.PK);
    assertThat(table.streamSpecification().streamEnabled()).isTrue();
    assertThat(table.streamSpecification().streamViewType())
        .isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
    assertThat(table.latestStreamArn()).isNotBlank();
    assertThat(table.latestStreamLabel()).isNotBlank();
    assertThat(table.latestStreamArn()).endsWith("/stream/" + table.latestStreamLabel());
  }
}
