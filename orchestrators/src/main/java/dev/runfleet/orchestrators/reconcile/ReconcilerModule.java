package dev.runfleet.orchestrators.reconcile;

import dagger.Binds;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.ReconcileStore;
import dev.runfleet.common.port.RunnerStore;
import dev.runfleet.orchestrators.adapter.DynamoDbRunnerStore;
import dev.runfleet.orchestrators.di.TableName;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Module
public abstract class ReconcilerModule {

  @Binds
  abstract ReconcileStore reconcileStore(DynamoDbReconcileStore store);

  @Binds
  abstract RunnerStore runnerStore(DynamoDbRunnerStore store);

  @Binds
  abstract RedeliveryStore redeliveryStore(DynamoDbRedeliveryStore store);

  @Provides
  @Singleton
  static AwsClients awsClients(ReconcilerConfig config) {
    return new AwsClients(config.aws());
  }

  @Provides
  @Singleton
  static DynamoDbClient dynamoDb(AwsClients clients) {
    return clients.configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME).build();
  }

  @Provides
  @Singleton
  static ParameterStore ssm(AwsClients clients) {
    return SsmParameters.using(clients);
  }

  @Provides
  @Singleton
  static CallBudgets budgets(ReconcilerConfig config, Lazy<ParameterStore> ssm, Clock clock) {
    return new ParameterCallBudgets(ssm::get, config.stage(), config.parameterCache(), clock);
  }

  @Provides
  @TableName
  static String table(ReconcilerConfig config) {
    return config.table();
  }

  @Provides
  static PlatformCatalog platforms(ReconcilerConfig config) {
    return config.platforms();
  }

  @Provides
  static ReconcileSettings settings(ReconcilerConfig config) {
    return config.settings();
  }

  @Provides
  static LostWebhooks.Settings redelivery(ReconcilerConfig config) {
    return config.redelivery();
  }

  @Provides
  @Singleton
  static Telemetry telemetry() {
    return new Telemetry("reconciler");
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
