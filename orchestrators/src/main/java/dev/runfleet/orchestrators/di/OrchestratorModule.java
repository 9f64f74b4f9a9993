package dev.runfleet.orchestrators.di;

import dagger.Binds;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AllowListParameter;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.port.AllowListSource;
import dev.runfleet.common.port.RunnerStore;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.adapter.DynamoDbRunnerStore;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Module
public abstract class OrchestratorModule {

  @Binds
  abstract RunnerStore runnerStore(DynamoDbRunnerStore store);

  @Provides
  @Singleton
  static DynamoDbClient dynamoDb(AwsClients clients) {
    return clients.configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME).build();
  }

  /**
   * The allow-list, checked before every JIT config is minted. Its Parameter Store reader is built
   * at the first spin-up, so a function that only tears down never builds one.
   */
  @Provides
  @Singleton
  static AllowListSource allowList(
      OrchestratorConfig config, Lazy<ParameterStore> ssm, Clock clock) {
    return new AllowListParameter(ssm::get, config.stage(), config.parameterCache(), clock);
  }

  @Provides
  @Singleton
  static ParameterStore ssm(AwsClients clients) {
    return SsmParameters.using(clients);
  }

  @Provides
  @Singleton
  static AwsClients awsClients(OrchestratorConfig config) {
    return new AwsClients(config.aws());
  }

  @Provides
  @TableName
  static String table(OrchestratorConfig config) {
    return config.table();
  }

  @Provides
  @Singleton
  static CommandCodec codec() {
    return new CommandCodec();
  }

  @Provides
  @Singleton
  static Telemetry telemetry(OrchestratorConfig config) {
    return new Telemetry("orchestrator-" + config.platform().name());
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
