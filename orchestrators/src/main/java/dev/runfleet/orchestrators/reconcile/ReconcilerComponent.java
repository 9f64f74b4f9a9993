package dev.runfleet.orchestrators.reconcile;

import dagger.BindsInstance;
import dagger.Component;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.GitHubDeliveries;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.HostLookup;
import dev.runfleet.common.port.JitHandOff;
import dev.runfleet.common.port.TaggedHosts;
import javax.inject.Singleton;

/**
 * The reconciler's object graph, built once per process. GitHub (runners and jobs, and the App's
 * webhook delivery log), the host lookup, the command bus and the hand-over secrets are given to
 * the builder: AWS's in Lambda, the simulated ones in the local runtime.
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

    /** The hosts the orphan sweep lists (usually the same object as {@link #hosts}). */
    @BindsInstance
    Builder taggedHosts(TaggedHosts hosts);

    /** The hand-over secrets the orphan sweep lists and deletes. */
    @BindsInstance
    Builder handOff(JitHandOff handOff);

    ReconcilerComponent build();
  }
}
