package dev.runfleet.orchestrators;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.PlatformCatalog;
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

  public static HostEventsConfig from(Map<String, String> environment) {
    Env env = new Env(environment);
    String table = env.required(OrchestratorConfig.ENV_TABLE);
    String stage = RuntimeParameters.stage(env, OrchestratorConfig.ENV_STAGE);
    PlatformCatalog platforms = PlatformCatalog.defaults();
    try {
      platforms =
          env.optional(OrchestratorConfig.ENV_PLATFORMS)
              .map(PlatformCatalog::fromJson)
              .orElse(PlatformCatalog.defaults());
    } catch (IllegalArgumentException e) {
      env.problem(OrchestratorConfig.ENV_PLATFORMS + ": " + e.getMessage());
    }
    GitHubAppId appId = AwsHostConfig.appId(env);
    String keyArn = env.required(AwsHostConfig.ENV_GITHUB_PRIVATE_KEY_ARN);
    URI apiUrl = env.httpsUrl(AwsHostConfig.ENV_GITHUB_API_URL, "https://api.github.com");
    String prefix = env.required(AwsHostConfig.ENV_JIT_SECRET_PREFIX);
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
