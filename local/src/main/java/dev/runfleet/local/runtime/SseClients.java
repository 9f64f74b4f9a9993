package dev.runfleet.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent event streams that never hold a thread of the HTTP server's pool: the request thread
 * answers the headers and returns, and each client gets a writer thread of its own, out of a
 * bounded number of slots.
 *
 * <p>A client is dropped, and its slot freed, when its socket fails (it went away: found by the
 * next frame or heartbeat) or when it falls {@link Options#queueFrames} frames behind (it stopped
 * reading). Dropping interrupts its writer: a write blocked on a client that stopped reading is a
 * write on an interruptible channel, which the interrupt closes.
 */
final class SseClients implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SseClients.class);

  private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

  /**
   * @param maxClients streams served at once; one more is answered 503
   * @param queueFrames frames a client may fall behind before it is dropped
   * @param heartbeat a comment line after this much silence, which also finds clients gone
   */
  record Options(int maxClients, int queueFrames, Duration heartbeat) {
    static Options defaults() {
      return new Options(16, 256, Duration.ofSeconds(15));
    }

    Options withHeartbeat(Duration value) {
      return new Options(maxClients, queueFrames, value);
    }

    Options withMaxClients(int value) {
      return new Options(value, queueFrames, heartbeat);
    }
  }

  private final Options options;
  private final Semaphore slots;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final ExecutorService writers;

  SseClients(Options options) {
    this.options = options;
    this.slots = new Semaphore(options.maxClients());
    AtomicInteger threads = new AtomicInteger();
    this.writers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "event-stream-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Answers {@code exchange} as an event stream starting with {@code firstFrame} and returns at
   * once; false, with nothing sent or computed, when every slot is taken.
   */
  boolean open(HttpExchange exchange, Supplier<String> firstFrame) throws IOException {
    if (!slots.tryAcquire()) {
      return false;
    }
    Client client = null;
    try {
      String first = firstFrame.get();
      client = new Client(exchange, new ArrayBlockingQueue<>(options.queueFrames()));
      client.queue.add(first);
      // Counted before its 200 goes out, as its slot is: whoever has seen the answer sees it.
      clients.add(client);
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, 0);
      client.writer = writers.submit(client::write);
      return true;
    } catch (IOException | RuntimeException e) {
      if (client != null) {
        clients.remove(client);
      }
      slots.release();
      throw e;
    }
  }

  /** Queues {@code frame} for every client; a client too far behind is dropped. */
  void broadcast(String frame) {
    for (Client client : clients) {
      if (!client.queue.offer(frame)) {
        LOG.info(
            "event stream client {} dropped: {} frames behind",
            client.exchange.getRemoteAddress(),
            options.queueFrames());
        client.drop();
      }
    }
  }

  /** Streams open now. */
  int size() {
    return clients.size();
  }

  /** One event: a name and a one-line payload (compact JSON has no line breaks). */
  static String frame(String event, String data) {
    return "event: " + event + "\ndata: " + data + "\n\n";
  }

  @Override
  public void close() {
    writers.shutdownNow();
  }

  private final class Client {
    private final HttpExchange exchange;
    private final BlockingQueue<String> queue;
    private volatile Future<?> writer;

    Client(HttpExchange exchange, BlockingQueue<String> queue) {
      this.exchange = exchange;
      this.queue = queue;
    }

    void drop() {
      Future<?> running = writer;
      if (running != null) {
        running.cancel(true);
      }
    }

    void write() {
      OutputStream out = exchange.getResponseBody();
      try {
        while (!Thread.currentThread().isInterrupted()) {
          String frame = queue.poll(options.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
          out.write(frame == null ? HEARTBEAT : frame.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        LOG.debug("event stream client {} gone: {}", exchange.getRemoteAddress(), e.toString());
      } catch (InterruptedException e) {
        // Dropped or shutting down: closing below (interrupted) cannot block on the socket.
        Thread.currentThread().interrupt();
      } finally {
        clients.remove(this);
        slots.release();
        exchange.close();
      }
    }
  }
}
