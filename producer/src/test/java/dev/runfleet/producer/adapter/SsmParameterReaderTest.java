package dev.runfleet.producer.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.emulators.SsmStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SsmParameterReaderTest {

  private SsmStub stub;
  private ParameterStore ssm;

  @BeforeEach
  void start() throws Exception {
    stub = new SsmStub().put("/runfleet/webhook-secret", "from ssm: s3cr3t");
    ssm = SsmParameters.using(new AwsClients(AwsSettings.emulator(stub.endpoint())));
  }

  @AfterEach
  void stop() {
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
        .hasMessageContaining("/runfleet/nope")
        .hasMessageContaining("does not exist");
  }
}
