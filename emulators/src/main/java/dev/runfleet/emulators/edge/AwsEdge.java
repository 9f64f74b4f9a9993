package dev.runfleet.emulators.edge;

import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated AWS APIs behind one HTTP port: each call goes to the service that recognises it
 * (DynamoDB, DynamoDB Streams and SSM by {@code X-Amz-Target}, SNS by its query protocol), so one
 * {@code --endpoint-url} reaches them all, as a LocalStack edge does.
 */
public final class AwsEdge {

  private static final Logger LOG = LoggerFactory.getLogger(AwsEdge.class);

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

  /**
   * The answer to {@code request} as a client of the edge sees it: the service's, a 404 when no
   * service recognises the call, a 500 when an emulator fails (logged with the call's target).
   */
  public EdgeReply answer(EdgeRequest request) {
    try {
      return handle(request)
          .orElseGet(
              () ->
                  EdgeReply.of(
                      404,
                      "text/plain",
                      "no emulated AWS API recognises this request (X-Amz-Target "
                          + request.target()
                          + ")"));
    } catch (RuntimeException e) {
      LOG.error("an emulated API failed on {}", request.target(), e);
      return EdgeReply.of(500, "text/plain", "emulator failure: " + e);
    }
  }
}
