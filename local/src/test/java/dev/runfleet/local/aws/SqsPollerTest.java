package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.emulators.EmbeddedSqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsPollerTest {

  private static final AtomicInteger QUEUE_NUMBER = new AtomicInteger();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static EmbeddedSqs elasticMq;
  private static SqsClient sqs;

  private final List<SqsPoller> pollers = new ArrayList<>();

  @BeforeAll
  static void startElasticMq() {
    elasticMq = EmbeddedSqs.start(0);
    sqs = new AwsClients(elasticMq.settings()).configure(SqsClient.builder()).build();
  }

  @AfterAll
  static void stopElasticMq() {
    sqs.close();
    elasticMq.close();
  }

  @AfterEach
  void stopPollers() {
    pollers.forEach(SqsPoller::close);
  }

  @Test
  void messages_reachTheHandlerAsSqsEvent_andAreDeletedAfterSuccess() {
    LocalQueues.PlatformQueue queue = queue(3);
    for (int i = 0; i < 3; i++) {
      send(queue, "body-" + i);
    }
    Recorder recorder = new Recorder(message -> false);
    SqsPoller poller = start(queue, recorder, SqsPoller.Options.defaults());

    await().atMost(PATIENCE).until(() -> recorder.seen.size() == 3);
    assertThat(recorder.seen)
        .extracting(SQSEvent.SQSMessage::getBody)
        .containsExactlyInAnyOrder("body-0", "body-1", "body-2");
    assertThat(recorder.seen)
        .allSatisfy(
            m -> {
              assertThat(m.getEventSource()).isEqualTo("aws:sqs");
              assertThat(m.getEventSourceArn()).isEqualTo(queue.queueArn());
              assertThat(m.getAwsRegion()).isEqualTo("us-east-1");
              assertThat(m.getMessageId()).isNotBlank();
              assertThat(m.getReceiptHandle()).isNotBlank();
              assertThat(m.getMd5OfBody()).isNotBlank();
              assertThat(m.getAttributes()).containsEntry("ApproximateReceiveCount", "1");
              assertThat(m.getAttributes()).containsKey("SentTimestamp");
              SQSEvent.MessageAttribute platform = m.getMessageAttributes().get("platform");
              assertThat(platform.getStringValue()).isEqualTo("fargate");
              assertThat(platform.getDataType()).isEqualTo("String");
            });
    await().atMost(PATIENCE).until(() -> depth(queue.queueUrl()) == 0);
    assertThat(poller.stats().deleted()).isEqualTo(3);
    assertThat(poller.stats().failed()).isZero();
  }

  @Test
  void reportedFailures_areNotDeleted_andComeBackAfterTheVisibilityTimeout() {
    LocalQueues.PlatformQueue queue = queue(5);
    send(queue, "fine");
    send(queue, "fails-once");
    Recorder recorder =
        new Recorder(
            message ->
                message.getBody().equals("fails-once")
                    && message.getAttributes().get("ApproximateReceiveCount").equals("1"));
    SqsPoller poller = start(queue, recorder, SqsPoller.Options.defaults());

    await().atMost(PATIENCE).until(() -> recorder.seen.size() == 3);
    assertThat(recorder.seen)
        .filteredOn(m -> m.getBody().equals("fails-once"))
        .extracting(m -> m.getAttributes().get("ApproximateReceiveCount"))
        .containsExactly("1", "2");
    assertThat(recorder.seen).filteredOn(m -> m.getBody().equals("fine")).hasSize(1);
    await().atMost(PATIENCE).until(() -> depth(queue.queueUrl()) == 0);
    assertThat(poller.stats().failed()).isEqualTo(1);
    assertThat(depth(queue.dlqUrl())).isZero();
  }

  @Test
  void handlerThatThrows_deletesNoneOfItsBatch() {
    LocalQueues.PlatformQueue queue = queue(5);
    send(queue, "a");
    send(queue, "b");
    AtomicInteger calls = new AtomicInteger();
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    RequestHandler<SQSEvent, SQSBatchResponse> throwsFirst =
        (event, context) -> {
          batches.add(event.getRecords().stream().map(SQSEvent.SQSMessage::getMessageId).toList());
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("first invocation fails");
          }
          return new SQSBatchResponse(List.of());
        };
    SqsPoller poller = start(queue, throwsFirst, SqsPoller.Options.defaults());

    await().atMost(PATIENCE).until(() -> depth(queue.queueUrl()) == 0 && calls.get() >= 2);
    List<String> firstBatch = batches.get(0);
    List<String> later = batches.stream().skip(1).flatMap(List::stream).toList();
    assertThat(later).containsAll(firstBatch);
    assertThat(poller.stats().handlerErrors()).isEqualTo(1);
  }

  @Test
  void messageThatAlwaysFails_landsInTheDeadLetterQueueAfterMaxReceiveCount() {
    LocalQueues.PlatformQueue queue = queue(2);
    send(queue, "poison");
    Recorder recorder = new Recorder(message -> true);
    start(queue, recorder, SqsPoller.Options.defaults());

    await().atMost(PATIENCE).until(() -> depth(queue.dlqUrl()) == 1);
    Message dead =
        sqs.receiveMessage(b -> b.queueUrl(queue.dlqUrl()).waitTimeSeconds(1)).messages().get(0);
    assertThat(dead.body()).isEqualTo("poison");
    assertThat(recorder.seen).hasSize(2);
    assertThat(depth(queue.queueUrl())).isZero();
  }

  @Test
  void concurrency_runsThatManyInvocationsAtOnce() throws InterruptedException {
    LocalQueues.PlatformQueue queue = queue(3);
    for (int i = 0; i < 3; i++) {
      send(queue, "parallel-" + i);
    }
    CountDownLatch allInside = new CountDownLatch(3);
    AtomicInteger waitedForOthers = new AtomicInteger();
    RequestHandler<SQSEvent, SQSBatchResponse> meetOthers =
        (event, context) -> {
          allInside.countDown();
          try {
            if (allInside.await(10, TimeUnit.SECONDS)) {
              waitedForOthers.incrementAndGet();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new SQSBatchResponse(List.of());
        };
    start(queue, meetOthers, SqsPoller.Options.defaults().withBatchSize(1).withConcurrency(3));

    assertThat(allInside.await(20, TimeUnit.SECONDS)).isTrue();
    await().atMost(PATIENCE).until(() -> waitedForOthers.get() == 3);
  }

  @Test
  void close_stopsEveryPollingThread() {
    LocalQueues.PlatformQueue queue = queue(3);
    String functionName = "closing-" + QUEUE_NUMBER.incrementAndGet();
    SqsPoller poller =
        new SqsPoller(
                sqs,
                queue.queueUrl(),
                functionName,
                new Recorder(m -> false),
                SqsPoller.Options.defaults().withConcurrency(2))
            .start();
    assertThat(poller.alive()).isTrue();

    poller.close();

    assertThat(poller.alive()).as("what /health reports").isFalse();
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(name -> name.startsWith("sqs-poller-" + functionName));
  }

  // ---- helpers ----

  private LocalQueues.PlatformQueue queue(int maxReceiveCount) {
    return LocalQueues.create(
        sqs,
        "fargate",
        LocalQueues.Options.defaults()
            .withNamePrefix("sqs" + QUEUE_NUMBER.incrementAndGet() + "-")
            .withMaxReceiveCount(maxReceiveCount)
            .withVisibilityTimeout(Duration.ofSeconds(1)));
  }

  private SqsPoller start(
      LocalQueues.PlatformQueue queue,
      RequestHandler<SQSEvent, SQSBatchResponse> handler,
      SqsPoller.Options options) {
    SqsPoller poller = new SqsPoller(sqs, queue.queueUrl(), "orchestrator-test", handler, options);
    pollers.add(poller);
    return poller.start();
  }

  private static void send(LocalQueues.PlatformQueue queue, String body) {
    sqs.sendMessage(
        b ->
            b.queueUrl(queue.queueUrl())
                .messageBody(body)
                .messageAttributes(
                    Map.of(
                        "platform",
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue("fargate")
                            .build())));
  }

  private static int depth(String queueUrl) {
    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Records every message it sees and reports those {@code fails} picks as batch item failures. */
  private static final class Recorder implements RequestHandler<SQSEvent, SQSBatchResponse> {

    final List<SQSEvent.SQSMessage> seen = new CopyOnWriteArrayList<>();
    private final Function<SQSEvent.SQSMessage, Boolean> fails;

    Recorder(Function<SQSEvent.SQSMessage, Boolean> fails) {
      this.fails = fails;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
      List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
      for (SQSEvent.SQSMessage message : event.getRecords()) {
        seen.add(message);
        if (fails.apply(message)) {
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
      }
      return new SQSBatchResponse(failures);
    }
  }
}
