package dev.runfleet.aws;

import dev.runfleet.common.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How every SDK client of a process is built: region, optional endpoint overrides (emulators, the
 * local runtime), static credentials for emulators, and the call timeouts.
 *
 * @param region AWS region
 * @param endpointOverride where to send calls instead of AWS, if anywhere
 * @param serviceEndpoints per-service overrides (key: the SDK's service name, e.g. {@code sns}),
 *     winning over {@code endpointOverride}
 * @param apiCallTimeout bound on a whole call including retries; below the function timeout
 * @param apiCallAttemptTimeout bound on one attempt
 */
public record AwsSettings(
    String region,
    Optional<URI> endpointOverride,
    Map<String, URI> serviceEndpoints,
    Duration apiCallTimeout,
    Duration apiCallAttemptTimeout) {

  /**
   * Services whose endpoint can be overridden one by one with {@code
   * RUNFLEET_AWS_ENDPOINT_<SERVICE>}.
   */
  public static final List<String> SERVICES =
      List.of("dynamodb", "sns", "sqs", "ssm", "ecs", "ec2", "secretsmanager");

  public AwsSettings {
    serviceEndpoints = Map.copyOf(serviceEndpoints);
  }

  /**
   * The record's own format, written out: every function logs its settings once at start, and the
   * generated {@code toString} bootstraps method handles (about 25 classes) for that one line.
   */
  @Override
  public String toString() {
    return "AwsSettings[region="
        + region
        + ", endpointOverride="
        + endpointOverride
        + ", serviceEndpoints="
        + serviceEndpoints
        + ", apiCallTimeout="
        + apiCallTimeout
        + ", apiCallAttemptTimeout="
        + apiCallAttemptTimeout
        + "]";
  }

  /** The endpoint override for {@code service}, if any. */
  public Optional<URI> endpointFor(String service) {
    return Optional.ofNullable(serviceEndpoints.get(service)).or(() -> endpointOverride);
  }

  /** The same settings with {@code service} sent to {@code endpoint}. */
  public AwsSettings withServiceEndpoint(String service, URI endpoint) {
    Map<String, URI> endpoints = new HashMap<>(serviceEndpoints);
    endpoints.put(service, endpoint);
    return new AwsSettings(
        region, endpointOverride, endpoints, apiCallTimeout, apiCallAttemptTimeout);
  }

  public static final String ENV_REGION = "AWS_REGION";
  public static final String ENV_ENDPOINT = "RUNFLEET_AWS_ENDPOINT";
  public static final String ENV_CALL_TIMEOUT_MS = "RUNFLEET_AWS_CALL_TIMEOUT_MS";

  /** Reads the settings; problems are collected in {@code env}. */
  public static AwsSettings from(Env env) {
    String region = env.optional(ENV_REGION, "us-east-1");
    Optional<URI> endpoint = env.optional(ENV_ENDPOINT).map(URI::create);
    Map<String, URI> services = new HashMap<>();
    for (String service : SERVICES) {
      env.optional(ENV_ENDPOINT + "_" + service.toUpperCase(Locale.ROOT))
          .ifPresent(uri -> services.put(service, URI.create(uri)));
    }
    int callMs = env.integer(ENV_CALL_TIMEOUT_MS, 8_000, 100, 900_000);
    return new AwsSettings(
        region,
        endpoint,
        services,
        Duration.ofMillis(callMs),
        Duration.ofMillis(Math.max(100, callMs / 3)));
  }

  /**
   * Settings for an emulator at {@code endpoint}: generous timeouts, since emulators share a busy
   * machine.
   */
  public static AwsSettings emulator(URI endpoint) {
    return new AwsSettings(
        "us-east-1",
        Optional.of(endpoint),
        Map.of(),
        Duration.ofSeconds(60),
        Duration.ofSeconds(30));
  }
}
