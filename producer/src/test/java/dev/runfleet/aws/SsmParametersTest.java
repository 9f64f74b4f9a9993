package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.emulators.SsmStub;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@link SsmParameters} against the SSM emulator over HTTP, cross-checked with the SSM SDK client
 * (a test dependency only): what it sends, what it reads, and how AWS's errors come back.
 */
class SsmParametersTest {

  private SsmStub stub;
  private AwsClients clients;
  private SsmParameters ssm;

  @BeforeEach
  void start() {
    stub = new SsmStub();
    clients = new AwsClients(AwsSettings.emulator(stub.endpoint()));
    ssm = SsmParameters.using(clients);
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void get_secureString_asksForDecryptionSignedAndReturnsTheValue() {
    try (SsmClient sdk = clients.configure(SsmClient.builder(), "ssm").build()) {
      sdk.putParameter(
          b -> b.name("/runfleet/secret").value("s3cr3t: ü").type(ParameterType.SECURE_STRING));
    }
    stub.requests.clear();
    stub.headers.clear();

    assertThat(ssm.get("/runfleet/secret", true)).contains("s3cr3t: ü");

    assertThat(stub.requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("Name").asText()).isEqualTo("/runfleet/secret");
              assertThat(r.get("WithDecryption").asBoolean()).isTrue();
            });
    Map<String, String> headers = stub.headers.get(0);
    assertThat(headers.get("x-amz-target")).isEqualTo("AmazonSSM.GetParameter");
    assertThat(headers.get("content-type")).isEqualTo("application/x-amz-json-1.1");
    assertThat(headers.get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=runfleet/")
        .contains("/us-east-1/ssm/aws4_request")
        .contains("SignedHeaders=")
        .contains("Signature=");
    assertThat(headers).containsKey("x-amz-date");
  }

  @Test
  void get_plainString_doesNotAskForDecryption() {
    stub.put("/runfleet/dev/allow", "org:acme");

    assertThat(ssm.get("/runfleet/dev/allow", false)).contains("org:acme");
    assertThat(stub.requests.get(0).get("WithDecryption").asBoolean()).isFalse();
  }

  @Test
  void get_whenParameterNotFound_isEmpty() {
    assertThat(ssm.get("/runfleet/none", true)).isEqualTo(Optional.empty());
  }

  @Test
  void getByPath_readsTheTreeRecursivelyDecrypted() {
    stub.put("/runfleet/dev/caps/global", "10")
        .put("/runfleet/dev/caps/fargate", "4")
        .put("/runfleet/dev/paused", "false")
        .put("/runfleet/other/paused", "true");

    assertThat(ssm.getByPath("/runfleet/dev"))
        .containsOnly(
            Map.entry("/runfleet/dev/caps/global", "10"),
            Map.entry("/runfleet/dev/caps/fargate", "4"),
            Map.entry("/runfleet/dev/paused", "false"));
    assertThat(stub.requests.get(0).get("Recursive").asBoolean()).isTrue();
    assertThat(stub.requests.get(0).get("WithDecryption").asBoolean()).isTrue();
  }

  @Test
  void putString_writesAStringParameterOverwriting() {
    stub.put("/runfleet/hook-ranges", "old");

    ssm.putString("/runfleet/hook-ranges", "192.30.252.0/22");

    try (SsmClient sdk = clients.configure(SsmClient.builder(), "ssm").build()) {
      var p = sdk.getParameter(b -> b.name("/runfleet/hook-ranges")).parameter();
      assertThat(p.value()).isEqualTo("192.30.252.0/22");
      assertThat(p.type()).isEqualTo(ParameterType.STRING);
      assertThat(p.version()).isEqualTo(2L);
    }
  }

  @Test
  void get_whenThrottledOnce_triesAgainAndSucceeds() {
    stub.put("/runfleet/dev/allow", "org:acme").failNext(1, 400, "ThrottlingException");

    assertThat(ssm.get("/runfleet/dev/allow", false)).contains("org:acme");
    assertThat(stub.requests).hasSize(2);
  }

  @Test
  void get_whenThrottledEveryTime_failsAsThrottlingAfterItsAttempts() {
    stub.put("/runfleet/dev/allow", "org:acme")
        .failNext(SsmParameters.ATTEMPTS, 400, "ThrottlingException");

    assertThatThrownBy(() -> ssm.get("/runfleet/dev/allow", false))
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(e.isThrottlingException()).isTrue();
              assertThat(AwsErrors.code(e)).isEqualTo("ThrottlingException");
              assertThat(AwsErrors.isTransient(e, Set.of())).isTrue();
            });
    assertThat(stub.requests).hasSize(SsmParameters.ATTEMPTS);
  }

  @Test
  void get_whenServerFailsOnce_triesAgain() {
    stub.put("/runfleet/dev/allow", "org:acme")
        .failNext(1, 500, "com.amazonaws.ssm#InternalServerError");

    assertThat(ssm.get("/runfleet/dev/allow", false)).contains("org:acme");
    assertThat(stub.requests).hasSize(2);
  }

  @Test
  void get_whenAccessDenied_failsAtOnceWithAwsCode() {
    stub.failNext(1, 400, "AccessDeniedException");

    assertThatThrownBy(() -> ssm.get("/runfleet/secret", true))
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(AwsErrors.code(e)).isEqualTo("AccessDeniedException");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(AwsErrors.isTransient(e, Set.of())).isFalse();
            });
    assertThat(stub.requests).hasSize(1);
  }

  @Test
  void putString_whenRefused_neverEchoesTheValue() {
    stub.failNext(1, 400, "ValidationException");

    assertThatThrownBy(() -> ssm.putString("/runfleet/x", "value-that-must-not-leak"))
        .isInstanceOf(AwsServiceException.class)
        .hasMessageContaining("ValidationException")
        .hasMessageNotContaining("value-that-must-not-leak");
  }

  @Test
  void get_whenNothingListens_failsAsAClientError() {
    int port = stub.endpoint().getPort();
    stub.close();
    SsmParameters unreachable =
        SsmParameters.using(
            new AwsClients(
                new AwsSettings(
                    "us-east-1",
                    Optional.of(URI.create("http://127.0.0.1:" + port)),
                    Map.of(),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(500))));

    assertThatThrownBy(() -> unreachable.get("/runfleet/x", false))
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("GetParameter unreachable");
  }
}
