package dev.runfleet.publisher;

import dev.runfleet.aws.lambda.LambdaEventJson;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.aws.lambda.StreamRecord;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.FlowControlStore;
import dev.runfleet.publisher.adapter.StreamDecoder;
import dev.runfleet.publisher.di.TopicArn;
import dev.runfleet.publisher.flow.Change;
import dev.runfleet.publisher.flow.FlowSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import javax.inject.Inject;
import javax.inject.Provider;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The publisher's SnapStart priming ({@link SnapStartPriming}): a stream event shipped in the jar
 * (the records the producer's append of GitHub's queued example writes) read as the event source
 * delivers it and decoded; the runtime parameters a dispatch pass reads (caps, pause, launch rate:
 * SSM); the store's reads of a pass (the slot counter, the oldest queued job of the first platform,
 * the launch budget: DynamoDB); a pass's reservation for the event's job expecting a launch budget
 * no pass holds, which DynamoDB refuses as it refuses one that lost the budget; a spin-up command
 * encoded; and one read each of the command topic's attributes (SNS) and, where deployed, the
 * wake-up queue's (SQS). Nothing is written, published or sent.
 */
public final class PublisherPriming {

  static final String EVENT = "/priming-stream-event.json";
  private static final String RUNNER = "runfleet-snapstart-priming";

  private final StreamDecoder decoder;
  private final FlowSettings settings;
  private final FlowControlStore store;
  private final PlatformCatalog platforms;
  private final CommandCodec codec;
  private final SnsClient sns;
  private final String topicArn;
  private final PublisherConfig config;
  private final Provider<SqsClient> sqs;

  @Inject
  PublisherPriming(
      StreamDecoder decoder,
      FlowSettings settings,
      FlowControlStore store,
      PlatformCatalog platforms,
      CommandCodec codec,
      SnsClient sns,
      @TopicArn String topicArn,
      PublisherConfig config,
      Provider<SqsClient> sqs) {
    this.decoder = decoder;
    this.settings = settings;
    this.store = store;
    this.platforms = platforms;
    this.codec = codec;
    this.sns = sns;
    this.topicArn = topicArn;
    this.config = config;
    this.sqs = sqs;
  }

  /** The priming to register with SnapStart's hooks. */
  public SnapStartPriming resource() {
    return new SnapStartPriming("the publisher's stream and dispatch path", this::prime);
  }

  /** The reads once; the stream records read, for tests. */
  List<StreamRecord> prime() throws IOException {
    List<StreamRecord> records =
        LambdaEventJson.dynamoDbStream(
                new ByteArrayInputStream(SnapStartPriming.shipped(PublisherPriming.class, EVENT)))
            .records();
    Job queued = null;
    for (StreamRecord record : records) {
      if (decoder.decode(record) instanceof Change.JobChanged changed
          && changed.after() != null
          && changed.after().status() == JobStatus.QUEUED) {
        queued = changed.after();
      }
    }
    Platform platform = platforms.all().get(0);
    settings.paused();
    int globalCap = settings.globalCap();
    int platformCap = settings.platformCap(platform);
    settings.launchRate();
    store.inFlight(RuntimeParameters.GLOBAL);
    store.oldestQueued(platform.name(), 1);
    store.launchBudgetTat();
    if (queued != null) {
      rehearseReservation(queued, platformCap, globalCap);
    }
    codec.toJson(
        new RunnerCommand.SpinUp(
            RunnerCommand.CURRENT_VERSION,
            "snapstart-priming",
            RUNNER,
            platform.name(),
            new JobKey(1, 1),
            List.copyOf(platform.runnerLabels()),
            "runfleet/priming",
            "runfleet",
            1L,
            Instant.now()));
    sns.getTopicAttributes(b -> b.topicArn(topicArn));
    if (config.wakeUpQueueUrl() != null) {
      sqs.get()
          .getQueueAttributes(
              b ->
                  b.queueUrl(config.wakeUpQueueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN));
    }
    return records;
  }

  /**
   * A dispatch's write, refused: the reservation of a runner for the shipped event's job, expecting
   * a launch budget no pass can hold (a TAT of {@link Long#MAX_VALUE} microseconds). Whether the
   * table holds that job or not, a condition fails, so DynamoDB cancels the transaction whole (no
   * job, slot, budget or runner written, nothing on the stream) as it cancels a reservation that
   * lost its budget or its job to another pass, while the write's marshalling and the
   * cancellation's reading run once before the snapshot.
   */
  private void rehearseReservation(Job job, int platformCap, int globalCap) {
    FlowControlStore.Reservation refused =
        store.reserve(
            job,
            RUNNER,
            platformCap,
            globalCap,
            new FlowControlStore.LaunchBudget(Long.MAX_VALUE, Long.MAX_VALUE),
            Instant.now());
    if (refused == FlowControlStore.Reservation.RESERVED) {
      throw new IllegalStateException(
          "the rehearsed reservation for job " + job.key() + " was written");
    }
  }
}
