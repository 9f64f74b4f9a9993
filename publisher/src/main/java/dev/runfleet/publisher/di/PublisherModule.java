package dev.runfleet.publisher.di;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.SnsCommandBus;
import dev.runfleet.aws.SsmParameters;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.common.port.WakeUps;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.adapter.DynamoDbFlowControlStore;
import dev.runfleet.publisher.adapter.ParameterFlowSettings;
import dev.runfleet.publisher.adapter.SqsWakeUps;
import dev.runfleet.publisher.flow.FlowCeilings;
import dev.runfleet.publisher.flow.FlowSettings;
import dev.runfleet.publisher.flow.MaxLaunchAttempts;
import dev.runfleet.publisher.flow.RunnerIdleTimeout;
import java.time.Clock;
import java.time.Duration;
import javax.inject.Provider;
import javax.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

@Module
public abstract class PublisherModule {

  @Binds
  abstract FlowControlStore flowControlStore(DynamoDbFlowControlStore store);

  @Provides
  @Singleton
  static CommandBus commandBus(SnsClient sns, @TopicArn String topic, CommandCodec codec) {
    return new SnsCommandBus(sns, topic, codec);
  }

  /**
   * Delayed SQS messages when the wake-up queue is deployed; without it the periodic sweep
   * dispatches what the budget held back, and a claimed wake-up simply lapses at its time.
   */
  @Provides
  @Singleton
  static WakeUps wakeUps(PublisherConfig config, Provider<SqsWakeUps> sqs) {
    if (config.wakeUpQueueUrl() == null) {
      return (at, now) -> {};
    }
    return sqs.get();
  }

  @Provides
  @Singleton
  static SqsClient sqs(AwsClients clients) {
    return clients.configure(SqsClient.builder(), SqsClient.SERVICE_NAME).build();
  }

  @Provides
  @WakeUpQueueUrl
  static String wakeUpQueueUrl(PublisherConfig config) {
    return config.wakeUpQueueUrl();
  }

  /** The operator's knobs from SSM, held under the ceilings Terraform deployed. */
  @Provides
  @Singleton
  static FlowSettings flowSettings(ParameterFlowSettings settings, PublisherConfig config) {
    return new FlowCeilings(settings, config.maxCapPerPlatform(), config.maxLaunchRate());
  }

  @Provides
  @Singleton
  static AwsClients awsClients(PublisherConfig config) {
    return new AwsClients(config.aws());
  }

  @Provides
  @Singleton
  static DynamoDbClient dynamoDb(AwsClients clients) {
    return clients.configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME).build();
  }

  @Provides
  @Singleton
  static SnsClient sns(AwsClients clients) {
    return clients.configure(SnsClient.builder(), SnsClient.SERVICE_NAME).build();
  }

  @Provides
  @Singleton
  static ParameterStore ssm(AwsClients clients) {
    return SsmParameters.using(clients);
  }

  @Provides
  @TableName
  static String table(PublisherConfig config) {
    return config.table();
  }

  @Provides
  @TopicArn
  static String topic(PublisherConfig config) {
    return config.topicArn();
  }

  @Provides
  static PlatformCatalog platforms(PublisherConfig config) {
    return config.platforms();
  }

  @Provides
  @MaxLaunchAttempts
  static int maxLaunchAttempts(PublisherConfig config) {
    return config.maxLaunchAttempts();
  }

  @Provides
  @RunnerIdleTimeout
  static Duration runnerIdleTimeout(PublisherConfig config) {
    return config.runnerIdleTimeout();
  }

  @Provides
  @Singleton
  static CommandCodec codec() {
    return new CommandCodec();
  }

  @Provides
  @Singleton
  static Telemetry telemetry() {
    return new Telemetry("publisher");
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
