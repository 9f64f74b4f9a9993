package dev.runfleet.orchestrators.reconcile;

import dagger.BindsInstance;
import dagger.Component;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.HostLookup;
import javax.inject.Singleton;

/**
 * The reconciler's object graph, built once per process. GitHub (runners and jobs, and the App's
 * webhook delivery log), the host lookup and the command bus are given to the builder: AWS's in
 * Lambda, the simulated ones in the local runtime.
 */
@Singleton
@Component(modules = ReconcilerModule.class)
public interface ReconcilerComponent {

  Reconciler reconciler();

  Telemetry telemetry();

  @Component.Builder
  interface Builder {
    @BindsInstance
    Builder config(ReconcilerConfig config);

    @BindsInstance
    Builder gitHub(GitHubRunners gitHub);

    @BindsInstance
    Builder deliveries(GitHubDeliveries deliveries);

    @BindsInstance
    Builder hosts(HostLookup hosts);

    @BindsInstance
    Builder commands(CommandBus commands);

    ReconcilerComponent build();
  }
}
