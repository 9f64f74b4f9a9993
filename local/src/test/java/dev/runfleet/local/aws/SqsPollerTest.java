package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.Context;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.lambda.SqsMessage;
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
  void messages_reachTheHandlerAsSqsMessages_andAreDeletedAfterSuccess() {
    LocalQueues.PlatformQueue queue = queue(3);
    for (int i = 0; i < 3; i++) {
      send(queue, "body-" + i);
    }
    Recorder recorder = new Recorder(message -> false);
    SqsPoller poller = start(queue, recorder, SqsPoller.Options.defaults());

    await().atMost(PATIENCE).until(() -> recorder.seen.size() == 3);
    assertThat(recorder.seen)
        .extracting(SqsMessage::body)
        .containsExactlyInAnyOrder("body-0", "body-1", "body-2");
    assertThat(recorder.seen)
        .allSatisfy(
            m -> {
              assertThat(m.messageId()).isNotBlank();
              assertThat(m.attributes()).containsEntry("ApproximateReceiveCount", "1");
              assertThat(m.attributes()).containsKey("SentTimestamp");
              assertThat(m.messageAttributes()).containsExactly(Map.entry("platform", "fargate"));
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
                message.body().equals("fails-once")
                    && message.attributes().get("ApproximateReceiveCount").equals("1"));
    SqsPoller poller = start(queue, recorder, SqsPoller.Options.defaults());

    await().atMost(PATIENCE).until(() -> recorder.seen.size() == 3);
    assertThat(recorder.seen)
        .filteredOn(m -> m.body().equals("fails-once"))
        .extracting(m -> m.attributes().get("ApproximateReceiveCount"))
        .containsExactly("1", "2");
    assertThat(recorder.seen).filteredOn(m -> m.body().equals("fine")).hasSize(1);
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
    BatchHandler<SqsMessage> throwsFirst =
        (messages, context) -> {
          batches.add(messages.stream().map(SqsMessage::messageId).toList());
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("first invocation fails");
          }
          return List.of();
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
    BatchHandler<SqsMessage> meetOthers =
        (messages, context) -> {
          allInside.countDown();
          try {
            if (allInside.await(10, TimeUnit.SECONDS)) {
              waitedForOthers.incrementAndGet();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return List.of();
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
      BatchHandler<SqsMessage> handler,
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
    return EmbeddedSqs.messages(sqs, queueUrl);
  }

  /** Records every message it sees and reports those {@code fails} picks as batch item failures. */
  private static final class Recorder implements BatchHandler<SqsMessage> {

    final List<SqsMessage> seen = new CopyOnWriteArrayList<>();
    private final Function<SqsMessage, Boolean> fails;

    Recorder(Function<SqsMessage, Boolean> fails) {
      this.fails = fails;
    }

    @Override
    public List<String> handle(List<SqsMessage> messages, Context context) {
      List<String> failures = new ArrayList<>();
      for (SqsMessage message : messages) {
        seen.add(message);
        if (fails.apply(message)) {
          failures.add(message.messageId());
        }
      }
      return failures;
    }
  }
}
