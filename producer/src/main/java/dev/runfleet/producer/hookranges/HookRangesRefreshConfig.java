package dev.runfleet.producer.hookranges;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The hook-ranges refresher's configuration, read once from the environment and validated whole.
 *
 * @param parameter the SSM String parameter the producer reads the ranges from (the same key as the
 *     producer's {@code RUNFLEET_HOOK_RANGES_PARAMETER}: one writes it, the other reads it)
 * @param gitHubApiUrl GitHub's REST API ({@code https://api.github.com}, or {@code
 *     https://HOST/api/v3} for GitHub Enterprise Server); https only
 * @param aws how SDK clients are built
 */
public record HookRangesRefreshConfig(String parameter, URI gitHubApiUrl, AwsSettings aws) {

  public static final String ENV_HOOK_RANGES_PARAMETER = "RUNFLEET_HOOK_RANGES_PARAMETER";
  public static final String ENV_GITHUB_API_URL = "RUNFLEET_GITHUB_API_URL";

  public HookRangesRefreshConfig {
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(gitHubApiUrl, "gitHubApiUrl");
    Objects.requireNonNull(aws, "aws");
  }

  /**
   * @throws Env.ConfigException naming every problem at once
   */
  public static HookRangesRefreshConfig from(Map<String, String> environment) {
    Env env = new Env(environment);
    String parameter = env.required(ENV_HOOK_RANGES_PARAMETER);
    URI api = env.httpsUrl(ENV_GITHUB_API_URL, "https://api.github.com");
    AwsSettings aws = AwsSettings.from(env);
    env.validate("hook-ranges refresher");
    return new HookRangesRefreshConfig(parameter, api, aws);
  }
}
