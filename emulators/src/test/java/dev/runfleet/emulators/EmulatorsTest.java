package dev.runfleet.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.JobsTable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

class EmulatorsTest {

  @Test
  void dynamoDbLocal_servesTheJobsTableWithItsIndexAndStream() {
    try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start(0);
        DynamoDbClient client = ddb.client();
        DynamoDbStreamsClient streams = ddb.streamsClient()) {
      String arn = EmbeddedDynamoDb.createJobsTable(client, "jobs-emulator-test");
      client.putItem(
          PutItemRequest.builder()
              .tableName("jobs-emulator-test")
              .item(
                  Map.of(
                      JobsTable.PK, AttributeValue.fromS("a"),
                      JobsTable.SK, AttributeValue.fromS("b"),
                      JobsTable.QUEUE_PK, AttributeValue.fromS("fargate"),
                      JobsTable.QUEUE_SK, AttributeValue.fromS("1")))
              .build());
      int found =
          client
              .query(
                  QueryRequest.builder()
                      .tableName("jobs-emulator-test")
                      .indexName(JobsTable.QUEUE_INDEX)
                      .keyConditionExpression("qpk = :p")
                      .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("fargate")))
                      .build())
              .count();
      assertThat(found).isEqualTo(1);
      assertThat(arn).isNotBlank();
      assertThat(
              streams
                  .describeStream(DescribeStreamRequest.builder().streamArn(arn).build())
                  .streamDescription()
                  .shards())
          .isNotEmpty();
    }
  }

  @Test
  void elasticMq_createsQueues() {
    try (EmbeddedSqs sqs = EmbeddedSqs.start(0);
        SqsClient client = new AwsClients(sqs.settings()).configure(SqsClient.builder()).build()) {
      String url = client.createQueue(b -> b.queueName("emulator-test")).queueUrl();
      assertThat(url).contains("emulator-test");
    }
  }
}
