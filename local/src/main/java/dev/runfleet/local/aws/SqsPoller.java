package dev.runfleet.local.aws;

import dev.runfleet.aws.lambda.SqsMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Plays Lambda's SQS event source mapping with {@code ReportBatchItemFailures} for one queue:
 * receives batches, invokes the handler with the batch's {@link SqsMessage}s (the handlers' model
 * of Lambda's SQS event, built straight from the received messages), and deletes every message the
 * handler did not report as failed. When the handler throws, nothing is deleted. Failed messages
 * return after the queue's visibility timeout, and the queue's redrive policy moves them to the
 * dead-letter queue after {@code maxReceiveCount} receives.
 *
 * <p>{@code concurrency} threads poll the same queue, like Lambda scaling out; they share one
 * handler instance, which must therefore be thread-safe.
 */
public final class SqsPoller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SqsPoller.class);

  private final SqsClient sqs;
  private final String queueUrl;
  private final String functionName;
  private final BatchHandler<SqsMessage> handler;
  private final Options options;
  private final String region;
  private final Clock clock = Clock.systemUTC();
  private final List<Thread> threads = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopping = lock.newCondition();
  private volatile boolean running;
  private volatile String queueArn;

  private final LongAdder batches = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder deleted = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder handlerErrors = new LongAdder();

  /**
   * How the mapping polls.
   *
   * @param batchSize messages per invocation, 1..10
   * @param concurrency polling threads, each invoking the handler for its own batches
   * @param waitTime long-poll wait of each ReceiveMessage, 0..20 s; also bounds how long {@link
   *     #close()} waits
   * @param idleInterval pause between empty receives when {@code waitTime} is zero, and after a
   *     receive error
   * @param functionTimeout what {@code getRemainingTimeInMillis} counts down from
   */
  public record Options(
      int batchSize,
      int concurrency,
      Duration waitTime,
      Duration idleInterval,
      Duration functionTimeout) {

    public Options {
      if (batchSize < 1 || batchSize > 10) {
        throw new IllegalArgumentException("batchSize must be 1..10: " + batchSize);
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
      }
      Objects.requireNonNull(waitTime, "waitTime");
      Objects.requireNonNull(idleInterval, "idleInterval");
      Objects.requireNonNull(functionTimeout, "functionTimeout");
      if (waitTime.isNegative() || waitTime.toSeconds() > 20) {
        throw new IllegalArgumentException("waitTime must be 0..20 s: " + waitTime);
      }
      if (idleInterval.isNegative() || idleInterval.isZero()) {
        throw new IllegalArgumentException("idleInterval must be positive: " + idleInterval);
      }
    }

    /** 10 messages, one thread, 1 s long polls, 25 ms idle pause, 30 s function timeout. */
    public static Options defaults() {
      return new Options(
          10, 1, Duration.ofSeconds(1), Duration.ofMillis(25), Duration.ofSeconds(30));
    }

    public Options withBatchSize(int size) {
      return new Options(size, concurrency, waitTime, idleInterval, functionTimeout);
    }

    public Options withConcurrency(int threads) {
      return new Options(batchSize, threads, waitTime, idleInterval, functionTimeout);
    }

    public Options withWaitTime(Duration wait) {
      return new Options(batchSize, concurrency, wait, idleInterval, functionTimeout);
    }

    public Options withIdleInterval(Duration interval) {
      return new Options(batchSize, concurrency, waitTime, interval, functionTimeout);
    }

    public Options withFunctionTimeout(Duration timeout) {
      return new Options(batchSize, concurrency, waitTime, idleInterval, timeout);
    }
  }

  /**
   * Counters since start.
   *
   * @param batches handler invocations
   * @param received messages received (a message received again counts again)
   * @param deleted messages deleted after the handler succeeded for them
   * @param failed messages left on the queue: reported as failed, or in a batch whose invocation
   *     threw
   * @param handlerErrors invocations that threw
   */
  public record Stats(long batches, long received, long deleted, long failed, long handlerErrors) {}

  /**
   * @param sqs the client of the queue; its region becomes the context's
   * @param queueUrl the queue to poll
   * @param functionName the function's name, for its context and logs
   * @param handler the real Lambda handler's entry for messages already read
   */
  public SqsPoller(
      SqsClient sqs,
      String queueUrl,
      String functionName,
      BatchHandler<SqsMessage> handler,
      Options options) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.functionName = Objects.requireNonNull(functionName, "functionName");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.options = Objects.requireNonNull(options, "options");
    this.region = sqs.serviceClientConfiguration().region().id();
  }

  /** Looks up the queue's ARN and starts the polling threads. */
  /** True while the poller runs: started, not closed, every polling thread alive. */
  public synchronized boolean alive() {
    return running && !threads.isEmpty() && threads.stream().allMatch(Thread::isAlive);
  }

  public synchronized SqsPoller start() {
    if (running || !threads.isEmpty()) {
      throw new IllegalStateException("already started: " + functionName + " on " + queueUrl);
    }
    queueArn = LocalQueues.arnOf(sqs, queueUrl);
    running = true;
    for (int i = 1; i <= options.concurrency(); i++) {
      Thread thread = new Thread(this::run, "sqs-poller-" + functionName + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    log.info(
        "polling {} for {} with {} thread(s), batches of {}",
        queueArn,
        functionName,
        options.concurrency(),
        options.batchSize());
    return this;
  }

  public Stats stats() {
    return new Stats(
        batches.sum(), received.sum(), deleted.sum(), failed.sum(), handlerErrors.sum());
  }

  /**
   * Stops polling and waits for in-flight batches to finish; a receive in progress ends within
   * {@code waitTime}.
   */
  @Override
  public synchronized void close() {
    running = false;
    lock.lock();
    try {
      stopping.signalAll();
    } finally {
      lock.unlock();
    }
    long waitMillis = options.waitTime().toMillis() + options.functionTimeout().toMillis() + 5_000;
    for (Thread thread : threads) {
      try {
        thread.join(waitMillis);
        if (thread.isAlive()) {
          log.warn("{} did not stop within {} ms; interrupting it", thread.getName(), waitMillis);
          thread.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
  }

  private void run() {
    while (running) {
      List<Message> messages;
      try {
        messages =
            sqs.receiveMessage(
                    b ->
                        b.queueUrl(queueUrl)
                            .maxNumberOfMessages(options.batchSize())
                            .waitTimeSeconds((int) options.waitTime().toSeconds())
                            .messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
      } catch (SdkException e) {
        if (running) {
          log.warn("receive from {} failed; retrying: {}", queueUrl, e.toString());
          pause();
        }
        continue;
      }
      if (messages.isEmpty()) {
        if (options.waitTime().isZero()) {
          pause();
        }
        continue;
      }
      try {
        invoke(messages);
      } catch (RuntimeException e) {
        // Keep the mapping alive; the batch's messages return after their visibility timeout.
        log.error("{}: unexpected failure handling a batch from {}", functionName, queueUrl, e);
        pause();
      }
    }
  }

  private void invoke(List<Message> messages) {
    received.add(messages.size());
    batches.increment();
    List<SqsMessage> records = new ArrayList<>(messages.size());
    for (Message message : messages) {
      records.add(sqsMessage(message));
    }
    LocalContext context = new LocalContext(functionName, region, options.functionTimeout(), clock);

    List<String> response;
    try {
      response = AwsCallCounts.during(functionName, () -> handler.handle(records, context));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      handlerErrors.increment();
      failed.add(messages.size());
      log.warn(
          "{} threw on a batch of {} from {}; none deleted, they return after the visibility timeout",
          functionName,
          messages.size(),
          queueUrl,
          e);
      return;
    }

    Set<String> failedIds = new HashSet<>();
    boolean wholeBatch = false;
    Set<String> batchIds = new HashSet<>();
    messages.forEach(m -> batchIds.add(m.messageId()));
    if (response != null) {
      for (String id : response) {
        if (id == null || !batchIds.contains(id)) {
          // Lambda's rule: an empty or unknown identifier fails the whole batch.
          wholeBatch = true;
        } else {
          failedIds.add(id);
        }
      }
    }
    if (wholeBatch) {
      failed.add(messages.size());
      log.warn(
          "{} reported a failure for a message not in its batch; treating the whole batch of {} as failed",
          functionName,
          messages.size());
      return;
    }
    failed.add(failedIds.size());
    if (!failedIds.isEmpty()) {
      log.debug("{} reported {} failed message(s): {}", functionName, failedIds.size(), failedIds);
    }
    delete(messages.stream().filter(m -> !failedIds.contains(m.messageId())).toList());
  }

  /**
   * A received message as Lambda hands it over: its id, body, system attributes, and each message
   * attribute's string value (the only kind SNS and our senders set).
   */
  static SqsMessage sqsMessage(Message message) {
    Map<String, String> messageAttributes = new HashMap<>();
    message
        .messageAttributes()
        .forEach(
            (name, value) -> {
              if (value.stringValue() != null) {
                messageAttributes.put(name, value.stringValue());
              }
            });
    return new SqsMessage(
        message.messageId(), message.body(), message.attributesAsStrings(), messageAttributes);
  }

  private void delete(List<Message> done) {
    if (done.isEmpty()) {
      return;
    }
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(done.size());
    for (int i = 0; i < done.size(); i++) {
      entries.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .receiptHandle(done.get(i).receiptHandle())
              .build());
    }
    try {
      var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      deleted.add(response.successful().size());
      for (BatchResultErrorEntry error : response.failed()) {
        log.warn(
            "could not delete a processed message from {} ({} {}); it will be delivered again",
            queueUrl,
            error.code(),
            error.message());
      }
    } catch (SdkException e) {
      log.warn(
          "could not delete {} processed message(s) from {}; they will be delivered again: {}",
          done.size(),
          queueUrl,
          e.toString());
    }
  }

  private void pause() {
    lock.lock();
    try {
      if (running) {
        stopping.await(options.idleInterval().toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }
}
