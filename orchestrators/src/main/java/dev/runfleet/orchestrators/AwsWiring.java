package dev.runfleet.orchestrators;

import dev.runfleet.common.config.Env;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import java.util.Map;

/**
 * Builds the component for a Lambda cold start. The AWS launchers (ECS RunTask, EC2 CreateFleet)
 * and the GitHub App client are the subject of their own issue ("Runner hosts"); until they land,
 * the handlers run in the local runtime only, and a cold start in AWS fails at once with this
 * explanation rather than accepting commands it cannot carry out.
 */
final class AwsWiring {

  private AwsWiring() {}

  static OrchestratorComponent component(String defaultPlatform, HostKind hostKind) {
    return component(System.getenv(), defaultPlatform, hostKind);
  }

  static OrchestratorComponent component(
      Map<String, String> environment, String defaultPlatform, HostKind hostKind) {
    // The missing launcher is the root cause, so it leads the message even when the configuration
    // is invalid too; the configuration problems follow, so one cold start tells everything.
    String platform = defaultPlatform;
    String configProblems = "";
    try {
      platform = OrchestratorConfig.from(environment, defaultPlatform).platform().name();
    } catch (Env.ConfigException e) {
      configProblems = "; besides, " + e.getMessage();
    }
    throw new IllegalStateException(
        "no "
            + hostKind
            + " launcher is built into this version: platform "
            + platform
            + " runs in the local runtime only (see the README, 'Runner hosts')"
            + configProblems);
  }
}
