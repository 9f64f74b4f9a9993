package dev.runfleet.it.support;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.EmbeddedSqs;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeServer;
import dev.runfleet.emulators.sns.SnsEmulator;
import dev.runfleet.emulators.ssm.SsmEmulator;
import dev.runfleet.local.aws.LocalQueues;
import java.net.URI;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS APIs from this JVM, no Docker needed: the embedded DynamoDB with its stream, ElasticMQ,
 * and the SNS (filter policies applied with AWS's own matcher) and SSM emulators behind one edge
 * port.
 */
public final class EmbeddedAwsBackend implements AwsPipeline.Backend {

  private final EmbeddedDynamoDb dynamoDb;
  private final EmbeddedSqs sqsServer;
  private final SqsClient sqs;
  private final SnsEmulator sns;
  private final SsmEmulator parameters;
  private final EdgeServer edge;

  private EmbeddedAwsBackend(
      EmbeddedDynamoDb dynamoDb,
      EmbeddedSqs sqsServer,
      SqsClient sqs,
      SnsEmulator sns,
      SsmEmulator parameters) {
    this.dynamoDb = dynamoDb;
    this.sqsServer = sqsServer;
    this.sqs = sqs;
    this.sns = sns;
    this.parameters = parameters;
    this.edge = EdgeServer.start(0, AwsEdge.of(parameters, sns));
  }

  public static EmbeddedAwsBackend start() {
    EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0);
    EmbeddedSqs sqsServer = EmbeddedSqs.start(0);
    SqsClient sqs = new AwsClients(sqsServer.settings()).configure(SqsClient.builder()).build();
    return new EmbeddedAwsBackend(
        dynamoDb,
        sqsServer,
        sqs,
        new SnsEmulator(sqs, AwsPipeline.Backend.REGION),
        new SsmEmulator(AwsPipeline.Backend.REGION, Clock.systemUTC()));
  }

  @Override
  public URI dynamoDbEndpoint() {
    return dynamoDb.endpoint();
  }

  @Override
  public URI sqsEndpoint() {
    return sqsServer.endpoint();
  }

  @Override
  public URI snsEndpoint() {
    return edge.endpoint();
  }

  @Override
  public URI ssmEndpoint() {
    return edge.endpoint();
  }

  @Override
  public void putParameter(String name, String value) {
    parameters.put(name, value);
  }

  @Override
  public String createTopic(String name) {
    return sns.createTopic(name);
  }

  @Override
  public void subscribe(String topicArn, LocalQueues.PlatformQueue queue, String filterPolicy) {
    // The SNS emulator delivers raw, as the subscriptions Terraform makes do.
    sns.subscribe(topicArn, filterPolicy, queue.queueUrl());
  }

  @Override
  public void close() {
    edge.close();
    sqs.close();
    sqsServer.close();
    dynamoDb.close();
  }
}
