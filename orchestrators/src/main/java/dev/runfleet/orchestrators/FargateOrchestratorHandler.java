package dev.runfleet.orchestrators;

import dev.runfleet.common.domain.HostKind;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.host.EcsRunnerLauncher;

/**
 * Lambda entry point for the fargate queue: runners on ECS Fargate (x64 and arm64, Fargate Spot
 * with on-demand fallback).
 */
public final class FargateOrchestratorHandler extends OrchestratorHandler {

  public static final String DEFAULT_PLATFORM = "fargate";

  public FargateOrchestratorHandler() {
    super(AwsWiring.component(DEFAULT_PLATFORM, HostKind.ECS_FARGATE, EcsRunnerLauncher::from));
    snapStartPriming().register();
  }

  public FargateOrchestratorHandler(OrchestratorComponent component) {
    super(component);
  }
}
