package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.aws.AwsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Whatever {@value #ENV} names: an endpoint URL (a LocalStack someone started, another emulator)
 * with emulator credentials, or {@code aws} for real AWS with the default credentials chain and the
 * region from {@code AWS_REGION}. Unset: skipped. Tables get a random prefix and are deleted after
 * each test class.
 */
final class EndpointTarget extends SdkTarget {

  static final String ENV = "RUNFLEET_CONFORMANCE_ENDPOINT";

  private final String endpoint;

  private EndpointTarget(String endpoint) {
    super("endpoint " + endpoint, settings(endpoint), "runfleet-conf-");
    this.endpoint = endpoint;
  }

  private static AwsSettings settings(String endpoint) {
    String region = Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1");
    return isAws(endpoint)
        ? new AwsSettings(
            region, Optional.empty(), Map.of(), Duration.ofSeconds(60), Duration.ofSeconds(20))
        : new AwsSettings(
            region,
            Optional.of(URI.create(endpoint)),
            Map.of(),
            Duration.ofSeconds(60),
            Duration.ofSeconds(30));
  }

  static String configured() {
    String value = System.getenv(ENV);
    return value == null || value.isBlank() ? null : value.trim();
  }

  static String unavailableReason() {
    return configured() == null ? ENV + " unset: endpoint target skipped" : null;
  }

  static ConformanceTarget start() {
    return new EndpointTarget(configured());
  }

  private static boolean isAws(String endpoint) {
    return "aws".equalsIgnoreCase(endpoint);
  }

  @Override
  public boolean slow() {
    return isAws(endpoint);
  }
}
