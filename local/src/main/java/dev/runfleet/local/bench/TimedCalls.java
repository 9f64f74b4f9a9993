package dev.runfleet.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs numbered calls from several threads at once and times each: what every benchmark measures.
 */
final class TimedCalls {

  /** One call; {@code n} numbers it, from 0. */
  @FunctionalInterface
  interface Call {
    void run(int n);
  }

  private TimedCalls() {}

  /**
   * Runs calls {@code 0..count-1} from {@code threads} threads, each taking the next number, and
   * returns each call's nanoseconds by its number; {@code what} names a call in a failure.
   */
  static long[] run(int threads, int count, String what, Call call) {
    long[] nanos = new long[count];
    AtomicLong next = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (long n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                    long before = System.nanoTime();
                    call.run((int) n);
                    nanos[(int) n] = System.nanoTime() - before;
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the benchmark was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return nanos;
  }
}
