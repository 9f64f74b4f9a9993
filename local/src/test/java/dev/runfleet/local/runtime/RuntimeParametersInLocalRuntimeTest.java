package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.adapter.ParameterFlowSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The runtime parameters through the SSM API of the local runtime, as an operator would change
 * them.
 */
class RuntimeParametersInLocalRuntimeTest {

  private static LocalRuntime runtime;
  private static SsmClient ssm;

  @BeforeAll
  static void start() {
    runtime =
        LocalRuntime.start(
            RuntimeOptions.defaults("test-secret")
                .withPort(0)
                .withPlatforms(
                    PlatformCatalog.defaults().withCaps(Map.of("ec2-linux-arm64", 5)), 100));
    ssm =
        new AwsClients(AwsSettings.emulator(runtime.baseUri()))
            .configure(SsmClient.builder(), SsmClient.SERVICE_NAME)
            .build();
  }

  @AfterAll
  static void stop() {
    ssm.close();
    runtime.close();
  }

  private static void put(String name, String value) {
    ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true));
  }

  private static Job job(long id) {
    return runtime.jobs().stream().filter(j -> j.key().jobId() == id).findFirst().orElse(null);
  }

  @Test
  void capChangedThroughTheParameterStore_isFollowedWithinTheCachePeriod() {
    put(RuntimeParameters.cap(LocalRuntime.STAGE, "ec2-linux-arm64"), "0");
    runtime
        .gitHub()
        .queue(
            new SimJob(
                9001,
                1,
                1,
                List.of("self-hosted", "arm64"),
                "octo/repo",
                "octo",
                1,
                Duration.ofMillis(50),
                Instant.now()));
    await().atMost(Duration.ofSeconds(10)).until(() -> job(9001) != null);
    // Held by the zero cap for longer than the cache period plus a sweep.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> job(9001).status() == JobStatus.QUEUED);

    put(RuntimeParameters.cap(LocalRuntime.STAGE, "ec2-linux-arm64"), "1");

    await().atMost(Duration.ofSeconds(10)).until(() -> job(9001).status() == JobStatus.COMPLETED);
  }

  @Test
  void invalidValue_isRefused_andTheLastGoodValueStays() {
    PublisherConfig config =
        PublisherConfig.from(
            Map.of(
                "RUNFLEET_TABLE", "t",
                "RUNFLEET_TOPIC_ARN", "arn:aws:sns:us-east-1:000000000000:t",
                "RUNFLEET_STAGE", "validation",
                "RUNFLEET_PARAMETER_CACHE_SECONDS", "0",
                "RUNFLEET_GLOBAL_CAP", "40"));
    ParameterFlowSettings settings =
        new ParameterFlowSettings(
            SsmParameters.using(new AwsClients(AwsSettings.emulator(runtime.baseUri()))),
            config,
            Clock.systemUTC());
    PlatformCatalog platforms = PlatformCatalog.defaults();

    assertThat(settings.globalCap()).isEqualTo(40);
    assertThat(settings.platformCap(platforms.get("fargate"))).isEqualTo(10);
    assertThat(settings.paused()).isFalse();

    put(RuntimeParameters.cap("validation", "global"), "7");
    put(RuntimeParameters.cap("validation", "fargate"), "2");
    put(RuntimeParameters.paused("validation"), "true");
    put(RuntimeParameters.launchRate("validation"), "1.5/4");
    assertThat(settings.globalCap()).isEqualTo(7);
    assertThat(settings.platformCap(platforms.get("fargate"))).isEqualTo(2);
    assertThat(settings.paused()).isTrue();
    assertThat(settings.launchRate()).isEqualTo(new RuntimeParameters.LaunchRate(1.5, 4));

    put(RuntimeParameters.cap("validation", "global"), "-3");
    put(RuntimeParameters.cap("validation", "fargate"), "many");
    put(RuntimeParameters.paused("validation"), "maybe");
    assertThat(settings.globalCap()).isEqualTo(7);
    assertThat(settings.platformCap(platforms.get("fargate"))).isEqualTo(2);
    assertThat(settings.paused()).isTrue();

    ssm.deleteParameter(b -> b.name(RuntimeParameters.cap("validation", "global")));
    assertThat(settings.globalCap()).isEqualTo(40);
  }
}
