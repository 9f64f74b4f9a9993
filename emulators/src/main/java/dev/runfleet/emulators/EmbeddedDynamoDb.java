package dev.runfleet.emulators;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.emulators.dynamodb.DynamoDbEngine;
import dev.runfleet.emulators.dynamodb.DynamoDbServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * runfleet's own DynamoDB and DynamoDB Streams emulator in this JVM, in memory, on a loopback port,
 * with clients built as the functions build theirs.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

  private final DynamoDbServer server;

  private EmbeddedDynamoDb(DynamoDbServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port (or {@code port} when positive), sweeping TTL every second. */
  public static EmbeddedDynamoDb start(int port) {
    return new EmbeddedDynamoDb(DynamoDbServer.start(Math.max(port, 0)));
  }

  /**
   * Starts on {@code engine} (its clock is the tests' to move); {@code ttlSweep} null sweeps only
   * when the test calls {@link DynamoDbEngine#expireItems()}.
   */
  public static EmbeddedDynamoDb start(DynamoDbEngine engine, int port, Duration ttlSweep) {
    return new EmbeddedDynamoDb(DynamoDbServer.start(engine, Math.max(port, 0), ttlSweep));
  }

  public URI endpoint() {
    return server.endpoint();
  }

  public AwsSettings settings() {
    return AwsSettings.emulator(endpoint());
  }

  /** The engine behind the endpoint: its clock, its TTL sweep. */
  public DynamoDbEngine engine() {
    return server.engine();
  }

  public DynamoDbClient client() {
    return new AwsClients(settings()).configure(DynamoDbClient.builder()).build();
  }

  public DynamoDbStreamsClient streamsClient() {
    return new AwsClients(settings()).configure(DynamoDbStreamsClient.builder()).build();
  }

  /** Creates the jobs table as Terraform does and returns its stream ARN. */
  public static String createJobsTable(DynamoDbClient client, String tableName) {
    try {
      client.createTable(JobsTable.createTableRequest(tableName));
    } catch (ResourceInUseException e) {
      // An SDK retry after a slow first attempt finds the table it created: that is success.
    }
    return client
        .describeTable(DescribeTableRequest.builder().tableName(tableName).build())
        .table()
        .latestStreamArn();
  }

  @Override
  public void close() {
    server.close();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
