package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class AwsClientsTest {

  private static AwsSettings aws(Map<String, URI> endpoints) {
    return new AwsSettings(
        "eu-west-1", Optional.empty(), endpoints, Duration.ofSeconds(8), Duration.ofSeconds(2));
  }

  @Test
  void credentials_inAws_areOneChain_withLambdasEnvironmentVariablesFirst() {
    AwsClients clients = new AwsClients(aws(Map.of()));

    assertThat(clients.credentials("ssm")).isSameAs(clients.credentials("dynamodb"));
    assertThat(clients.credentials("ssm").toString())
        .startsWith("AwsCredentialsProviderChain(credentialsProviders=[EnvironmentVariable")
        .contains("DefaultCredentialsProvider");
    try (DynamoDbClient dynamoDb =
        clients.configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME).build()) {
      assertThat(dynamoDb.serviceClientConfiguration().credentialsProvider())
          .isSameAs(clients.credentials("dynamodb"));
    }
  }

  @Test
  void credentials_forAnOverriddenEndpoint_areTheEmulators() {
    AwsClients clients =
        new AwsClients(aws(Map.of("dynamodb", URI.create("http://localhost:8000"))));

    assertThat(clients.credentials("dynamodb").resolveCredentials().accessKeyId())
        .isEqualTo("runfleet");
    assertThat(clients.credentials("ssm")).isNotSameAs(clients.credentials("dynamodb"));
  }
}
