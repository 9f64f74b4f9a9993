package dev.runfleet.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublisherConfigTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put(PublisherConfig.ENV_TABLE, "jobs");
    env.put(PublisherConfig.ENV_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:runner-commands");
    env.put("AWS_REGION", "eu-west-1");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void ceilings_default_to1000RunnersPerPlatformAnd20LaunchesASecond() {
    PublisherConfig config = PublisherConfig.from(env());

    assertThat(config.maxCapPerPlatform()).isEqualTo(1000);
    assertThat(config.maxLaunchRate()).isEqualTo(20);
  }

  @Test
  void ceilings_areReadFromTheEnvironment() {
    PublisherConfig config =
        PublisherConfig.from(
            env(
                PublisherConfig.ENV_MAX_CAP_PER_PLATFORM, "50",
                PublisherConfig.ENV_MAX_LAUNCH_RATE, "5"));

    assertThat(config.maxCapPerPlatform()).isEqualTo(50);
    assertThat(config.maxLaunchRate()).isEqualTo(5);
  }

  @Test
  void ceilings_outOfRange_areRefusedTogether() {
    assertThatThrownBy(
            () ->
                PublisherConfig.from(
                    env(
                        PublisherConfig.ENV_MAX_CAP_PER_PLATFORM, "-1",
                        PublisherConfig.ENV_MAX_LAUNCH_RATE, "0")))
        .hasMessageContaining(PublisherConfig.ENV_MAX_CAP_PER_PLATFORM)
        .hasMessageContaining(PublisherConfig.ENV_MAX_LAUNCH_RATE);
  }
}
