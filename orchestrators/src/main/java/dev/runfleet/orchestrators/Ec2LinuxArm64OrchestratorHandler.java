package dev.runfleet.orchestrators;

import dev.runfleet.common.domain.HostKind;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.host.Ec2RunnerLauncher;

/** Lambda entry point for the ec2-linux-arm64 queue: runners on EC2 Linux arm64 (Graviton). */
public final class Ec2LinuxArm64OrchestratorHandler extends OrchestratorHandler {

  public static final String DEFAULT_PLATFORM = "ec2-linux-arm64";

  public Ec2LinuxArm64OrchestratorHandler() {
    super(AwsWiring.component(DEFAULT_PLATFORM, HostKind.EC2, Ec2RunnerLauncher::from));
    snapStartPriming().register();
  }

  public Ec2LinuxArm64OrchestratorHandler(OrchestratorComponent component) {
    super(component);
  }
}
