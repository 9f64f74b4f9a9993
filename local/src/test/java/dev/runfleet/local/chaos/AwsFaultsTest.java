package dev.runfleet.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.EmbeddedSqs;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

class AwsFaultsTest {

  @Test
  void crashAfterWrite_failsTheCaller_afterTheWriteTookEffect() {
    try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0);
        DynamoDbClient client = dynamoDb.client()) {
      EmbeddedDynamoDb.createJobsTable(client, "crash");
      FaultCounts counts = new FaultCounts();
      try (AwsFaults faults =
          AwsFaults.inject(dynamoDb.endpoint(), new AwsFaults.Rates(1.0, 0.0), 7, counts)) {
        Map<String, AttributeValue> item =
            Map.of(
                "pk", AttributeValue.fromS("JOB#1"),
                "sk", AttributeValue.fromS("ATTEMPT#1"));
        assertThatThrownBy(() -> client.putItem(b -> b.tableName("crash").item(item)))
            .isInstanceOf(SdkClientException.class)
            .hasMessageContaining("after PutItem took effect");
        // Reads are never faulted, and the write is there.
        assertThat(client.getItem(b -> b.tableName("crash").key(item)).item()).isEqualTo(item);
      }
      assertThat(counts.snapshot()).containsEntry(AwsFaults.CRASH_AFTER_WRITE, 1);
    }
  }

  @Test
  void publishFailure_failsTheSend_withoutSendingIt() {
    try (EmbeddedSqs sqsServer = EmbeddedSqs.start(0);
        SqsClient sqs =
            new AwsClients(sqsServer.settings()).configure(SqsClient.builder()).build()) {
      String queue = sqs.createQueue(b -> b.queueName("faulted")).queueUrl();
      FaultCounts counts = new FaultCounts();
      try (AwsFaults faults =
          AwsFaults.inject(
              sqsServer.settings().endpointOverride().orElseThrow(),
              new AwsFaults.Rates(0.0, 1.0),
              7,
              counts)) {
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")))
            .isInstanceOf(SdkClientException.class)
            .hasMessageContaining(AwsFaults.SQS_SEND_FAILURE);
      }
      assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).isEmpty();
      assertThat(counts.snapshot()).containsEntry(AwsFaults.SQS_SEND_FAILURE, 1);
      // Closed: calls go through again.
      sqs.sendMessage(b -> b.queueUrl(queue).messageBody("y"));
      assertThat(sqs.receiveMessage(b -> b.queueUrl(queue)).messages()).hasSize(1);
    }
  }
}
