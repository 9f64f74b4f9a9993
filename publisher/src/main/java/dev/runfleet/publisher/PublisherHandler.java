package dev.runfleet.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.publisher.adapter.StreamDecoder;
import dev.runfleet.publisher.di.DaggerPublisherComponent;
import dev.runfleet.publisher.di.PublisherComponent;
import dev.runfleet.publisher.flow.Change;
import dev.runfleet.publisher.flow.FlowController;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point for the jobs table's stream. Decodes the batch, hands it to {@link
 * FlowController}, and reports the first record that could not be handled for now so the event
 * source retries from there; a record that can never be handled (poison) is logged, counted and
 * skipped instead.
 */
public final class PublisherHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(PublisherHandler.class);

  private final FlowController flow;
  private final StreamDecoder decoder;
  private final Telemetry telemetry;

  /** Lambda's constructor: configuration from the environment, wiring once per process. */
  public PublisherHandler() {
    this(DaggerPublisherComponent.builder().config(PublisherConfig.from(System.getenv())).build());
  }

  public PublisherHandler(PublisherComponent component) {
    this(component.flowController(), component.streamDecoder(), component.telemetry());
  }

  PublisherHandler(FlowController flow, StreamDecoder decoder, Telemetry telemetry) {
    this.flow = flow;
    this.decoder = decoder;
    this.telemetry = telemetry;
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return telemetry.invoke(context, () -> handle(event));
  }

  private StreamsEventResponse handle(DynamodbEvent event) {
    List<Change> changes = new ArrayList<>();
    for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
      try {
        changes.add(decoder.decode(record));
      } catch (RuntimeException e) {
        // Decoding again gives the same answer: poison, skipped so that it never blocks the shard.
        LOG.error(
            "stream record {} cannot be decoded, skipped as poison: {}",
            record.getDynamodb().getSequenceNumber(),
            e.toString());
        telemetry.count("RecordsUndecodable");
        telemetry.count("PoisonRecords");
      }
    }
    FlowController.BatchOutcome outcome = flow.onChanges(changes);
    return new StreamsEventResponse(
        outcome
            .failedAt()
            .map(failedAt -> List.of(new StreamsEventResponse.BatchItemFailure(failedAt)))
            .orElse(List.of()));
  }
}
