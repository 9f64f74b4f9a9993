package dev.runfleet.emulators.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.InProcessEndpoints;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.dynamodb.DynamoDbApi;
import dev.runfleet.emulators.dynamodb.DynamoDbEngine;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class EdgeHttpClientTest {

  /** Nothing listens here: a call that goes over a socket is refused. */
  private static final URI NO_SERVER = URI.create("http://127.0.0.1:9");

  private final DynamoDbEngine engine = new DynamoDbEngine(Clock.systemUTC(), "us-east-1");
  private final AwsEdge edge = AwsEdge.of(new DynamoDbApi(engine));

  private DynamoDbClient client(URI endpoint) {
    return new AwsClients(AwsSettings.emulator(endpoint))
        .configure(DynamoDbClient.builder())
        .build();
  }

  @Test
  void sdkClient_forARegisteredEndpoint_reachesTheEmulatorWithoutASocket() throws Exception {
    try (AutoCloseable registered =
            InProcessEndpoints.register(NO_SERVER, new EdgeHttpClient(edge));
        DynamoDbClient dynamo = client(NO_SERVER)) {
      EmbeddedDynamoDb.createJobsTable(dynamo, "jobs");
      Map<String, AttributeValue> key =
          Map.of(
              JobsTable.PK, AttributeValue.fromS("JOB#1"), JobsTable.SK, AttributeValue.fromS("A"));
      dynamo.putItem(b -> b.tableName("jobs").item(key));

      Map<String, AttributeValue> read =
          dynamo.getItem(b -> b.tableName("jobs").key(key).consistentRead(true)).item();

      assertThat(read).isEqualTo(key);
    }
  }

  @Test
  void sdkClient_afterTheEndpointIsUnregistered_goesOverHttpAgain() throws Exception {
    AutoCloseable registered = InProcessEndpoints.register(NO_SERVER, new EdgeHttpClient(edge));
    try (DynamoDbClient dynamo = client(NO_SERVER)) {
      dynamo.listTables();
      registered.close();

      assertThatThrownBy(dynamo::listTables).isInstanceOf(SdkClientException.class);
    }
  }

  @Test
  void call_thatNoServiceRecognises_is404AsOverHttp() throws Exception {
    try (AutoCloseable registered =
            InProcessEndpoints.register(NO_SERVER, new EdgeHttpClient(AwsEdge.of()));
        DynamoDbClient dynamo = client(NO_SERVER)) {
      assertThatThrownBy(dynamo::listTables)
          .isInstanceOfSatisfying(
              SdkServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }
  }

  @Test
  void register_twiceForOneEndpoint_isRefused() throws Exception {
    try (AutoCloseable registered =
        InProcessEndpoints.register(NO_SERVER, new EdgeHttpClient(edge))) {
      assertThatThrownBy(() -> InProcessEndpoints.register(NO_SERVER, new EdgeHttpClient(edge)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:9");
    }
  }
}
