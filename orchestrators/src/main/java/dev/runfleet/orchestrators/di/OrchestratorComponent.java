package dev.runfleet.orchestrators.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.OrchestratorPriming;
import dev.runfleet.orchestrators.runner.RunnerLifecycle;
import javax.inject.Singleton;

/**
 * An orchestrator's object graph, built once per process. The launcher, the GitHub client and the
 * JIT hand-over are given to the builder: each host kind's handler brings its own launcher, and the
 * local runtime brings simulated ones.
 */
@Singleton
@Component(modules = OrchestratorModule.class)
public interface OrchestratorComponent {

  RunnerLifecycle lifecycle();

  CommandCodec codec();

  Telemetry telemetry();

  /** The SnapStart priming Lambda's constructors register. */
  OrchestratorPriming priming();

  @Component.Builder
  interface Builder {
    @BindsInstance
    Builder config(OrchestratorConfig config);

    @BindsInstance
    Builder launcher(RunnerLauncher launcher);

    @BindsInstance
    Builder gitHub(GitHubRunners gitHub);

    @BindsInstance
    Builder handOff(JitHandOff handOff);

    OrchestratorComponent build();
  }
}
