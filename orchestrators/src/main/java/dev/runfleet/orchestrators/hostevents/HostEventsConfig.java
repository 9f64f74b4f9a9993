package dev.runfleet.orchestrators.hostevents;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.orchestrators.AwsHostConfig;
import dev.runfleet.orchestrators.github.GitHubAppId;
import java.net.URI;
import java.util.Map;

/**
 * The host-events function's configuration, read once at cold start and validated whole: the table,
 * the stage whose hosts are ours (the {@code runfleet:stage} tag), the platforms (their {@code
 * rerunOnInterruption}), the GitHub App (to deregister runners and re-run jobs) and the hand-over
 * secrets' prefix (to delete an ended runner's).
 */
public record HostEventsConfig(
    String table,
    String stage,
    PlatformCatalog platforms,
    GitHubAppId gitHubAppId,
    String privateKeyArn,
    URI gitHubApiUrl,
    String jitSecretPrefix,
    AwsSettings aws) {

  // The keys this function reads (the same names the orchestrators use for the same things).
  public static final String ENV_TABLE = "RUNFLEET_TABLE";
  public static final String ENV_STAGE = "RUNFLEET_STAGE";
  public static final String ENV_PLATFORMS = "RUNFLEET_PLATFORMS";
  public static final String ENV_GITHUB_APP_ID = "RUNFLEET_GITHUB_APP_ID";
  public static final String ENV_GITHUB_APP_ID_PARAMETER = "RUNFLEET_GITHUB_APP_ID_PARAMETER";
  public static final String ENV_GITHUB_PRIVATE_KEY_ARN = "RUNFLEET_GITHUB_PRIVATE_KEY_ARN";
  public static final String ENV_GITHUB_API_URL = "RUNFLEET_GITHUB_API_URL";
  public static final String ENV_JIT_SECRET_PREFIX = "RUNFLEET_JIT_SECRET_PREFIX";

  public static HostEventsConfig from(Map<String, String> environment) {
    Env env = new Env(environment);
    String table = env.required(ENV_TABLE);
    String stage = RuntimeParameters.stage(env, ENV_STAGE);
    PlatformCatalog platforms = PlatformCatalog.defaults();
    try {
      platforms =
          env.optional(ENV_PLATFORMS)
              .map(PlatformCatalog::fromJson)
              .orElse(PlatformCatalog.defaults());
    } catch (IllegalArgumentException e) {
      env.problem(ENV_PLATFORMS + ": " + e.getMessage());
    }
    GitHubAppId appId = AwsHostConfig.appId(env);
    String keyArn = env.required(ENV_GITHUB_PRIVATE_KEY_ARN);
    URI apiUrl = env.httpsUrl(ENV_GITHUB_API_URL, "https://api.github.com");
    String prefix = env.required(ENV_JIT_SECRET_PREFIX);
    AwsSettings aws = null;
    try {
      aws = AwsSettings.from(env);
    } catch (IllegalArgumentException e) {
      env.problem("AWS settings: " + e.getMessage());
    }
    env.validate("host-events");
    return new HostEventsConfig(table, stage, platforms, appId, keyArn, apiUrl, prefix, aws);
  }
}
