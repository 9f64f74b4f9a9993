package dev.runfleet.emulators.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.emulators.ssm.SsmEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EdgeServerTest {

  private final SsmEmulator ssm = new SsmEmulator("us-east-1", Clock.systemUTC());
  private final EdgeServer server = EdgeServer.start(0, AwsEdge.of(ssm));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String target, HttpRequest.BodyPublisher body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.endpoint().resolve("/"))
            .header("Content-Type", "application/x-amz-json-1.1")
            .POST(body);
    if (target != null) {
      request.header("X-Amz-Target", target);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void call_withTargetOfAServedApi_reachesThatService() throws Exception {
    ssm.put("/runfleet/dev/paused", "true");

    HttpResponse<String> response =
        post(
            "AmazonSSM.GetParameter",
            HttpRequest.BodyPublishers.ofString("{\"Name\":\"/runfleet/dev/paused\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"Value\":\"true\"");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/x-amz-json-1.1");
  }

  @Test
  void call_thatNoServiceRecognises_is404NamingTheTarget() throws Exception {
    HttpResponse<String> response =
        post("AmazonKinesis.PutRecord", HttpRequest.BodyPublishers.ofString("{}"));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("AmazonKinesis.PutRecord");
  }

  @Test
  void call_overTheBodyLimit_is413AndTheServerKeepsServing() throws Exception {
    byte[] huge = new byte[EdgeServer.MAX_BODY_BYTES + 1];

    HttpResponse<String> refused =
        post("AmazonSSM.GetParameter", HttpRequest.BodyPublishers.ofByteArray(huge));
    HttpResponse<String> next =
        post("AmazonSSM.GetParameter", HttpRequest.BodyPublishers.ofString("{\"Name\":\"/x\"}"));

    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(next.statusCode()).isEqualTo(400);
    assertThat(next.body()).contains("ParameterNotFound");
  }

  @Test
  void server_listensOnLoopbackOnly() {
    URI endpoint = server.endpoint();

    assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
    assertThat(EdgeServerTest.boundAddressOf(server)).isEqualTo("127.0.0.1");
  }

  private static String boundAddressOf(EdgeServer server) {
    return server.address().getAddress().getHostAddress();
  }
}
