package dev.runfleet.emulators;

import dev.runfleet.aws.AwsSettings;
import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ in this JVM: the SQS API, FIFO, visibility timeouts and dead-letter redrive. */
public final class EmbeddedSqs implements AutoCloseable {

  private final SQSRestServer server;
  private final int port;

  private EmbeddedSqs(SQSRestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts on a free loopback port (or {@code port} when positive). */
  public static EmbeddedSqs start(int port) {
    int chosen = port > 0 ? port : EmbeddedDynamoDb.freePort();
    SQSRestServer server = SQSRestServerBuilder.withPort(chosen).withInterface("127.0.0.1").start();
    server.waitUntilStarted();
    return new EmbeddedSqs(server, chosen);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public AwsSettings settings() {
    return AwsSettings.emulator(endpoint());
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
