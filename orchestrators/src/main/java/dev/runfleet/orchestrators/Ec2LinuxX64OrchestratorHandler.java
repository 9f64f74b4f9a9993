package dev.runfleet.orchestrators;

import dev.runfleet.common.domain.HostKind;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.host.Ec2RunnerLauncher;

/**
 * Lambda entry point for the ec2-linux-x64 queue: runners on EC2 Linux x64 (spot,
 * capacity-optimized, on-demand fallback).
 */
public final class Ec2LinuxX64OrchestratorHandler extends OrchestratorHandler {

  public static final String DEFAULT_PLATFORM = "ec2-linux-x64";

  public Ec2LinuxX64OrchestratorHandler() {
    super(AwsWiring.component(DEFAULT_PLATFORM, HostKind.EC2, Ec2RunnerLauncher::from));
    snapStartPriming().register();
  }

  public Ec2LinuxX64OrchestratorHandler(OrchestratorComponent component) {
    super(component);
  }
}
