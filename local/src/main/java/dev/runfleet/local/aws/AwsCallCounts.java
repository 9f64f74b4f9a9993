package dev.runfleet.local.aws;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The AWS calls of this JVM's SDK clients, by stage and by service operation, while a count runs
 * ({@code bench pipeline}'s {@code callsPerJob}). {@link AwsCallCountInterceptor} reports every
 * call of every client (the SDK adds it to each client it builds); the stage is the function whose
 * invocation made the call, which the local runtime names where it invokes a handler ({@link
 * #during}), as Lambda would name the function billed for it:
 *
 * <ul>
 *   <li>{@code producer}, {@code publisher} (stream batches), {@code publisher-wake-up}, {@code
 *       publisher-sweep}, {@code orchestrators} (every platform's), {@code reconciler}, {@code
 *       host-events}: a handler's own clients, built by its Dagger module;
 *   <li>{@value #EVENT_SOURCES}: what Lambda and SNS do for us on AWS — the stream's {@code
 *       GetRecords}, the SQS pollers' receives and deletes, SNS's deliveries to the queues (calls
 *       to an endpoint marked with {@link #eventSource}, ElasticMQ's own port, whoever makes them);
 *   <li>{@value #RUNTIME}: anything else (the demo's checks, the dashboard, the CLI's reads).
 * </ul>
 *
 * A call is counted once, however many attempts its retries take.
 */
public final class AwsCallCounts {

  public static final String EVENT_SOURCES = "eventSources";
  public static final String RUNTIME = "runtime";

  private static final String PREFIX = "runfleet-";
  private static final String ORCHESTRATOR = "orchestrator-";

  private static final ThreadLocal<String> STAGE = new ThreadLocal<>();
  private static final Set<String> EVENT_SOURCE_ENDPOINTS = ConcurrentHashMap.newKeySet();
  private static volatile AwsCallCounts running;

  private final Map<String, Map<String, LongAdder>> byStage = new ConcurrentHashMap<>();

  private AwsCallCounts() {}

  /**
   * Starts counting every call of this JVM's SDK clients, until {@link #stop}.
   *
   * @throws IllegalStateException when a count already runs
   */
  public static synchronized AwsCallCounts start() {
    if (running != null) {
      throw new IllegalStateException("AWS calls are already being counted in this JVM");
    }
    running = new AwsCallCounts();
    return running;
  }

  /** Stops counting; the totals stay readable. */
  public synchronized void stop() {
    if (running == this) {
      running = null;
    }
  }

  /** Runs {@code invocation} as function {@code functionName}'s: its calls count for that stage. */
  public static <T> T during(String functionName, Supplier<T> invocation) {
    String outer = STAGE.get();
    STAGE.set(stageOf(functionName));
    try {
      return invocation.get();
    } finally {
      if (outer == null) {
        STAGE.remove();
      } else {
        STAGE.set(outer);
      }
    }
  }

  /** As {@link #during(String, Supplier)}, for an invocation that answers nothing. */
  public static void during(String functionName, Runnable invocation) {
    during(
        functionName,
        () -> {
          invocation.run();
          return null;
        });
  }

  /**
   * Counts calls to {@code endpoint} as {@value #EVENT_SOURCES}' until the returned handle is
   * closed.
   */
  public static AutoCloseable eventSource(URI endpoint) {
    String key = key(endpoint);
    EVENT_SOURCE_ENDPOINTS.add(key);
    return () -> EVENT_SOURCE_ENDPOINTS.remove(key);
  }

  /** The stage of function {@code functionName}: every platform's orchestrator is one stage. */
  static String stageOf(String functionName) {
    String name =
        functionName.startsWith(PREFIX) ? functionName.substring(PREFIX.length()) : functionName;
    return name.startsWith(ORCHESTRATOR) ? "orchestrators" : name;
  }

  /** Reported by the interceptor for each call, before its first attempt. */
  static void called(URI endpoint, String service, String operation) {
    AwsCallCounts counts = running;
    if (counts == null) {
      return;
    }
    String stage =
        endpoint != null && EVENT_SOURCE_ENDPOINTS.contains(key(endpoint))
            ? EVENT_SOURCES
            : STAGE.get() != null ? STAGE.get() : RUNTIME;
    counts
        .byStage
        .computeIfAbsent(stage, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(service + "." + operation, o -> new LongAdder())
        .increment();
  }

  /** Calls so far: stage, then {@code Service.Operation}, to its count. */
  public Map<String, Map<String, Long>> totals() {
    Map<String, Map<String, Long>> totals = new TreeMap<>();
    byStage.forEach(
        (stage, operations) -> {
          Map<String, Long> counts = new TreeMap<>();
          operations.forEach((operation, count) -> counts.put(operation, count.sum()));
          totals.put(stage, counts);
        });
    return totals;
  }

  private static String key(URI endpoint) {
    return endpoint.getHost() + ":" + endpoint.getPort();
  }
}
