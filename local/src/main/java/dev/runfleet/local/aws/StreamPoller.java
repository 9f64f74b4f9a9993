package dev.runfleet.local.aws;

import dev.runfleet.aws.lambda.StreamRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Plays Lambda's DynamoDB Streams event source mapping for one stream, with {@code
 * ReportBatchItemFailures}, {@code BisectBatchOnFunctionError} and {@code ParallelizationFactor}:
 * one thread reads the shards, and the handler runs on invocation threads. Records reach the
 * handler as {@link StreamRecord}s, the handlers' model of Lambda's stream event, whose images are
 * the very attribute values GetRecords returned.
 *
 * <ul>
 *   <li>Shards are discovered with DescribeStream and read from TRIM_HORIZON when first seen; a
 *       child shard is read only after its parent is drained, so a key's records keep their order
 *       across shard rotation.
 *   <li>Each shard's records are spread over {@code parallelizationFactor} lanes by a hash of their
 *       partition key (the table's HASH key, from DescribeStream): records with the same partition
 *       key go to the same lane and are delivered in order; lanes are delivered concurrently, each
 *       one batch at a time. Each lane has its own handler instance, as each of Lambda's concurrent
 *       batches runs in its own execution environment.
 *   <li>Batch item failures: the records before the lowest failed sequence number are done;
 *       delivery of that lane resumes at it.
 *   <li>A thrown exception fails the whole batch, which is split in two and retried (splits are not
 *       retries) until the failing record is alone.
 *   <li>A record that failed {@code maxRetries + 1} times goes to the on-failure callback (Lambda's
 *       on-failure destination), is logged with its sequence number and counted, and the shard
 *       moves past it. Failure, bisection and retry state is per lane: a failing key holds up only
 *       the keys of its lane.
 * </ul>
 */
public final class StreamPoller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamPoller.class);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);

  private final DynamoDbStreamsClient streams;
  private final String streamArn;
  private final String functionName;
  private final Supplier<BatchHandler<StreamRecord>> handlers;
  private final Options options;
  private final Consumer<FailedRecord> onFailure;
  private final String region;
  private final Clock clock = Clock.systemUTC();

  /** Shards being read, in discovery order; drained shards move to {@link #drained}. */
  private final Map<String, ShardReader> shards = new LinkedHashMap<>();

  private final Set<String> drained = new HashSet<>();
  private final Set<String> listed = new HashSet<>();
  private Instant nextRefresh = Instant.MIN;
  private String partitionKey;

  /** A lane's handler per lane index, made when the lane first delivers: Lambda's environments. */
  private final List<BatchHandler<StreamRecord>> laneHandlers = new ArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled on close, and when a lane's invocation ends (the reader may deliver again). */
  private final Condition wake = lock.newCondition();

  private volatile boolean running;
  private Thread thread;
  private ExecutorService invokers;

  private final LongAdder batches = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder discarded = new LongAdder();

  /**
   * How the mapping reads and retries.
   *
   * @param batchSize most records per invocation (and per GetRecords), 1..1000
   * @param maxRetries retries of a failing record before it goes to the on-failure callback
   * @param pollInterval pause when no shard had anything to deliver
   * @param retryDelay pause before the first retry of a failed record; doubles with each further
   *     retry
   * @param shardRefreshInterval how often DescribeStream looks for new shards (also whenever a
   *     shard closes)
   * @param functionTimeout what {@code getRemainingTimeInMillis} counts down from
   * @param parallelizationFactor concurrent batches per shard, 1..10, as Lambda's setting
   */
  public record Options(
      int batchSize,
      int maxRetries,
      Duration pollInterval,
      Duration retryDelay,
      Duration shardRefreshInterval,
      Duration functionTimeout,
      int parallelizationFactor) {

    public Options {
      if (batchSize < 1 || batchSize > 1000) {
        throw new IllegalArgumentException("batchSize must be 1..1000: " + batchSize);
      }
      if (parallelizationFactor < 1 || parallelizationFactor > 10) {
        throw new IllegalArgumentException(
            "parallelizationFactor must be 1..10: " + parallelizationFactor);
      }
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
      }
      requirePositive(pollInterval, "pollInterval");
      Objects.requireNonNull(retryDelay, "retryDelay");
      if (retryDelay.isNegative()) {
        throw new IllegalArgumentException("retryDelay must not be negative: " + retryDelay);
      }
      requirePositive(shardRefreshInterval, "shardRefreshInterval");
      requirePositive(functionTimeout, "functionTimeout");
    }

    private static void requirePositive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }

    /**
     * 100 records, 3 retries, 25 ms poll, 100 ms first retry delay, 1 s shard refresh, 30 s
     * timeout, one batch per shard at a time (Lambda's defaults where it has them).
     */
    public static Options defaults() {
      return new Options(
          100,
          3,
          Duration.ofMillis(25),
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          1);
    }

    public Options withParallelizationFactor(int factor) {
      return new Options(
          batchSize,
          maxRetries,
          pollInterval,
          retryDelay,
          shardRefreshInterval,
          functionTimeout,
          factor);
    }

    public Options withBatchSize(int size) {
      return new Options(
          size,
          maxRetries,
          pollInterval,
          retryDelay,
          shardRefreshInterval,
          functionTimeout,
          parallelizationFactor);
    }

    public Options withMaxRetries(int retries) {
      return new Options(
          batchSize,
          retries,
          pollInterval,
          retryDelay,
          shardRefreshInterval,
          functionTimeout,
          parallelizationFactor);
    }

    public Options withPollInterval(Duration interval) {
      return new Options(
          batchSize,
          maxRetries,
          interval,
          retryDelay,
          shardRefreshInterval,
          functionTimeout,
          parallelizationFactor);
    }

    public Options withRetryDelay(Duration delay) {
      return new Options(
          batchSize,
          maxRetries,
          pollInterval,
          delay,
          shardRefreshInterval,
          functionTimeout,
          parallelizationFactor);
    }

    public Options withShardRefreshInterval(Duration interval) {
      return new Options(
          batchSize,
          maxRetries,
          pollInterval,
          retryDelay,
          interval,
          functionTimeout,
          parallelizationFactor);
    }

    public Options withFunctionTimeout(Duration timeout) {
      return new Options(
          batchSize,
          maxRetries,
          pollInterval,
          retryDelay,
          shardRefreshInterval,
          timeout,
          parallelizationFactor);
    }
  }

  /**
   * A record given up on, as handed to the on-failure destination.
   *
   * @param attempts how many invocations failed on it
   * @param reason the last failure: the exception, or that the handler reported the record as
   *     failed
   */
  public record FailedRecord(
      String streamArn, String shardId, StreamRecord record, int attempts, String reason) {

    public String sequenceNumber() {
      return record.sequenceNumber();
    }
  }

  /**
   * Counters since start.
   *
   * @param batches handler invocations
   * @param records records done (the handler succeeded for them)
   * @param failures invocations that failed in whole or in part
   * @param discarded records handed to the on-failure callback and skipped
   */
  public record Stats(long batches, long records, long failures, long discarded) {}

  /**
   * @param streams the streams client; its region becomes the context's
   * @param streamArn the table's stream
   * @param functionName the function's name, for its context and logs
   * @param handler the real Lambda handler's entry for records already read, shared by every lane
   *     (it must be thread-safe when the parallelization factor is above one)
   * @param onFailure Lambda's on-failure destination; called on the invocation thread after the
   *     record is logged and counted
   */
  public StreamPoller(
      DynamoDbStreamsClient streams,
      String streamArn,
      String functionName,
      BatchHandler<StreamRecord> handler,
      Options options,
      Consumer<FailedRecord> onFailure) {
    this(
        streams,
        streamArn,
        functionName,
        supplierOf(Objects.requireNonNull(handler, "handler")),
        options,
        onFailure);
  }

  /**
   * As above, with {@code handlers} making one handler per lane, the first time the lane delivers.
   */
  public StreamPoller(
      DynamoDbStreamsClient streams,
      String streamArn,
      String functionName,
      Supplier<BatchHandler<StreamRecord>> handlers,
      Options options,
      Consumer<FailedRecord> onFailure) {
    this.streams = Objects.requireNonNull(streams, "streams");
    this.streamArn = Objects.requireNonNull(streamArn, "streamArn");
    this.functionName = Objects.requireNonNull(functionName, "functionName");
    this.handlers = Objects.requireNonNull(handlers, "handlers");
    this.options = Objects.requireNonNull(options, "options");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    this.region = streams.serviceClientConfiguration().region().id();
  }

  private static <T> Supplier<T> supplierOf(T value) {
    return () -> value;
  }

  /** Starts the reading thread. */
  public synchronized StreamPoller start() {
    if (thread != null) {
      throw new IllegalStateException("already started: " + functionName + " on " + streamArn);
    }
    running = true;
    AtomicInteger invoker = new AtomicInteger();
    invokers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(r, "stream-invoke-" + functionName + "-" + invoker.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // The mapping's own reads are Lambda's, not the function's.
    thread =
        new Thread(
            () -> AwsCallCounts.during(AwsCallCounts.EVENT_SOURCES, this::run),
            "stream-poller-" + functionName);
    thread.setDaemon(true);
    thread.start();
    log.info(
        "polling {} for {}, batches of {}, {} retries, parallelization factor {}",
        streamArn,
        functionName,
        options.batchSize(),
        options.maxRetries(),
        options.parallelizationFactor());
    return this;
  }

  public Stats stats() {
    return new Stats(batches.sum(), records.sum(), failures.sum(), discarded.sum());
  }

  /** True while the poller runs: started, not closed, its thread alive. */
  public synchronized boolean alive() {
    return running && thread != null && thread.isAlive();
  }

  /** Stops polling after the batches in flight, if any, and waits for the threads to end. */
  @Override
  public synchronized void close() {
    running = false;
    signal();
    if (thread == null) {
      return;
    }
    long waitMillis = options.functionTimeout().toMillis() + 10_000;
    try {
      thread.join(waitMillis);
      if (thread.isAlive()) {
        log.warn("{} did not stop within {} ms; interrupting it", thread.getName(), waitMillis);
        thread.interrupt();
      }
      invokers.shutdown();
      if (!invokers.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
        log.warn(
            "{}: invocations did not end within {} ms; interrupting", functionName, waitMillis);
        invokers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      invokers.shutdownNow();
    }
  }

  // ---- the loop ----

  private void run() {
    while (running) {
      boolean busy = false;
      try {
        if (!clock.instant().isBefore(nextRefresh)) {
          refreshShards();
        }
        for (ShardReader shard : List.copyOf(shards.values())) {
          if (!running) {
            break;
          }
          if (parentDone(shard)) {
            busy |= pump(shard);
          }
        }
      } catch (SdkException e) {
        if (running) {
          log.warn("reading {} failed; retrying: {}", streamArn, e.toString());
        }
      } catch (RuntimeException e) {
        // Keep the mapping alive, as Lambda's poller would; the next round starts from the same
        // position.
        log.error("{}: unexpected failure polling {}; retrying", functionName, streamArn, e);
      }
      if (!busy) {
        pause(options.pollInterval());
      }
    }
  }

  private void refreshShards() {
    nextRefresh = clock.instant().plus(options.shardRefreshInterval());
    Set<String> seen = new HashSet<>();
    String start = null;
    do {
      String exclusiveStart = start;
      DescribeStreamResponse response =
          streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(exclusiveStart));
      if (partitionKey == null) {
        partitionKey =
            response.streamDescription().keySchema().stream()
                .filter(k -> k.keyType() == KeyType.HASH)
                .map(KeySchemaElement::attributeName)
                .findFirst()
                .orElse(null);
      }
      for (Shard shard : response.streamDescription().shards()) {
        seen.add(shard.shardId());
        if (!shards.containsKey(shard.shardId()) && !drained.contains(shard.shardId())) {
          shards.put(shard.shardId(), new ShardReader(shard.shardId(), shard.parentShardId()));
          log.debug(
              "{}: new shard {} (parent {})", functionName, shard.shardId(), shard.parentShardId());
        }
      }
      start = response.streamDescription().lastEvaluatedShardId();
    } while (start != null);
    listed.clear();
    listed.addAll(seen);
  }

  /**
   * A child waits for its parent, unless the parent is gone from the stream (trimmed) or was never
   * seen.
   */
  private boolean parentDone(ShardReader shard) {
    String parent = shard.parentShardId;
    return parent == null
        || drained.contains(parent)
        || !(shards.containsKey(parent) || listed.contains(parent));
  }

  /**
   * Fetches while the shard's lanes have room, and starts a batch on every idle lane with records;
   * true when it did any work.
   */
  private boolean pump(ShardReader shard) {
    int fetched = 0;
    if (!shard.closed && shard.buffered() < options.batchSize() * shard.lanes.length) {
      fetched = fetch(shard);
    }
    if (shard.closed && shard.idleAndEmpty()) {
      shards.remove(shard.shardId);
      drained.add(shard.shardId);
      nextRefresh = Instant.MIN;
      log.debug("{}: shard {} drained", functionName, shard.shardId);
      return true;
    }
    boolean started = false;
    for (Lane lane : shard.lanes) {
      started |= lane.startIfReady();
    }
    return fetched > 0 || started;
  }

  private int fetch(ShardReader shard) {
    if (shard.iterator == null) {
      String after = shard.lastFetched;
      try {
        shard.iterator =
            streams
                .getShardIterator(
                    b -> {
                      b.streamArn(streamArn).shardId(shard.shardId);
                      if (after == null) {
                        b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                      } else {
                        b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                            .sequenceNumber(after);
                      }
                    })
                .shardIterator();
      } catch (TrimmedDataAccessException e) {
        if (after == null) {
          throw e;
        }
        log.warn(
            "{}: records of shard {} after {} were trimmed; resuming at the trim horizon",
            functionName,
            shard.shardId,
            after);
        shard.lastFetched = null;
        return 0;
      } catch (ResourceNotFoundException e) {
        log.warn(
            "{}: shard {} can no longer be read ({}); moving on",
            functionName,
            shard.shardId,
            e.toString());
        shard.closed = true;
        return 0;
      }
      if (shard.iterator == null) {
        shard.closed = true;
        return 0;
      }
    }
    GetRecordsResponse response;
    try {
      String iterator = shard.iterator;
      response = streams.getRecords(b -> b.shardIterator(iterator).limit(options.batchSize()));
    } catch (ExpiredIteratorException e) {
      shard.iterator = null;
      return 0;
    } catch (TrimmedDataAccessException e) {
      log.warn(
          "{}: records of shard {} after {} were trimmed; resuming at the trim horizon",
          functionName,
          shard.shardId,
          shard.lastFetched);
      shard.iterator = null;
      shard.lastFetched = null;
      return 0;
    }
    List<Record> fetched = response.records();
    for (Record record : fetched) {
      shard.lanes[laneOf(record, shard.lanes.length)].add(streamRecord(record));
    }
    if (!fetched.isEmpty()) {
      shard.lastFetched = fetched.get(fetched.size() - 1).dynamodb().sequenceNumber();
    }
    shard.iterator = response.nextShardIterator();
    if (shard.iterator == null) {
      shard.closed = true;
    }
    return fetched.size();
  }

  /** The lane of a record: by its partition key, so one key's records keep their order. */
  private int laneOf(Record record, int lanes) {
    if (lanes == 1) {
      return 0;
    }
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> keys =
        record.dynamodb().keys();
    Object key = partitionKey != null ? keys.get(partitionKey) : new TreeMap<>(keys);
    return Math.floorMod(Objects.hashCode(key), lanes);
  }

  /** A record as Lambda hands it over from this stream; an empty image reads as none. */
  private StreamRecord streamRecord(Record record) {
    var change = record.dynamodb();
    return new StreamRecord(
        record.eventID(),
        record.eventNameAsString(),
        streamArn,
        change.sequenceNumber(),
        change.hasOldImage() && !change.oldImage().isEmpty() ? change.oldImage() : null,
        change.hasNewImage() && !change.newImage().isEmpty() ? change.newImage() : null);
  }

  private BatchHandler<StreamRecord> handlerOf(int lane) {
    synchronized (laneHandlers) {
      while (laneHandlers.size() <= lane) {
        laneHandlers.add(null);
      }
      if (laneHandlers.get(lane) == null) {
        laneHandlers.set(lane, handlers.get());
      }
      return laneHandlers.get(lane);
    }
  }

  /** One invocation of the lane's head batch, on an invocation thread. */
  private void deliver(Lane lane) {
    List<StreamRecord> batch;
    synchronized (lane) {
      int size = Math.min(lane.limit, lane.buffer.size());
      batch = new ArrayList<>(size);
      var it = lane.buffer.iterator();
      for (int i = 0; i < size; i++) {
        batch.add(it.next());
      }
    }
    int size = batch.size();
    batches.increment();

    List<String> response;
    try {
      BatchHandler<StreamRecord> handler = handlerOf(lane.index);
      LocalContext context =
          new LocalContext(functionName, region, options.functionTimeout(), clock);
      response = AwsCallCounts.during(functionName, () -> handler.handle(batch, context));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      // One line per failed invocation; the stack trace comes with the record's final failure.
      log.warn(
          "{} threw on a batch of {} from shard {} starting at {}: {}",
          functionName,
          size,
          lane.shardId,
          batch.get(0).sequenceNumber(),
          e.toString());
      failed(lane, batch, 0, true, e);
      return;
    }

    int firstFailed = firstFailed(response, batch);
    if (firstFailed < 0) {
      done(lane, size);
      synchronized (lane) {
        lane.limit = Math.min(options.batchSize(), lane.limit * 2);
      }
      return;
    }
    if (firstFailed == Integer.MAX_VALUE) {
      log.warn(
          "{} reported a failure for a record not in its batch; treating the batch as failed",
          functionName);
      failed(lane, batch, 0, true, null);
      return;
    }
    done(lane, firstFailed);
    failed(lane, batch, firstFailed, false, null);
  }

  /**
   * Index in {@code batch} of the lowest failed sequence number; -1 when none failed; {@link
   * Integer#MAX_VALUE} when a failure names no record of the batch (Lambda then fails the whole
   * batch).
   */
  private static int firstFailed(List<String> response, List<StreamRecord> batch) {
    if (response == null || response.isEmpty()) {
      return -1;
    }
    Set<String> failed = new HashSet<>();
    for (String id : response) {
      if (id == null || id.isEmpty()) {
        return Integer.MAX_VALUE;
      }
      failed.add(id);
    }
    int first = Integer.MAX_VALUE;
    Set<String> inBatch = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      String seq = batch.get(i).sequenceNumber();
      inBatch.add(seq);
      if (first == Integer.MAX_VALUE && failed.contains(seq)) {
        first = i;
      }
    }
    return inBatch.containsAll(failed) ? first : Integer.MAX_VALUE;
  }

  private void done(Lane lane, int count) {
    synchronized (lane) {
      for (int i = 0; i < count; i++) {
        lane.buffer.removeFirst();
      }
    }
    records.add(count);
  }

  /**
   * Handles a failure of {@code batch} from index {@code from} on, whose records are still at the
   * head of the lane's buffer.
   */
  private void failed(
      Lane lane, List<StreamRecord> batch, int from, boolean wholeBatch, Throwable error) {
    failures.increment();
    int remaining = batch.size() - from;
    StreamRecord head = batch.get(from);
    String seq = head.sequenceNumber();
    int attempts;
    synchronized (lane) {
      if (wholeBatch && remaining > 1) {
        // Bisect: retry the first half at once; the culprit is found without spending retries.
        lane.limit = (remaining + 1) / 2;
        return;
      }
      if (seq.equals(lane.failingSequence)) {
        lane.attempts++;
      } else {
        lane.failingSequence = seq;
        lane.attempts = 1;
      }
      attempts = lane.attempts;
      if (attempts <= options.maxRetries()) {
        long factor = 1L << Math.min(attempts - 1, 16);
        Duration delay = options.retryDelay().multipliedBy(factor);
        lane.retryAt =
            clock.instant().plus(delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay);
        return;
      }
      lane.buffer.removeFirst();
      lane.failingSequence = null;
      lane.attempts = 0;
      lane.limit = options.batchSize();
    }
    discarded.increment();
    String reason =
        error != null
            ? error.toString()
            : wholeBatch
                ? "batch item failure naming no record of the batch"
                : "batch item failure";
    // A trailing Throwable argument prints its stack trace; a null one prints nothing.
    log.warn(
        "{}: stream record {} of shard {} failed {} time(s); sent to the on-failure destination"
            + " and skipped: {}",
        functionName,
        seq,
        lane.shardId,
        attempts,
        reason,
        error);
    FailedRecord failedRecord = new FailedRecord(streamArn, lane.shardId, head, attempts, reason);
    try {
      onFailure.accept(failedRecord);
    } catch (RuntimeException e) {
      log.warn("{}: the on-failure callback failed for record {}", functionName, seq, e);
    }
  }

  private void pause(Duration duration) {
    lock.lock();
    try {
      if (running) {
        wake.await(duration.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Read position of one shard and its lanes; the position is touched by the reader thread only.
   */
  private final class ShardReader {
    final String shardId;
    final String parentShardId;
    final Lane[] lanes;
    String iterator;
    String lastFetched;
    boolean closed;

    ShardReader(String shardId, String parentShardId) {
      this.shardId = shardId;
      this.parentShardId = parentShardId;
      this.lanes = new Lane[options.parallelizationFactor()];
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = new Lane(shardId, i);
      }
    }

    int buffered() {
      int n = 0;
      for (Lane lane : lanes) {
        n += lane.size();
      }
      return n;
    }

    boolean idleAndEmpty() {
      for (Lane lane : lanes) {
        if (lane.busy || lane.size() > 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * One of a shard's concurrent batches: its records in order, and its retry state. Guarded by its
   * own monitor; {@code busy} while an invocation of it runs.
   */
  private final class Lane {
    final String shardId;
    final int index;
    final ArrayDeque<StreamRecord> buffer = new ArrayDeque<>();
    int limit = options.batchSize();
    String failingSequence;
    int attempts;
    Instant retryAt;
    volatile boolean busy;

    Lane(String shardId, int index) {
      this.shardId = shardId;
      this.index = index;
    }

    synchronized void add(StreamRecord record) {
      buffer.add(record);
    }

    synchronized int size() {
      return buffer.size();
    }

    /** Starts the head batch on an invocation thread unless one runs or a retry must wait. */
    boolean startIfReady() {
      synchronized (this) {
        if (busy || buffer.isEmpty()) {
          return false;
        }
        if (retryAt != null && clock.instant().isBefore(retryAt)) {
          return false;
        }
        retryAt = null;
        busy = true;
      }
      invokers.execute(
          () -> {
            try {
              deliver(this);
            } catch (RuntimeException e) {
              log.error("{}: unexpected failure delivering from {}", functionName, shardId, e);
            } finally {
              busy = false;
              signal();
            }
          });
      return true;
    }
  }
}
