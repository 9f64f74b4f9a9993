package dev.runfleet.producer.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.adapter.DynamoDbJobEventStore;
import dev.runfleet.producer.intake.WebhookIntake;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The producer's object graph, built once per process from its configuration. */
@Singleton
@Component(modules = ProducerModule.class)
public interface ProducerComponent {

  WebhookIntake intake();

  Telemetry telemetry();

  /** The table client, for SnapStart's priming. */
  DynamoDbClient dynamoDb();

  /** The event store, whose write SnapStart's priming rehearses. */
  DynamoDbJobEventStore eventStore();

  /**
   * Builds the component; {@code dynamoDb} is the table client when given, else one is built from
   * the configuration.
   */
  @Component.Factory
  interface Factory {
    ProducerComponent create(
        @BindsInstance ProducerConfig config,
        @BindsInstance @Named(ProducerModule.GIVEN_DYNAMODB) Optional<DynamoDbClient> dynamoDb);
  }

  static ProducerComponent create(ProducerConfig config) {
    return DaggerProducerComponent.factory().create(config, Optional.empty());
  }

  /** A component whose table calls go to {@code dynamoDb}: benchmarks stub the client here. */
  static ProducerComponent create(ProducerConfig config, DynamoDbClient dynamoDb) {
    return DaggerProducerComponent.factory().create(config, Optional.of(dynamoDb));
  }
}
