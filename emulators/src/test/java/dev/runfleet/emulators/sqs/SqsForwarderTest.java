package dev.runfleet.emulators.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.emulators.EmbeddedSqs;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

class SqsForwarderTest {

  private static EmbeddedSqs elasticMq;
  private static EdgeServer edge;
  private static SqsClient sqs;

  @BeforeAll
  static void start() {
    elasticMq = EmbeddedSqs.start(0);
    edge = EdgeServer.start(0, AwsEdge.of(new SqsForwarder(elasticMq.endpoint())));
    sqs =
        new AwsClients(AwsSettings.emulator(edge.endpoint()))
            .configure(SqsClient.builder())
            .build();
  }

  @AfterAll
  static void stop() {
    sqs.close();
    edge.close();
    elasticMq.close();
  }

  @Test
  void sqsCalls_throughTheEdge_reachElasticMq() {
    String url = sqs.createQueue(b -> b.queueName("through-edge")).queueUrl();

    sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
    var received = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();

    assertThat(received).extracting(m -> m.body()).containsExactly("hello");
    assertThat(URI.create(url).getPort()).isEqualTo(elasticMq.endpoint().getPort());
  }

  @Test
  void sqsErrors_throughTheEdge_keepTheirType() {
    assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("never-created")))
        .isInstanceOf(QueueDoesNotExistException.class);
  }
}
