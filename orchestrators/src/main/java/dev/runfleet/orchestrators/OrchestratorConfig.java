package dev.runfleet.orchestrators;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import java.time.Duration;
import java.util.Map;

/**
 * An orchestrator's configuration, read once and validated whole.
 *
 * @param table the jobs table
 * @param platform the platform whose queue this function consumes
 * @param launchLease how long a launch claim holds before another invocation may retry it
 * @param stage names the runtime parameters {@code /runfleet/{stage}/...} (the allow-list) and is
 *     every host's {@code runfleet:stage} tag
 * @param parameterCache how long a runtime parameter read is reused
 * @param aws SDK client settings
 */
public record OrchestratorConfig(
    String table,
    Platform platform,
    Duration launchLease,
    String stage,
    Duration parameterCache,
    AwsSettings aws) {

  public static final String ENV_TABLE = "RUNFLEET_TABLE";
  public static final String ENV_PLATFORM = "RUNFLEET_PLATFORM";
  public static final String ENV_PLATFORMS = "RUNFLEET_PLATFORMS";
  public static final String ENV_LAUNCH_LEASE_SECONDS = "RUNFLEET_LAUNCH_LEASE_SECONDS";
  public static final String ENV_STAGE = "RUNFLEET_STAGE";
  public static final String ENV_PARAMETER_CACHE_SECONDS = "RUNFLEET_PARAMETER_CACHE_SECONDS";

  /** Reads the configuration; {@code defaultPlatform} applies when RUNFLEET_PLATFORM is unset. */
  public static OrchestratorConfig from(Map<String, String> environment, String defaultPlatform) {
    Env env = new Env(environment);
    String table = env.required(ENV_TABLE);
    String platformName = env.optional(ENV_PLATFORM, defaultPlatform);
    Platform platform = null;
    try {
      PlatformCatalog catalog =
          env.optional(ENV_PLATFORMS)
              .map(PlatformCatalog::fromJson)
              .orElse(PlatformCatalog.defaults());
      platform = catalog.find(platformName).orElse(null);
      if (platform == null) {
        env.problem(ENV_PLATFORM + " names unknown platform " + platformName);
      }
    } catch (IllegalArgumentException e) {
      env.problem(ENV_PLATFORMS + ": " + e.getMessage());
    }
    int lease = env.integer(ENV_LAUNCH_LEASE_SECONDS, 120, 5, 3600);
    String stage = RuntimeParameters.stage(env, ENV_STAGE);
    int cacheSeconds = RuntimeParameters.cacheSeconds(env, ENV_PARAMETER_CACHE_SECONDS);
    AwsSettings aws = null;
    try {
      aws = AwsSettings.from(env);
    } catch (IllegalArgumentException e) {
      // A malformed endpoint URI: reported with the other problems rather than on its own.
      env.problem("AWS settings: " + e.getMessage());
    }
    env.validate("orchestrator");
    return new OrchestratorConfig(
        table, platform, Duration.ofSeconds(lease), stage, Duration.ofSeconds(cacheSeconds), aws);
  }
}
