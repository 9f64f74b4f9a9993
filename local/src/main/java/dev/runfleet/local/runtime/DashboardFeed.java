package dev.runfleet.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's event stream ({@code GET /api/events}). Each client first gets a {@code
 * snapshot}; then, every {@link Options#tick}, the runtime is read again and each item that changed
 * since the last reading goes out as its own event:
 *
 * <ul>
 *   <li>{@code platform}, {@code job}, {@code runner}: one item, as in the snapshot's lists;
 *   <li>{@code fleet}: the totals and the time series;
 *   <li>{@code snapshot}: everything again every {@link Options#snapshotEvery}, which also drops
 *       items that left the snapshot's window.
 * </ul>
 *
 * Nothing is read while no client listens. Heartbeats and slow or vanished clients are {@link
 * SseClients}'s business.
 */
final class DashboardFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

  /** The reconnect delay an {@code EventSource} uses after the stream breaks. */
  private static final String RETRY = "retry: 2000\n\n";

  record Options(Duration tick, Duration snapshotEvery, SseClients.Options clients) {
    static Options defaults() {
      return new Options(
          Duration.ofSeconds(1), Duration.ofSeconds(10), SseClients.Options.defaults());
    }

    Options withClients(SseClients.Options value) {
      return new Options(tick, snapshotEvery, value);
    }
  }

  private final Supplier<FleetState> reader;
  private final ObjectMapper json;
  private final Options options;
  private final SseClients clients;
  private final ScheduledExecutorService ticker;
  private FleetState last;
  private long lastSnapshotNanos;

  DashboardFeed(Supplier<FleetState> reader, ObjectMapper json, Options options) {
    this.reader = reader;
    this.json = json;
    this.options = options;
    this.clients = new SseClients(options.clients());
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dashboard-feed");
              t.setDaemon(true);
              return t;
            });
    long tickMs = options.tick().toMillis();
    ticker.scheduleWithFixedDelay(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
  }

  /** Starts a stream on {@code exchange}; false, with nothing sent, when every slot is taken. */
  boolean open(HttpExchange exchange) throws IOException {
    return clients.open(
        exchange, () -> RETRY + SseClients.frame("snapshot", write(reader.get().snapshot(json))));
  }

  /** Streams open now. */
  int clients() {
    return clients.size();
  }

  private void tick() {
    if (clients.size() == 0) {
      last = null;
      return;
    }
    try {
      FleetState now = reader.get();
      long nanos = System.nanoTime();
      if (last == null || nanos - lastSnapshotNanos >= options.snapshotEvery().toNanos()) {
        clients.broadcast(SseClients.frame("snapshot", write(now.snapshot(json))));
        lastSnapshotNanos = nanos;
      } else {
        changes("platform", last.platforms(), now.platforms());
        changes("job", last.jobs(), now.jobs());
        changes("runner", last.runners(), now.runners());
        if (!now.fleet().equals(last.fleet())) {
          clients.broadcast(SseClients.frame("fleet", write(now.fleet())));
        }
      }
      last = now;
    } catch (RuntimeException e) {
      // The next tick reads again; a client keeps its last view and its heartbeats meanwhile.
      LOG.warn("dashboard state not read: {}", e.toString());
    }
  }

  private void changes(String event, Map<String, ObjectNode> before, Map<String, ObjectNode> now) {
    now.forEach(
        (key, item) -> {
          if (!item.equals(before.get(key))) {
            clients.broadcast(SseClients.frame(event, write(item)));
          }
        });
  }

  private String write(ObjectNode node) {
    return node.toString();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    clients.close();
  }
}
