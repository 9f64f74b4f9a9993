package dev.runfleet.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.EmbeddedSqs;
import dev.runfleet.local.aws.LocalQueues;
import dev.runfleet.emulators.sns.SnsEmulator;
import dev.runfleet.emulators.ssm.SsmEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS APIs from this JVM, no Docker needed: DynamoDB Local with its stream, ElasticMQ, the
 * local SNS endpoint that applies the subscription filter policies with AWS's own matcher, and the
 * local parameter store.
 */
public final class EmbeddedAwsBackend implements AwsPipeline.Backend {

  private final EmbeddedDynamoDb dynamoDb;
  private final EmbeddedSqs sqsServer;
  private final SqsClient sqs;
  private final SnsEmulator sns;
  private final SsmEmulator parameters;
  private final HttpServer ssm;

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
    this.ssm = serve(parameters);
  }

  public static EmbeddedAwsBackend start() {
    EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0);
    EmbeddedSqs sqsServer = EmbeddedSqs.start(0);
    SqsClient sqs = new AwsClients(sqsServer.settings()).configure(SqsClient.builder()).build();
    return new EmbeddedAwsBackend(
        dynamoDb,
        sqsServer,
        sqs,
        SnsEmulator.start(sqs),
        new SsmEmulator(AwsPipeline.Backend.REGION, Clock.systemUTC()));
  }

  /** SSM's JSON protocol on a loopback port: the operation is in the X-Amz-Target header. */
  private static HttpServer serve(SsmEmulator parameters) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext("/", exchange -> answer(parameters, exchange));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on the loopback interface", e);
    }
  }

  private static void answer(SsmEmulator parameters, HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"POST".equals(exchange.getRequestMethod()) || !SsmEmulator.handles(target)) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      SsmEmulator.Reply reply = parameters.handle(target, exchange.getRequestBody().readAllBytes());
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(reply.status(), out.length);
      exchange.getResponseBody().write(out);
    }
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
    return sns.endpoint();
  }

  @Override
  public URI ssmEndpoint() {
    return URI.create("http://127.0.0.1:" + ssm.getAddress().getPort());
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
    // The local SNS delivers raw, as the subscriptions Terraform makes do.
    sns.subscribe(topicArn, filterPolicy, queue.queueUrl());
  }

  @Override
  public void close() {
    ssm.stop(0);
    sns.close();
    sqs.close();
    sqsServer.close();
    dynamoDb.close();
  }
}
