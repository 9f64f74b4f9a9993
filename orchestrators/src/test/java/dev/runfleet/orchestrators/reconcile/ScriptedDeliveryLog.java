package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.common.port.GitHubDeliveries;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The App's delivery log as GitHub keeps it: newest first, paged by a cursor; a redelivery GitHub
 * accepts is a new delivery with the same guid, made by the endpoint in the state the test sets. It
 * records each page read and each redelivery asked.
 */
final class ScriptedDeliveryLog implements GitHubDeliveries {

  private final Clock clock;
  private final List<Delivery> log = new ArrayList<>();
  private final Map<Long, RedeliverResult> answers = new HashMap<>();
  final List<String> pageReads = new ArrayList<>();
  final List<Long> redeliveries = new ArrayList<>();
  DeliveryPage pageAnswer;
  int pageSize = 100;

  /** The status our endpoint answers to a redelivery. */
  int redeliveryStatus = 200;

  private long nextId = 1000;

  ScriptedDeliveryLog(Clock clock) {
    this.clock = clock;
  }

  /**
   * A {@code workflow_job} delivery of {@code action} that our endpoint answered {@code status}.
   */
  Delivery add(Instant at, String action, int status) {
    return add(UUID.randomUUID().toString(), at, "workflow_job", action, status, false);
  }

  Delivery add(String guid, Instant at, String event, String action, int status, boolean again) {
    Delivery delivery = new Delivery(nextId++, guid, at, again, status, event, action);
    log.add(delivery);
    log.sort(Comparator.comparing(Delivery::deliveredAt).reversed());
    return delivery;
  }

  void answer(long deliveryId, RedeliverResult result) {
    answers.put(deliveryId, result);
  }

  long asked(long deliveryId) {
    return redeliveries.stream().filter(id -> id == deliveryId).count();
  }

  @Override
  public synchronized DeliveryPage page(String cursor, int perPage) {
    pageReads.add(cursor);
    if (pageAnswer != null) {
      return pageAnswer;
    }
    // A cursor names the first delivery of its page, so newer deliveries do not shift pages.
    int from = 0;
    while (cursor != null && log.get(from).id() != Long.parseLong(cursor)) {
      from++;
    }
    int to = Math.min(log.size(), from + Math.min(perPage, pageSize));
    return new DeliveryPage.Page(
        List.copyOf(log.subList(from, to)),
        to < log.size() ? Long.toString(log.get(to).id()) : null);
  }

  @Override
  public synchronized RedeliverResult redeliver(long deliveryId) {
    redeliveries.add(deliveryId);
    RedeliverResult result = answers.getOrDefault(deliveryId, RedeliverResult.ACCEPTED);
    if (result == RedeliverResult.ACCEPTED) {
      Delivery original = log.stream().filter(d -> d.id() == deliveryId).findFirst().orElseThrow();
      add(
          original.guid(),
          clock.instant(),
          original.event(),
          original.action(),
          redeliveryStatus,
          true);
    }
    return result;
  }
}
