package dev.runfleet.local.aws;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the per-platform command queues as Terraform does: {@code runfleet-<platform>} with a
 * dead-letter queue {@code runfleet-<platform>-dlq} and a redrive policy, with a short visibility
 * timeout so failed messages come back quickly in the local runtime. Creation is idempotent.
 */
public final class LocalQueues {

  private LocalQueues() {}

  /**
   * How the queues are made.
   *
   * @param namePrefix prefix of every queue name ({@code runfleet-})
   * @param maxReceiveCount receives before a message moves to the dead-letter queue
   * @param visibilityTimeout how long a received message stays hidden; whole seconds, at least one
   */
  public record Options(String namePrefix, int maxReceiveCount, Duration visibilityTimeout) {

    public Options {
      Objects.requireNonNull(namePrefix, "namePrefix");
      Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
      if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
        throw new IllegalArgumentException("maxReceiveCount must be 1..1000: " + maxReceiveCount);
      }
      if (visibilityTimeout.toSeconds() < 1 || visibilityTimeout.toSeconds() > 43_200) {
        throw new IllegalArgumentException(
            "visibilityTimeout must be 1 s..12 h in whole seconds: " + visibilityTimeout);
      }
    }

    /** {@code runfleet-}, 3 receives, 2 s visibility. */
    public static Options defaults() {
      return new Options("runfleet-", 3, Duration.ofSeconds(2));
    }

    public Options withMaxReceiveCount(int count) {
      return new Options(namePrefix, count, visibilityTimeout);
    }

    public Options withVisibilityTimeout(Duration timeout) {
      return new Options(namePrefix, maxReceiveCount, timeout);
    }

    public Options withNamePrefix(String prefix) {
      return new Options(prefix, maxReceiveCount, visibilityTimeout);
    }
  }

  /** A platform's command queue and its dead-letter queue. */
  public record PlatformQueue(
      String platform, String queueUrl, String queueArn, String dlqUrl, String dlqArn) {}

  /** Creates the queues of every platform, in the given order. */
  public static Map<String, PlatformQueue> createAll(
      SqsClient sqs, Collection<String> platforms, Options options) {
    Map<String, PlatformQueue> queues = new LinkedHashMap<>();
    for (String platform : platforms) {
      queues.put(platform, create(sqs, platform, options));
    }
    return Map.copyOf(queues);
  }

  /**
   * Creates {@code <prefix><platform>} and {@code <prefix><platform>-dlq} with the redrive policy.
   */
  public static PlatformQueue create(SqsClient sqs, String platform, Options options) {
    String name = options.namePrefix() + platform;
    String dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
    String dlqArn = arnOf(sqs, dlqUrl);
    String redrive =
        "{\"deadLetterTargetArn\":\""
            + dlqArn
            + "\",\"maxReceiveCount\":\""
            + options.maxReceiveCount()
            + "\"}";
    String queueUrl =
        sqs.createQueue(
                b ->
                    b.queueName(name)
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Long.toString(options.visibilityTimeout().toSeconds()),
                                QueueAttributeName.REDRIVE_POLICY,
                                redrive)))
            .queueUrl();
    return new PlatformQueue(platform, queueUrl, arnOf(sqs, queueUrl), dlqUrl, dlqArn);
  }

  /** The queue's ARN, as SQS reports it. */
  public static String arnOf(SqsClient sqs, String queueUrl) {
    return sqs.getQueueAttributes(
            b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }
}
