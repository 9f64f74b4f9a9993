package dev.runfleet.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.LambdaEventJson;
import dev.runfleet.aws.lambda.SnapStartPrimed;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.aws.lambda.StreamRecord;
import dev.runfleet.publisher.adapter.StreamDecoder;
import dev.runfleet.publisher.di.PublisherComponent;
import dev.runfleet.publisher.flow.Change;
import dev.runfleet.publisher.flow.FlowController;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda entry point for the jobs table's stream. Reads the batch ({@link LambdaEventJson}: the
 * runtime's own event deserialisation never runs), decodes it, hands it to {@link FlowController},
 * and reports the first record that could not be handled for now so the event source retries from
 * there; a record that can never be handled (poison) is logged, counted and skipped instead.
 */
public final class PublisherHandler implements RequestStreamHandler, SnapStartPrimed {

  private static final Logger LOG = LoggerFactory.getLogger(PublisherHandler.class);

  private final FlowController flow;
  private final StreamDecoder decoder;
  private final Telemetry telemetry;
  private final SnapStartPriming priming;

  /**
   * Lambda's constructor: configuration from the environment, wiring once per process, the
   * SnapStart priming registered.
   */
  public PublisherHandler() {
    this(LambdaWiring.fromEnvironment());
    priming.register();
  }

  public PublisherHandler(PublisherComponent component) {
    this(
        component.flowController(),
        component.streamDecoder(),
        component.telemetry(),
        component.priming().resource());
  }

  PublisherHandler(
      FlowController flow, StreamDecoder decoder, Telemetry telemetry, SnapStartPriming priming) {
    this.flow = flow;
    this.decoder = decoder;
    this.telemetry = telemetry;
    this.priming = priming;
  }

  @Override
  public SnapStartPriming snapStartPriming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    LambdaEventJson.invokeBatch(
        input, output, context, telemetry, LambdaEventJson::dynamoDbStream, this::handle);
  }

  private List<String> handle(LambdaEventJson.Batch<StreamRecord> batch) {
    for (LambdaEventJson.Unreadable record : batch.unreadable()) {
      poison(record.id(), record.reason());
    }
    return handle(batch.records());
  }

  /**
   * One batch of records already read (the local runtime's stream poller comes in here): the
   * sequence number to retry from, if any.
   */
  public List<String> handle(List<StreamRecord> records, Context context) {
    return telemetry.invoke(context, () -> handle(records));
  }

  private List<String> handle(List<StreamRecord> records) {
    List<Change> changes = new ArrayList<>(records.size());
    for (StreamRecord record : records) {
      try {
        changes.add(decoder.decode(record));
      } catch (RuntimeException e) {
        poison(record.sequenceNumber(), e.toString());
      }
    }
    return flow.onChanges(changes).failedAt().map(List::of).orElse(List.of());
  }

  /** Reading or decoding again gives the same answer: skipped so that it never blocks the shard. */
  private void poison(String sequenceNumber, String reason) {
    LOG.error("stream record {} cannot be decoded, skipped as poison: {}", sequenceNumber, reason);
    telemetry.count("RecordsUndecodable");
    telemetry.count("PoisonRecords");
  }
}
