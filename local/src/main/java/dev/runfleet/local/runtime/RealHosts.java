package dev.runfleet.local.runtime;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.orchestrators.AwsHostConfig;
import dev.runfleet.orchestrators.AwsWiring;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.host.LauncherFactories;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The local pipeline with real runner hosts: the orchestrator is the one Lambda builds (GitHub App
 * client, Secrets Manager hand-over, ECS or EC2 launcher) against real AWS with the default
 * credentials, while the jobs table stays on the embedded DynamoDB. Not exercised by CI.
 */
public final class RealHosts {

  private RealHosts() {}

  /**
   * @param processEnvironment the orchestrator's AWS keys (GitHub App, hand-over prefix, host
   *     settings, AWS_REGION), as the README's "Runner hosts" lists them
   * @param platforms the platforms the runtime will run, each checked now
   * @throws dev.runfleet.common.config.Env.ConfigException naming every missing or invalid key,
   *     before anything starts
   */
  public static LocalRuntime.Orchestrators orchestrators(
      Map<String, String> processEnvironment, PlatformCatalog platforms) {
    // What the runtime will add once its emulators run; only the keys' presence matters here.
    Map<String, String> local =
        Map.of(
            AwsSettings.ENV_ENDPOINT, "http://127.0.0.1:1",
            AwsSettings.ENV_REGION, "us-east-1",
            AwsSettings.ENV_CALL_TIMEOUT_MS, "30000",
            OrchestratorConfig.ENV_TABLE, LocalRuntime.TABLE,
            OrchestratorConfig.ENV_PLATFORMS, platforms.toJson());
    for (Platform platform : platforms.all()) {
      AwsHostConfig.from(
          environment(processEnvironment, local, platform.name()),
          platform.name(),
          platform.hostKind());
    }
    return (platform, runtimeEnvironment) ->
        AwsWiring.component(
            environment(processEnvironment, runtimeEnvironment, platform.name()),
            platform.name(),
            platform.hostKind(),
            LauncherFactories.forKind(platform.hostKind()));
  }

  static Map<String, String> environment(
      Map<String, String> process, Map<String, String> local, String platform) {
    Map<String, String> env = new HashMap<>(process);
    // Only the table is local: every other service is real AWS, reached with real credentials.
    env.remove(AwsSettings.ENV_ENDPOINT);
    for (String service : AwsSettings.SERVICES) {
      env.remove(AwsSettings.ENV_ENDPOINT + "_" + service.toUpperCase(Locale.ROOT));
    }
    env.put(AwsSettings.ENV_ENDPOINT + "_DYNAMODB", local.get(AwsSettings.ENV_ENDPOINT));
    env.put(OrchestratorConfig.ENV_TABLE, local.get(OrchestratorConfig.ENV_TABLE));
    env.put(OrchestratorConfig.ENV_PLATFORMS, local.get(OrchestratorConfig.ENV_PLATFORMS));
    env.put(OrchestratorConfig.ENV_PLATFORM, platform);
    env.putIfAbsent(AwsSettings.ENV_REGION, local.get(AwsSettings.ENV_REGION));
    env.putIfAbsent(AwsSettings.ENV_CALL_TIMEOUT_MS, local.get(AwsSettings.ENV_CALL_TIMEOUT_MS));
    return env;
  }
}
