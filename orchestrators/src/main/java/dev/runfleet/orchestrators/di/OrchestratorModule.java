package dev.runfleet.orchestrators.di;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.CommandCodec;
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
  static DynamoDbClient dynamoDb(OrchestratorConfig config) {
    return new AwsClients(config.aws())
        .configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME)
        .build();
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
