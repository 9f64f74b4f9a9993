package dev.runfleet.local.chaos;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The faults injected into AWS calls made to one endpoint (a local runtime's port, where every
 * handler's SDK clients send their calls): a share of SNS publishes and SQS sends fail as the SDK
 * fails them (nothing sent), and a share of DynamoDB writes fail after they took effect, as a
 * Lambda that dies between two writes: the handler sees the call fail, fails itself, and its
 * trigger retries it. {@link AwsFaultInterceptor} applies them; this class decides and counts.
 *
 * <p>Calls to other endpoints (the emulators' own traffic, another runtime in the same JVM) are
 * never touched.
 */
public final class AwsFaults implements AutoCloseable {

  /** Kinds as they appear in a chaos run's {@code faults}. */
  public static final String CRASH_AFTER_WRITE = "crash-after-write";

  public static final String SNS_PUBLISH_FAILURE = "sns-publish-failure";
  public static final String SQS_SEND_FAILURE = "sqs-send-failure";

  /** DynamoDB operations that write: a crash after one leaves its write in the table. */
  static final Set<String> WRITES =
      Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem");

  static final Set<String> SNS_PUBLISHES = Set.of("Publish", "PublishBatch");
  static final Set<String> SQS_SENDS = Set.of("SendMessage", "SendMessageBatch");

  /**
   * @param crashAfterWrite share of DynamoDB writes whose caller fails after the write took effect
   * @param publishFailure share of SNS publishes and SQS sends that fail without sending
   */
  public record Rates(double crashAfterWrite, double publishFailure) {
    public Rates {
      check("crashAfterWrite", crashAfterWrite);
      check("publishFailure", publishFailure);
    }

    private static void check(String name, double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(name + " must be within 0..1: " + rate);
      }
    }
  }

  private static final Map<String, AwsFaults> BY_ENDPOINT = new ConcurrentHashMap<>();

  private final String endpoint;
  private final Rates rates;
  private final Random random;
  private final FaultCounts counts;

  private AwsFaults(String endpoint, Rates rates, long seed, FaultCounts counts) {
    this.endpoint = endpoint;
    this.rates = rates;
    this.random = new Random(seed);
    this.counts = counts;
  }

  /**
   * Starts injecting faults into calls to {@code endpoint} until the returned handle is closed.
   *
   * @throws IllegalStateException when faults are already injected there
   */
  public static AwsFaults inject(URI endpoint, Rates rates, long seed, FaultCounts counts) {
    AwsFaults faults = new AwsFaults(key(endpoint), rates, seed, counts);
    if (BY_ENDPOINT.putIfAbsent(faults.endpoint, faults) != null) {
      throw new IllegalStateException("faults are already injected at " + endpoint);
    }
    return faults;
  }

  static Optional<AwsFaults> at(URI endpoint) {
    return endpoint == null
        ? Optional.empty()
        : Optional.ofNullable(BY_ENDPOINT.get(key(endpoint)));
  }

  private static String key(URI endpoint) {
    return endpoint.getHost() + ":" + endpoint.getPort();
  }

  /** The fault to inject before {@code operation} of {@code service} is sent, if any. */
  Optional<String> beforeSend(String service, String operation) {
    if ("Sns".equalsIgnoreCase(service) && SNS_PUBLISHES.contains(operation)) {
      return draw(rates.publishFailure(), SNS_PUBLISH_FAILURE);
    }
    if ("Sqs".equalsIgnoreCase(service) && SQS_SENDS.contains(operation)) {
      return draw(rates.publishFailure(), SQS_SEND_FAILURE);
    }
    return Optional.empty();
  }

  /** The fault to inject once {@code operation} of {@code service} succeeded, if any. */
  Optional<String> afterSuccess(String service, String operation) {
    if ("DynamoDb".equalsIgnoreCase(service) && WRITES.contains(operation)) {
      return draw(rates.crashAfterWrite(), CRASH_AFTER_WRITE);
    }
    return Optional.empty();
  }

  private Optional<String> draw(double rate, String kind) {
    boolean hit;
    synchronized (random) {
      hit = rate > 0 && random.nextDouble() < rate;
    }
    if (!hit) {
      return Optional.empty();
    }
    counts.add(kind);
    return Optional.of(kind);
  }

  @Override
  public void close() {
    BY_ENDPOINT.remove(endpoint, this);
  }
}
