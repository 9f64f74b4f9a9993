package dev.runfleet.publisher;

import dev.runfleet.publisher.di.DaggerPublisherComponent;
import dev.runfleet.publisher.di.PublisherComponent;

/** What the Lambda runtime's no-arg constructors of the publisher's handlers build. */
final class LambdaWiring {

  private LambdaWiring() {}

  static PublisherComponent fromEnvironment() {
    return DaggerPublisherComponent.builder().config(PublisherConfig.from(System.getenv())).build();
  }
}
