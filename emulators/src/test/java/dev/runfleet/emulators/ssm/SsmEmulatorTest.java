package dev.runfleet.emulators.ssm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class SsmEmulatorTest {

  private final SsmEmulator ssm = new SsmEmulator("us-east-1", Clock.systemUTC());

  private SsmEmulator.Reply call(String operation, String json) {
    return ssm.handle("AmazonSSM." + operation, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void deleteParameter_removesIt_andASecondDeleteAnswersParameterNotFound() {
    ssm.put("/runfleet/dev/allow", "acme");

    SsmEmulator.Reply deleted = call("DeleteParameter", "{\"Name\":\"/runfleet/dev/allow\"}");
    SsmEmulator.Reply read = call("GetParameter", "{\"Name\":\"/runfleet/dev/allow\"}");
    SsmEmulator.Reply again = call("DeleteParameter", "{\"Name\":\"/runfleet/dev/allow\"}");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(read.status()).isEqualTo(400);
    assertThat(read.body()).contains("ParameterNotFound");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.body()).contains("ParameterNotFound");
    assertThat(ssm.snapshot()).doesNotContainKey("/runfleet/dev/allow");
  }
}
