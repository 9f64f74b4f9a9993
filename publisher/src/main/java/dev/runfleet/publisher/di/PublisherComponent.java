package dev.runfleet.publisher.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.PublisherPriming;
import dev.runfleet.publisher.adapter.StreamDecoder;
import dev.runfleet.publisher.flow.FlowController;
import dev.runfleet.publisher.flow.FlowSettings;
import javax.inject.Singleton;

/** The publisher's object graph, built once per process. */
@Singleton
@Component(modules = PublisherModule.class)
public interface PublisherComponent {

  FlowController flowController();

  StreamDecoder streamDecoder();

  Telemetry telemetry();

  FlowSettings flowSettings();

  /** The SnapStart priming Lambda's constructors register. */
  PublisherPriming priming();

  @Component.Builder
  interface Builder {
    @BindsInstance
    Builder config(PublisherConfig config);

    PublisherComponent build();
  }
}
