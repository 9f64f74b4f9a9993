package dev.runfleet.aws;

import dev.runfleet.common.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How every SDK client of a process is built: region, an optional endpoint override (emulators, the local
 * runtime), static credentials for emulators, and the call timeouts.
 *
 * @param region AWS region
 * @param endpointOverride where to send calls instead of AWS, if anywhere
 * @param apiCallTimeout bound on a whole call including retries; below the function timeout
 * @param apiCallAttemptTimeout bound on one attempt
 */
public record AwsSettings(
    String region,
    Optional<URI> endpointOverride,
    Duration apiCallTimeout,
    Duration apiCallAttemptTimeout) {

  public static final String ENV_REGION = "AWS_REGION";
  public static final String ENV_ENDPOINT = "RUNFLEET_AWS_ENDPOINT";
  public static final String ENV_CALL_TIMEOUT_MS = "RUNFLEET_AWS_CALL_TIMEOUT_MS";

  /** Reads the settings; problems are collected in {@code env}. */
  public static AwsSettings from(Env env) {
    String region = env.optional(ENV_REGION, "us-east-1");
    Optional<URI> endpoint = env.optional(ENV_ENDPOINT).map(URI::create);
    int callMs = env.integer(ENV_CALL_TIMEOUT_MS, 8_000, 100, 900_000);
    return new AwsSettings(
        region, endpoint, Duration.ofMillis(callMs), Duration.ofMillis(Math.max(100, callMs / 3)));
  }

  /** Settings for an emulator at {@code endpoint}. */
  public static AwsSettings emulator(URI endpoint) {
    return new AwsSettings(
        "us-east-1", Optional.of(endpoint), Duration.ofSeconds(10), Duration.ofSeconds(5));
  }
}
