package dev.runfleet.orchestrators.host;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.common.port.RunnerLauncher;

/**
 * Builds one host kind's launcher, and its SDK client, from the process's clients. Each handler
 * names its own ({@code EcsRunnerLauncher::from}), so its jar reaches one host kind's SDK only: the
 * ECS jar carries no EC2 client and the EC2 jar no ECS client. {@link LauncherFactories} picks one
 * by host kind for callers that serve them all.
 */
@FunctionalInterface
public interface LauncherFactory {

  RunnerLauncher build(AwsClients clients, HostSettings host);
}
