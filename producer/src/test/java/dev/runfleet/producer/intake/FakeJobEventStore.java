package dev.runfleet.producer.intake;

import dev.runfleet.common.domain.Admission;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.common.port.JobEventStore;
import dev.runfleet.common.port.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory store with the port's duplicate rules, for intake and handler tests. */
final class FakeJobEventStore implements JobEventStore {

  private final JobStateMachine machine = new JobStateMachine(PlatformCatalog.defaults());
  private final Set<String> deliveries = new HashSet<>();
  private final Set<String> events = new HashSet<>();
  private final Map<String, Job> jobs = new HashMap<>();
  final List<WorkflowJobEvent> appended = new ArrayList<>();
  volatile boolean unavailable;

  /** Why every event is too large to keep, as the real store sizes them, or null: none is. */
  volatile String tooLarge;

  /** How often {@link #oversize} was asked. */
  final AtomicInteger oversizeAsked = new AtomicInteger();

  @Override
  public Optional<String> oversize(WorkflowJobEvent event) {
    oversizeAsked.incrementAndGet();
    return Optional.ofNullable(tooLarge);
  }

  @Override
  public synchronized Appended append(WorkflowJobEvent event, Admission admission) {
    if (tooLarge != null) {
      // The real store sizes the items as it builds its write, before sending anything.
      return new Appended.TooLarge(tooLarge);
    }
    if (unavailable) {
      throw new StoreUnavailableException("throttled", null);
    }
    if (!deliveries.add(event.deliveryId())) {
      return new Appended.Duplicate("delivery " + event.deliveryId() + " seen before");
    }
    if (!events.add(event.key() + "/" + event.kind())) {
      return new Appended.Duplicate("event " + event.key() + "/" + event.kind() + " seen before");
    }
    appended.add(event);
    Job next = machine.apply(jobs.get(event.key().asString()), event, admission, Instant.now());
    jobs.put(event.key().asString(), next);
    return Appended.Recorded.of(next);
  }

  synchronized Job job(String key) {
    return jobs.get(key);
  }
}
