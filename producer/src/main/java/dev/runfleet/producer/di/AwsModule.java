package dev.runfleet.producer.di;

import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The SDK clients both of the producer jar's functions build, once per process. */
@Module
public final class AwsModule {

  private AwsModule() {}

  @Provides
  @Singleton
  static AwsClients awsClients(AwsSettings settings) {
    return new AwsClients(settings);
  }

  /**
   * One SSM client for the process: the producer's webhook secrets at start (when they are
   * parameters), the allow-list and GitHub's hook ranges, cached, afterwards; the refresher's
   * parameter.
   */
  @Provides
  @Singleton
  static SsmClient ssm(AwsClients clients) {
    return clients.configure(SsmClient.builder(), SsmClient.SERVICE_NAME).build();
  }
}
