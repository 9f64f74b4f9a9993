package dev.runfleet.local.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.local.explain.FleetSnapshot.PlatformState;

/**
 * The JSON of the operator's commands ({@code -o json}) and of the local API, one shape for both:
 * {@code runfleet job ID -o json} prints what {@code GET /api/jobs/{id}} answers.
 */
public final class FleetJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FleetJson() {}

  /**
   * {@code {"paused", "platforms": [{"name", "cap", "capSource", "inFlight", "hostsAlive",
   * "queued", "oldestQueuedSeconds"}], "global": {...}, "launchRate": {...}}}.
   */
  public static ObjectNode status(FleetSnapshot fleet) {
    ObjectNode root = JSON.createObjectNode();
    root.put("paused", fleet.paused());
    ArrayNode platforms = root.putArray("platforms");
    for (PlatformState p : fleet.platforms()) {
      platforms
          .addObject()
          .put("name", p.name())
          .put("cap", p.cap())
          .put("capSource", p.capSource().wireName())
          .put("inFlight", p.inFlight())
          .put("hostsAlive", p.hostsAlive())
          .put("queued", p.queued())
          .put("oldestQueuedSeconds", p.oldestQueuedSeconds(fleet.at()));
    }
    root.putObject("global")
        .put("cap", fleet.global().cap())
        .put("capSource", fleet.global().capSource().wireName())
        .put("inFlight", fleet.global().inFlight());
    root.putObject("launchRate")
        .put("perSecond", fleet.launchRate().rate().perSecond())
        .put("burst", fleet.launchRate().rate().burst())
        .put("nextSlotSeconds", fleet.launchRate().nextSlotSeconds());
    return root;
  }

  /** A job as the local API lists it, with the sentence saying why it is where it is. */
  public static ObjectNode job(Job j, String why) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", j.key().jobId());
    node.put("runAttempt", j.key().runAttempt());
    node.put("status", j.status().name());
    if (j.ignoredReason() != null) {
      node.put("ignoredReason", j.ignoredReason().wireName());
    }
    node.put("platform", j.platform());
    node.put("repository", j.repository());
    ArrayNode labels = node.putArray("labels");
    j.labels().forEach(labels::add);
    node.put("queuedAt", j.queuedAt().toString());
    node.put("dispatchedRunner", j.dispatchedRunner());
    node.put("ranOn", j.ranOn());
    node.put("dispatchCount", j.dispatchCount());
    node.put("why", why);
    return node;
  }

  /**
   * {@code {"id", "runAttempt", "status", "platform", "runner", "why", "events": [...]}}, with the
   * list fields and the job's runners too.
   */
  public static ObjectNode detail(JobDetail detail) {
    ObjectNode node = job(detail.job(), detail.why());
    node.put("runner", detail.runner().orElse(null));
    ArrayNode runners = node.putArray("runners");
    detail.runners().forEach(r -> runners.add(runner(r)));
    ArrayNode events = node.putArray("events");
    for (JobDetail.LedgerEvent e : detail.events()) {
      ObjectNode event =
          events
              .addObject()
              .put("kind", e.kind())
              .put("time", e.time().toString())
              .put("deliveryId", e.deliveryId())
              .put("action", e.action());
      e.runner().ifPresent(r -> event.put("runner", r));
      e.conclusion().ifPresent(c -> event.put("conclusion", c));
    }
    return node;
  }

  public static ObjectNode runner(Runner r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", r.name());
    node.put("platform", r.platform());
    node.put("status", r.status().name());
    node.put("job", r.jobKey() == null ? null : r.jobKey().asString());
    node.put("hostId", r.hostId());
    node.put("slotReleased", r.slotReleased());
    node.put("detail", r.detail());
    node.put("createdAt", r.createdAt().toString());
    return node;
  }

  public static ArrayNode array() {
    return JSON.createArrayNode();
  }

  /** Pretty-printed, as the API and the CLI print it. */
  public static String print(Object node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unprintable JSON", e);
    }
  }
}
