package dev.runfleet.producer.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.emulators.SsmStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;

class SsmParameterReaderTest {

  private SsmStub stub;
  private SsmClient ssm;

  @BeforeEach
  void start() throws Exception {
    stub = new SsmStub().put("/runfleet/webhook-secret", "from ssm: s3cr3t");
    ssm =
        new AwsClients(AwsSettings.emulator(stub.endpoint()))
            .configure(SsmClient.builder())
            .build();
  }

  @AfterEach
  void stop() {
    ssm.close();
    stub.close();
  }

  @Test
  void apply_readsTheSecureStringDecrypted() {
    String value = new SsmParameterReader(ssm).apply("/runfleet/webhook-secret");

    assertThat(value).isEqualTo("from ssm: s3cr3t");
    assertThat(stub.requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("Name").asText()).isEqualTo("/runfleet/webhook-secret");
              assertThat(r.get("WithDecryption").asBoolean()).isTrue();
            });
  }

  @Test
  void apply_whenParameterMissing_failsNamingIt() {
    assertThatThrownBy(() -> new SsmParameterReader(ssm).apply("/runfleet/nope"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/runfleet/nope");
  }
}
