package dev.runfleet.local.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.common.port.GitHubDeliveries.Delivery;
import dev.runfleet.common.port.GitHubDeliveries.DeliveryPage;
import dev.runfleet.local.sim.GitHubFaults;
import dev.runfleet.local.sim.HostFate;
import dev.runfleet.local.sim.HostFaults;
import dev.runfleet.local.sim.JobFaults;
import dev.runfleet.local.sim.JobView;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.SimulatedGitHub;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /sim/...} on the runtime's port: scripts faults into the simulated GitHub and hosts and
 * reads GitHub's side of things, so a test in any language can stage a failure.
 *
 * <pre>
 * POST /sim/jobs                   {"labels":[..],"seconds":N,"lose":[..],"host":".."} → 201 {"id","runAttempt"}
 * GET  /sim/jobs/{id}              GitHub's view: {"id","runAttempt","status","conclusion","runnerName"}
 * POST /sim/hosts/{runner}/kill    the runner's host dies (404 when no live host has that runner)
 * POST /sim/github/faults          {"failNext":N,"status":502} and/or the GitHubFaults rates and seed
 * POST /sim/hosts/faults           the HostFaults rates and seed
 * GET  /sim/github/faults          the faults met so far, by kind (also /sim/hosts/faults)
 * GET  /sim/deliveries             the App's delivery log as GET /app/hook/deliveries shows it
 * POST /sim/deliveries/{id}/attempts  redeliver, as POST /app/hook/deliveries/{id}/attempts
 * </pre>
 *
 * Bad input is a 400 naming what is wrong; nothing is queued or changed by a refused request.
 */
final class SimHttp {

  private static final Logger LOG = LoggerFactory.getLogger(SimHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> JOB_FIELDS = Set.of("labels", "seconds", "lose", "host");
  private static final Set<String> FAULT_FIELDS =
      Set.of("failNext", "status", "duplicateRate", "reorderRate", "lostRate", "errorRate", "seed");
  private static final List<String> GITHUB_RATES =
      List.of("duplicateRate", "reorderRate", "lostRate", "errorRate");
  private static final List<String> HOST_RATES =
      List.of(
          "launchFailureRate",
          "diesBeforeRegisterRate",
          "neverRegistersRate",
          "diesAfterRegisterRate",
          "spotInterruptedRate");
  private static final int DEFAULT_SECONDS = 5;

  /** What to answer: a status and a JSON body, with headers beside it. */
  record Reply(int status, JsonNode body, Map<String, String> headers) {
    Reply(int status, JsonNode body) {
      this(status, body, Map.of());
    }
  }

  private final LocalRuntime runtime;
  private final AtomicLong jobIds = new AtomicLong(6_000_000_000L);

  SimHttp(LocalRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Answers one {@code /sim/...} request.
   *
   * @param base the runtime's base URI, for the delivery log's {@code Link} header
   */
  Reply answer(String method, String path, String rawQuery, byte[] body, String base) {
    if (!runtime.simulated()) {
      return error(
          404,
          "no simulated GitHub here: this runtime drives real hosts with the real GitHub;"
              + " /sim routes exist only with the simulated GitHub and hosts");
    }
    String[] parts = path.substring("/sim/".length()).split("/", -1);
    try {
      if (parts.length == 1 && parts[0].equals("jobs")) {
        return "POST".equals(method) ? queue(body) : notAllowed(method, path, "POST");
      }
      if (parts.length == 2 && parts[0].equals("jobs")) {
        return "GET".equals(method) ? job(parts[1]) : notAllowed(method, path, "GET");
      }
      if (parts.length == 3 && parts[0].equals("hosts") && parts[2].equals("kill")) {
        return "POST".equals(method) ? kill(decode(parts[1])) : notAllowed(method, path, "POST");
      }
      if (parts.length == 2
          && (parts[0].equals("github") || parts[0].equals("hosts"))
          && parts[1].equals("faults")) {
        return switch (method) {
          case "POST" -> parts[0].equals("github") ? gitHubFaults(body) : hostFaults(body);
          case "GET" -> new Reply(200, counts());
          default -> notAllowed(method, path, "GET, POST");
        };
      }
      if (parts.length == 3 && parts[0].equals("deliveries") && parts[2].equals("attempts")) {
        return "POST".equals(method) ? redeliver(parts[1]) : notAllowed(method, path, "POST");
      }
      if (parts.length == 1 && parts[0].equals("deliveries")) {
        return "GET".equals(method)
            ? deliveries(runtime.gitHub(), rawQuery, base + "/sim/deliveries")
            : notAllowed(method, path, "GET");
      }
    } catch (BadRequest e) {
      LOG.info("{} {} refused: {}", method, path, e.getMessage());
      return error(400, e.getMessage());
    }
    return error(404, "no such resource: " + path);
  }

  private Reply queue(byte[] body) throws BadRequest {
    ObjectNode request = object(body, JOB_FIELDS);
    JsonNode labelsNode = request.get("labels");
    if (labelsNode == null || !labelsNode.isArray() || labelsNode.isEmpty()) {
      throw new BadRequest("labels is required: a non-empty array of strings");
    }
    List<String> labels = new ArrayList<>();
    for (JsonNode label : labelsNode) {
      if (!label.isTextual() || label.asText().isBlank()) {
        throw new BadRequest("labels must be non-empty strings, got " + label);
      }
      labels.add(label.asText());
    }
    int seconds = DEFAULT_SECONDS;
    JsonNode secondsNode = request.get("seconds");
    if (secondsNode != null) {
      if (!secondsNode.canConvertToInt() || !secondsNode.isIntegralNumber()) {
        throw new BadRequest("seconds must be a whole number, got " + secondsNode);
      }
      seconds = secondsNode.asInt();
      if (seconds < 0 || seconds > 86_400) {
        throw new BadRequest("seconds must be from 0 to 86400, got " + seconds);
      }
    }
    Set<String> lose = new LinkedHashSet<>();
    JsonNode loseNode = request.get("lose");
    if (loseNode != null) {
      if (!loseNode.isArray()) {
        throw new BadRequest("lose must be an array of queued, in_progress, completed");
      }
      for (JsonNode kind : loseNode) {
        if (!JobFaults.ACTIONS.contains(kind.asText()) || !kind.isTextual()) {
          throw new BadRequest(
              "unknown webhook to lose " + kind + ": expected queued, in_progress or completed");
        }
        lose.add(kind.asText());
      }
    }
    HostFate host = HostFate.NORMAL;
    JsonNode hostNode = request.get("host");
    if (hostNode != null) {
      host =
          HostFate.fromWire(hostNode.asText())
              .filter(f -> hostNode.isTextual())
              .orElseThrow(
                  () ->
                      new BadRequest(
                          "unknown host fate "
                              + hostNode
                              + ": expected normal, dies-before-register, never-registers,"
                              + " dies-after-register or spot-interrupted"));
    }
    long id = jobIds.incrementAndGet();
    SimJob job =
        new SimJob(
            id, id, 1, labels, "local/sim", "local", 1, Duration.ofSeconds(seconds), Instant.now());
    runtime.gitHub().queue(job, new JobFaults(lose, host));
    LOG.info("sim job {} queued: labels {}, lose {}, host {}", id, labels, lose, host.wireName());
    return new Reply(201, JSON.createObjectNode().put("id", id).put("runAttempt", 1));
  }

  private Reply job(String idText) {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      return error(400, "not a job id: " + idText);
    }
    Optional<JobView> view = runtime.gitHub().view(id);
    if (view.isEmpty()) {
      return error(404, "the simulated GitHub knows no job " + id);
    }
    JobView v = view.get();
    ObjectNode out = JSON.createObjectNode();
    out.put("id", v.id());
    out.put("runAttempt", v.runAttempt());
    out.put("status", v.status());
    out.put("conclusion", v.conclusion());
    out.put("runnerName", v.runnerName());
    return new Reply(200, out);
  }

  private Reply kill(String runnerName) {
    if (!runtime.hosts().kill(runnerName)) {
      return error(404, "no live simulated host runs runner " + runnerName);
    }
    LOG.info("host of runner {} killed through /sim", runnerName);
    return new Reply(200, JSON.createObjectNode().put("killed", runnerName));
  }

  private Reply gitHubFaults(byte[] body) throws BadRequest {
    ObjectNode request = object(body, FAULT_FIELDS);
    SimulatedGitHub gitHub = runtime.gitHub();
    boolean rates = request.has("seed") || GITHUB_RATES.stream().anyMatch(request::has);
    if (!rates && !request.has("failNext")) {
      throw new BadRequest("give failNext (with status) or the fault rates and seed");
    }
    if (request.has("status") && !request.has("failNext")) {
      throw new BadRequest("status goes with failNext");
    }
    GitHubFaults faults = null;
    if (rates) {
      try {
        faults =
            new GitHubFaults(
                rate(request, "duplicateRate"),
                rate(request, "reorderRate"),
                rate(request, "lostRate"),
                rate(request, "errorRate"),
                whole(request, "seed", 0));
      } catch (IllegalArgumentException e) {
        throw new BadRequest(e.getMessage());
      }
    }
    if (request.has("failNext")) {
      long calls = whole(request, "failNext", 0);
      long status = whole(request, "status", 502);
      if (calls < 0 || calls > 1_000_000) {
        throw new BadRequest("failNext must be from 0 to 1000000, got " + calls);
      }
      if (status < 0 || status > 999 || !SimulatedGitHub.isFaultStatus((int) status)) {
        throw new BadRequest("status must be 429, 403 or 5xx, got " + status);
      }
      gitHub.failNext((int) calls, (int) status);
    }
    if (faults != null) {
      gitHub.faults(faults);
    }
    LOG.info("simulated GitHub faults set: {}", request);
    return new Reply(200, counts());
  }

  private Reply hostFaults(byte[] body) throws BadRequest {
    List<String> fields = new ArrayList<>(HOST_RATES);
    fields.add("seed");
    ObjectNode request = object(body, Set.copyOf(fields));
    if (request.isEmpty()) {
      throw new BadRequest("give the fault rates and seed: " + String.join(", ", fields));
    }
    try {
      runtime
          .hosts()
          .faults(
              new HostFaults(
                  rate(request, "launchFailureRate"),
                  rate(request, "diesBeforeRegisterRate"),
                  rate(request, "neverRegistersRate"),
                  rate(request, "diesAfterRegisterRate"),
                  rate(request, "spotInterruptedRate"),
                  whole(request, "seed", 0)));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
    LOG.info("simulated host faults set: {}", request);
    return new Reply(200, counts());
  }

  private ObjectNode counts() {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode github = out.putObject("github");
    runtime.gitHub().faultCounts().forEach(github::put);
    ObjectNode hosts = out.putObject("hosts");
    runtime.hosts().faultCounts().forEach(hosts::put);
    return out;
  }

  /**
   * A page of the App's delivery log in GitHub's shape, with GitHub's {@code Link} header to the
   * next page at {@code pageUrl}; 400 for a bad {@code per_page} or cursor.
   */
  static Reply deliveries(SimulatedGitHub gitHub, String rawQuery, String pageUrl) {
    try {
      return deliveryPage(gitHub, rawQuery, pageUrl);
    } catch (BadRequest e) {
      LOG.info("GET {} refused: {}", pageUrl, e.getMessage());
      return error(400, e.getMessage());
    }
  }

  private static Reply deliveryPage(SimulatedGitHub gitHub, String rawQuery, String pageUrl)
      throws BadRequest {
    Map<String, String> query = query(rawQuery);
    for (String name : query.keySet()) {
      if (!name.equals("per_page") && !name.equals("cursor")) {
        throw new BadRequest("unknown parameter '" + name + "': expected per_page, cursor");
      }
    }
    int perPage = 30;
    if (query.containsKey("per_page")) {
      try {
        perPage = Integer.parseInt(query.get("per_page"));
      } catch (NumberFormatException e) {
        perPage = 0;
      }
      if (perPage < 1 || perPage > 100) {
        throw new BadRequest("per_page must be a whole number from 1 to 100");
      }
    }
    DeliveryPage page = gitHub.deliveries(query.get("cursor"), perPage);
    if (!(page instanceof DeliveryPage.Page found)) {
      throw new BadRequest(((DeliveryPage.Refused) page).reason());
    }
    ArrayNode out = JSON.createArrayNode();
    found.deliveries().forEach(d -> out.add(delivery(d)));
    Map<String, String> headers = new HashMap<>();
    if (found.nextCursor() != null) {
      headers.put(
          "Link",
          "<"
              + pageUrl
              + "?per_page="
              + perPage
              + "&cursor="
              + found.nextCursor()
              + ">; rel=\"next\"");
    }
    return new Reply(200, out, headers);
  }

  /** As GitHub: 202 when the redelivery is on its way, 404 for a delivery it never made. */
  private Reply redeliver(String idText) throws BadRequest {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      throw new BadRequest("not a delivery id: " + idText);
    }
    // The log's own answer, never a scripted fault: /sim is the tester's hand, not the fleet's
    // call.
    return switch (runtime.gitHub().redeliver(id, false)) {
      case ACCEPTED -> new Reply(202, JSON.createObjectNode());
      case REFUSED -> error(404, "no delivery " + id + " in the App's delivery log");
      case RETRY_LATER -> error(503, "the simulated GitHub is shutting down");
    };
  }

  /** One delivery in GitHub's shape ({@code GET /app/hook/deliveries}). */
  static ObjectNode delivery(Delivery d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", d.id());
    node.put("guid", d.guid());
    node.put("delivered_at", d.deliveredAt().truncatedTo(ChronoUnit.SECONDS).toString());
    node.put("redelivery", d.redelivery());
    node.put(
        "status",
        d.delivered()
            ? "OK"
            : d.statusCode() == 0
                ? "failed to connect"
                : "Invalid HTTP Response: " + d.statusCode());
    node.put("status_code", d.statusCode());
    node.put("event", d.event());
    node.put("action", d.action());
    return node;
  }

  private static ObjectNode object(byte[] body, Set<String> allowed) throws BadRequest {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest("body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("body is not JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadRequest("body must be a JSON object");
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new BadRequest(
            "unknown field '"
                + name
                + "': expected "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    return (ObjectNode) node;
  }

  private static double rate(ObjectNode request, String field) throws BadRequest {
    JsonNode node = request.get(field);
    if (node == null) {
      return 0;
    }
    if (!node.isNumber()) {
      throw new BadRequest(field + " must be a number from 0 to 1, got " + node);
    }
    return node.asDouble();
  }

  private static long whole(ObjectNode request, String field, long otherwise) throws BadRequest {
    JsonNode node = request.get(field);
    if (node == null) {
      return otherwise;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new BadRequest(field + " must be a whole number, got " + node);
    }
    return node.asLong();
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      out.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static Reply notAllowed(String method, String path, String allowed) {
    return new Reply(
        405,
        JSON.createObjectNode().put("error", method + " not allowed on " + path),
        Map.of("Allow", allowed));
  }

  private static Reply error(int status, String message) {
    return new Reply(status, JSON.createObjectNode().put("error", message));
  }

  /** A request this API refuses, with the reason the 400 gives. */
  private static final class BadRequest extends Exception {
    BadRequest(String reason) {
      super(reason, null, false, false);
    }
  }
}
