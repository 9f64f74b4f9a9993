package dev.runfleet.orchestrators.host;

import dev.runfleet.common.domain.HostKind;

/**
 * The {@link LauncherFactory} of each host kind, for callers that serve every host kind (the local
 * runtime, tests). No Lambda handler reaches this class: it names both launchers, and so both SDK
 * clients, which a handler's jar must not carry.
 */
public final class LauncherFactories {

  private LauncherFactories() {}

  public static LauncherFactory forKind(HostKind kind) {
    return switch (kind) {
      case ECS_FARGATE -> EcsRunnerLauncher::from;
      case EC2 -> Ec2RunnerLauncher::from;
    };
  }
}
