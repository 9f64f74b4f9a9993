package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

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

  @Test
  void callTimeouts_areArmedOnTheSharedTimer_andLeaveItWhenTheCallEnds() throws Exception {
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    SdkHttpClient slowDynamoDb =
        new SdkHttpClient() {
          @Override
          public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
              @Override
              public HttpExecuteResponse call() {
                inCall.countDown();
                try {
                  answer.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return HttpExecuteResponse.builder()
                    .response(SdkHttpResponse.builder().statusCode(200).build())
                    .responseBody(
                        AbortableInputStream.create(
                            new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))
                    .build();
              }

              @Override
              public void abort() {}
            };
          }

          @Override
          public void close() {}
        };
    // Port 1 is never listened on: the call is answered in this JVM or not at all.
    URI endpoint = URI.create("http://127.0.0.1:1");
    ScheduledThreadPoolExecutor timers = (ScheduledThreadPoolExecutor) AwsClients.CallTimers.SHARED;
    try (AutoCloseable answered = InProcessEndpoints.register(endpoint, slowDynamoDb);
        DynamoDbClient dynamoDb =
            new AwsClients(AwsSettings.emulator(endpoint))
                .configure(DynamoDbClient.builder())
                .build()) {
      CompletableFuture<GetItemResponse> call =
          CompletableFuture.supplyAsync(
              () ->
                  dynamoDb.getItem(
                      b ->
                          b.tableName("runfleet-jobs")
                              .key(Map.of("pk", AttributeValue.fromS("a")))));
      assertThat(inCall.await(10, TimeUnit.SECONDS)).isTrue();
      // The call's timeout and its attempt's, both on the one shared thread.
      assertThat(timers.getQueue()).hasSize(2);

      answer.countDown();

      assertThat(call.get(10, TimeUnit.SECONDS).hasItem()).isFalse();
      // Cancelled as the call ended, and gone from the queue rather than left to expire.
      assertThat(timers.getQueue()).isEmpty();
    }
    // Closing a client leaves the timer every other client of the process still uses.
    assertThat(timers.isShutdown()).isFalse();
  }
}
