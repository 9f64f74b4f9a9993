package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {

  @Test
  void toString_keepsTheRecordsOwnFormat_forTheStartLogLine() {
    AwsSettings settings =
        new AwsSettings(
            "eu-west-1",
            Optional.of(URI.create("http://localhost:4566")),
            Map.of("sns", URI.create("http://localhost:9324")),
            Duration.ofSeconds(8),
            Duration.ofMillis(2666));

    assertThat(settings)
        .hasToString(
            "AwsSettings[region=eu-west-1, endpointOverride=Optional[http://localhost:4566],"
                + " serviceEndpoints={sns=http://localhost:9324}, apiCallTimeout=PT8S,"
                + " apiCallAttemptTimeout=PT2.666S]");
  }
}
