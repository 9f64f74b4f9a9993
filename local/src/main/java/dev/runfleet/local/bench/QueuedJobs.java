package dev.runfleet.local.bench;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Appends QUEUED jobs of one platform to a jobs table, each newer than the last, with batch writes
 * of the items the producer writes ({@link JobsTable#jobItem}). Setup for a measurement, never
 * measured itself.
 */
final class QueuedJobs {

  /** BatchWriteItem's limit. */
  private static final int BATCH = 25;

  private static final int MAX_ATTEMPTS = 10;

  private final DynamoDbClient client;
  private final String table;
  private final String platform;
  private final Instant base;
  private long nextId = 1;

  QueuedJobs(DynamoDbClient client, String table, String platform, Instant base) {
    this.client = client;
    this.table = table;
    this.platform = platform;
    this.base = base;
  }

  String table() {
    return table;
  }

  /** Appends {@code count} jobs, written by {@code threads} threads; returns how long it took. */
  Duration append(int count, int threads) {
    long first = nextId;
    nextId += count;
    long started = System.nanoTime();
    int parts = Math.max(1, Math.min(threads, count / BATCH));
    if (parts == 1) {
      write(first, first + count);
    } else {
      writeInParallel(first, count, parts);
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private void writeInParallel(long first, int count, int parts) {
    ExecutorService pool = Executors.newFixedThreadPool(parts);
    try {
      long per = (count + parts - 1) / parts;
      List<Future<?>> writers = new ArrayList<>();
      for (long from = first; from < first + count; from += per) {
        long lo = from;
        long hi = Math.min(from + per, first + count);
        writers.add(pool.submit(() -> write(lo, hi)));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("loading " + table + " was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("loading " + table + " failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void write(long fromId, long toId) {
    for (long id = fromId; id < toId; id += BATCH) {
      List<WriteRequest> writes = new ArrayList<>(BATCH);
      for (long j = id; j < Math.min(id + BATCH, toId); j++) {
        writes.add(
            WriteRequest.builder()
                .putRequest(PutRequest.builder().item(JobsTable.jobItem(job(j))).build())
                .build());
      }
      writeAll(Map.of(table, writes));
    }
  }

  private void writeAll(Map<String, List<WriteRequest>> writes) {
    Map<String, List<WriteRequest>> pending = writes;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new IllegalStateException(
            table + " left items unprocessed after " + MAX_ATTEMPTS + " batch writes");
      }
      if (attempt > 1) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20L * attempt));
      }
      Map<String, List<WriteRequest>> requested = pending;
      pending = client.batchWriteItem(b -> b.requestItems(requested)).unprocessedItems();
    }
  }

  private Job job(long id) {
    Instant queuedAt = base.plusMillis(id);
    return new Job(
        new JobKey(id, 1),
        id,
        "bench/repo",
        "bench",
        1L,
        List.of("self-hosted", "linux", "x64"),
        platform,
        JobStatus.QUEUED,
        null,
        queuedAt,
        null,
        null,
        0,
        1,
        queuedAt);
  }
}
