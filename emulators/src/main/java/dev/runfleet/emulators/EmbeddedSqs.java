package dev.runfleet.emulators;

import dev.runfleet.aws.AwsSettings;
import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

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

  /**
   * The messages a queue holds, visible, in flight or delayed (the approximate counts SQS gives).
   */
  public static int messages(SqsClient sqs, String queueUrl) {
    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    return attributes.values().stream().mapToInt(Integer::parseInt).sum();
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
