package dev.runfleet.publisher.properties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Threads that play publisher invocations running at once: released together by one latch, stopped
 * by a flag, joined within a bound. A worker's failure fails the try.
 */
final class Workers implements AutoCloseable {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final CountDownLatch start = new CountDownLatch(1);
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Future<?>> running = new ArrayList<>();

  /** Runs {@code body} again and again, from the start signal until {@link #stopAndJoin}. */
  void repeat(Runnable body) {
    submit(
        () -> {
          while (!stop.get()) {
            body.run();
          }
        });
  }

  /** Runs {@code body} once the start signal is given. */
  void once(Runnable body) {
    submit(body);
  }

  /** Runs {@code body} while {@code more} holds and the workers were not stopped. */
  void repeatWhile(BooleanSupplier more, Runnable body) {
    submit(
        () -> {
          while (!stop.get() && more.getAsBoolean()) {
            body.run();
          }
        });
  }

  private void submit(Runnable body) {
    running.add(
        pool.submit(
            () -> {
              start.await();
              body.run();
              return null;
            }));
  }

  void go() {
    start.countDown();
  }

  boolean stopped() {
    return stop.get();
  }

  /** Waits for every worker to finish on its own (for {@link #once} workers). */
  void join(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    for (Future<?> f : running) {
      try {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        stop.set(true);
        throw new AssertionError("a publisher failed: " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        stop.set(true);
        throw new AssertionError("publishers did not finish within " + bound, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while joining publishers", e);
      }
    }
  }

  void stopAndJoin(Duration bound) {
    stop.set(true);
    join(bound);
  }

  @Override
  public void close() {
    stop.set(true);
    start.countDown();
    pool.shutdownNow();
  }
}
