package dev.runfleet.emulators;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.JobsTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local in this JVM, in memory, with streams. Its threads outlive {@link #close()}, so a
 * program that started one exits explicitly.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

  private static final Object NATIVE_LOCK = new Object();
  private static Path nativeDir;

  private final DynamoDBProxyServer server;
  private final int port;

  private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts on a free loopback port (or {@code port} when positive). */
  public static EmbeddedDynamoDb start(int port) {
    prepareNativeLibrary();
    int chosen = port > 0 ? port : freePort();
    try {
      DynamoDBProxyServer server =
          ServerRunner.createServerFromCommandLineArgs(
              new String[] {"-inMemory", "-port", Integer.toString(chosen), "-disableTelemetry"});
      server.start();
      return new EmbeddedDynamoDb(server, chosen);
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not start on port " + chosen, e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public AwsSettings settings() {
    return AwsSettings.emulator(endpoint());
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
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static void prepareNativeLibrary() {
    synchronized (NATIVE_LOCK) {
      if (nativeDir != null || System.getProperty("sqlite4java.library.path") != null) {
        return;
      }
      String resource = "/runfleet-native/libsqlite4java-linux-amd64.so";
      try (InputStream in = EmbeddedDynamoDb.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(
              "SQLite native library missing from the classpath: " + resource);
        }
        Path dir = Files.createTempDirectory("runfleet-sqlite");
        dir.toFile().deleteOnExit();
        Path lib = dir.resolve("libsqlite4java-linux-amd64.so");
        Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        lib.toFile().deleteOnExit();
        System.setProperty("sqlite4java.library.path", dir.toString());
        nativeDir = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract the SQLite native library", e);
      }
    }
  }
}
