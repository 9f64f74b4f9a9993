package dev.runfleet.it.support;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.local.aws.LocalQueues;
import java.net.URI;
import java.util.Map;
import org.testcontainers.containers.localstack.LocalStackContainer;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The AWS APIs from a LocalStack container: DynamoDB with Streams, SQS, SSM, and the real SNS API,
 * with subscriptions made exactly as Terraform makes them (raw delivery, filter policy on message
 * attributes). The container's lifecycle belongs to the test class.
 */
public final class LocalStackAwsBackend implements AwsPipeline.Backend {

  /** Pinned: LocalStack tags after 4.14 want an auth token. */
  public static final String IMAGE = "localstack/localstack:4.4";

  private final URI endpoint;
  private final SnsClient sns;
  private final SsmClient ssm;

  public LocalStackAwsBackend(LocalStackContainer container) {
    this.endpoint = container.getEndpoint();
    AwsClients clients = new AwsClients(AwsSettings.emulator(endpoint));
    this.sns = clients.configure(SnsClient.builder()).build();
    this.ssm = clients.configure(SsmClient.builder()).build();
  }

  @Override
  public URI dynamoDbEndpoint() {
    return endpoint;
  }

  @Override
  public URI sqsEndpoint() {
    return endpoint;
  }

  @Override
  public URI snsEndpoint() {
    return endpoint;
  }

  @Override
  public URI ssmEndpoint() {
    return endpoint;
  }

  @Override
  public void putParameter(String name, String value) {
    ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true));
  }

  @Override
  public String createTopic(String name) {
    return sns.createTopic(b -> b.name(name)).topicArn();
  }

  @Override
  public void subscribe(String topicArn, LocalQueues.PlatformQueue queue, String filterPolicy) {
    sns.subscribe(
        b ->
            b.topicArn(topicArn)
                .protocol("sqs")
                .endpoint(queue.queueArn())
                .returnSubscriptionArn(true)
                .attributes(
                    Map.of(
                        "RawMessageDelivery", "true",
                        "FilterPolicyScope", "MessageAttributes",
                        "FilterPolicy", filterPolicy)));
  }

  @Override
  public void close() {
    ssm.close();
    sns.close();
  }
}
