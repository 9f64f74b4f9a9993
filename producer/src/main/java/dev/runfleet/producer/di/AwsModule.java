package dev.runfleet.producer.di;

import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SsmParameters;
import jakarta.inject.Singleton;

/** The AWS clients both of the producer jar's functions build, once per process. */
@Module
public final class AwsModule {

  private AwsModule() {}

  @Provides
  @Singleton
  static AwsClients awsClients(AwsSettings settings) {
    return new AwsClients(settings);
  }

  /**
   * One Parameter Store reader for the process: the producer's webhook secrets at start (when they
   * are parameters), the allow-list and GitHub's hook ranges, cached, afterwards; the refresher's
   * parameter.
   */
  @Provides
  @Singleton
  static ParameterStore ssm(AwsClients clients) {
    return SsmParameters.using(clients);
  }
}
