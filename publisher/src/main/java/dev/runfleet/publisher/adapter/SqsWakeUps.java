package dev.runfleet.publisher.adapter;

import dev.runfleet.common.port.WakeUps;
import dev.runfleet.publisher.di.WakeUpQueueUrl;
import java.time.Duration;
import java.time.Instant;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wake-ups as delayed SQS messages to the queue that triggers {@code PublisherWakeUpHandler}. SQS
 * delays whole seconds, up to 15 minutes: the delay is rounded up, so the wake-up never comes
 * before the budget refilled; a budget further out than 15 minutes is woken at 15 and asks again.
 */
@Singleton
public final class SqsWakeUps implements WakeUps {

  static final int MAX_DELAY_SECONDS = 900;

  /** The message body: a versioned contract, though the handler needs none of it to dispatch. */
  static final String TYPE = "publisher-wake-up";

  private final SqsClient sqs;
  private final String queueUrl;

  @Inject
  public SqsWakeUps(SqsClient sqs, @WakeUpQueueUrl String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void schedule(Instant at, Instant now) {
    int delay = delaySeconds(at, now);
    String body = "{\"type\":\"" + TYPE + "\",\"version\":1,\"at\":\"" + at + "\"}";
    sqs.sendMessage(b -> b.queueUrl(queueUrl).delaySeconds(delay).messageBody(body));
  }

  @Override
  public boolean handsOverPasses() {
    return true;
  }

  /** Whole seconds from {@code now} to {@code at}, rounded up, within SQS's 0..900. */
  static int delaySeconds(Instant at, Instant now) {
    long nanos = Duration.between(now, at).toNanos();
    if (nanos <= 0) {
      return 0;
    }
    long seconds = (nanos + 999_999_999L) / 1_000_000_000L;
    return (int) Math.min(seconds, MAX_DELAY_SECONDS);
  }
}
