package dev.runfleet.emulators.edge;

import java.util.List;
import java.util.Optional;

/**
 * The emulated AWS APIs behind one HTTP port: each call goes to the service that recognises it
 * (DynamoDB, DynamoDB Streams and SSM by {@code X-Amz-Target}, SNS by its query protocol), so one
 * {@code --endpoint-url} reaches them all, as a LocalStack edge does.
 */
public final class AwsEdge {

  private final List<EdgeService> services;

  public AwsEdge(List<EdgeService> services) {
    this.services = List.copyOf(services);
  }

  public static AwsEdge of(EdgeService... services) {
    return new AwsEdge(List.of(services));
  }

  /** The answer of the service that accepts {@code request}; empty when none is an AWS call. */
  public Optional<EdgeReply> handle(EdgeRequest request) {
    for (EdgeService service : services) {
      if (service.accepts(request)) {
        return Optional.of(service.handle(request));
      }
    }
    return Optional.empty();
  }
}
