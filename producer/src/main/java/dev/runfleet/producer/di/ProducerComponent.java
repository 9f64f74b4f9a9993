package dev.runfleet.producer.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.intake.WebhookIntake;
import jakarta.inject.Singleton;

/** The producer's object graph, built once per process from its configuration. */
@Singleton
@Component(modules = ProducerModule.class)
public interface ProducerComponent {

  WebhookIntake intake();

  Telemetry telemetry();

  /** Builds the component. */
  @Component.Factory
  interface Factory {
    ProducerComponent create(@BindsInstance ProducerConfig config);
  }

  static ProducerComponent create(ProducerConfig config) {
    return DaggerProducerComponent.factory().create(config);
  }
}
