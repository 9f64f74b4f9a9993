package dev.runfleet.emulators.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.emulators.edge.EdgeReply;
import dev.runfleet.emulators.edge.EdgeRequest;
import dev.runfleet.emulators.edge.EdgeService;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * SSM Parameter Store for the local runtime: the AWS JSON 1.1 operations the publisher (through
 * Powertools Parameters) and the CLI use — GetParameter, GetParameters, GetParametersByPath,
 * PutParameter, DeleteParameter — so the same SDK calls reach it as reach AWS. Values live in
 * memory for the life of the runtime.
 */
public final class SsmEmulator implements EdgeService {

  /** An answer: HTTP status and JSON body. */
  public record Reply(int status, String body) {}

  private record Param(String value, String type, long version, Instant modified) {}

  private final NavigableMap<String, Param> params = new ConcurrentSkipListMap<>();
  private final ObjectMapper json = new ObjectMapper();
  private final String region;
  private final Clock clock;

  public SsmEmulator(String region, Clock clock) {
    this.region = region;
    this.clock = clock;
  }

  /** True when {@code target} (the X-Amz-Target header) is an SSM operation. */
  public static boolean handles(String target) {
    return target != null && target.startsWith("AmazonSSM.");
  }

  @Override
  public boolean accepts(EdgeRequest request) {
    return "POST".equals(request.method()) && handles(request.target());
  }

  @Override
  public EdgeReply handle(EdgeRequest request) {
    Reply reply = handle(request.target(), request.body());
    return EdgeReply.of(reply.status(), "application/x-amz-json-1.1", reply.body());
  }

  /**
   * Handles one call; {@code target} is the X-Amz-Target header, e.g. {@code
   * AmazonSSM.GetParameter}.
   */
  public Reply handle(String target, byte[] body) {
    JsonNode request;
    try {
      request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (java.io.IOException e) {
      return error("SerializationException", "request is not JSON");
    }
    String operation = target.substring("AmazonSSM.".length());
    return switch (operation) {
      case "GetParameter" -> getParameter(request);
      case "GetParameters" -> getParameters(request);
      case "GetParametersByPath" -> getParametersByPath(request);
      case "PutParameter" -> putParameter(request);
      case "DeleteParameter" -> deleteParameter(request);
      default ->
          error("UnknownOperationException", "operation " + operation + " is not served locally");
    };
  }

  /** Direct access for the runtime's own seeding and tests. */
  public void put(String name, String value) {
    params.merge(
        name,
        new Param(value, "String", 1, clock.instant()),
        (old, fresh) -> new Param(value, old.type(), old.version() + 1, clock.instant()));
  }

  /** Direct removal, for tests. */
  public void remove(String name) {
    params.remove(name);
  }

  public Map<String, String> snapshot() {
    Map<String, String> out = new java.util.TreeMap<>();
    params.forEach((k, v) -> out.put(k, v.value()));
    return out;
  }

  private Reply getParameter(JsonNode request) {
    String name = request.path("Name").asText("");
    Param p = params.get(name);
    if (p == null) {
      return error("ParameterNotFound", "Parameter " + name + " not found.");
    }
    ObjectNode out = json.createObjectNode();
    out.set("Parameter", render(name, p));
    return ok(out);
  }

  private Reply getParameters(JsonNode request) {
    ObjectNode out = json.createObjectNode();
    ArrayNode found = out.putArray("Parameters");
    ArrayNode invalid = out.putArray("InvalidParameters");
    for (JsonNode n : request.path("Names")) {
      Param p = params.get(n.asText());
      if (p == null) {
        invalid.add(n.asText());
      } else {
        found.add(render(n.asText(), p));
      }
    }
    return ok(out);
  }

  private Reply getParametersByPath(JsonNode request) {
    String path = request.path("Path").asText("/");
    String prefix = path.endsWith("/") ? path : path + "/";
    boolean recursive = request.path("Recursive").asBoolean(false);
    ObjectNode out = json.createObjectNode();
    ArrayNode found = out.putArray("Parameters");
    for (Map.Entry<String, Param> e : params.tailMap(prefix, true).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(prefix)) {
        break;
      }
      if (recursive || name.indexOf('/', prefix.length()) < 0) {
        found.add(render(name, e.getValue()));
      }
    }
    return ok(out);
  }

  private Reply putParameter(JsonNode request) {
    String name = request.path("Name").asText("");
    if (!name.startsWith("/") || request.path("Value").isMissingNode()) {
      return error("ValidationException", "Name must start with '/' and Value is required");
    }
    boolean overwrite = request.path("Overwrite").asBoolean(false);
    Param old = params.get(name);
    if (old != null && !overwrite) {
      return error(
          "ParameterAlreadyExists",
          "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
    }
    String type = request.path("Type").asText(old == null ? "String" : old.type());
    long version = old == null ? 1 : old.version() + 1;
    params.put(name, new Param(request.path("Value").asText(), type, version, clock.instant()));
    ObjectNode out = json.createObjectNode();
    out.put("Version", version);
    out.put("Tier", "Standard");
    return ok(out);
  }

  private Reply deleteParameter(JsonNode request) {
    String name = request.path("Name").asText("");
    return params.remove(name) == null
        ? error("ParameterNotFound", "Parameter " + name + " not found.")
        : ok(json.createObjectNode());
  }

  private ObjectNode render(String name, Param p) {
    ObjectNode node = json.createObjectNode();
    node.put("Name", name);
    node.put("Type", p.type());
    node.put("Value", p.value());
    node.put("Version", p.version());
    node.put("LastModifiedDate", p.modified().toEpochMilli() / 1000.0);
    node.put("ARN", "arn:aws:ssm:" + region + ":000000000000:parameter" + name);
    node.put("DataType", "text");
    return node;
  }

  private Reply ok(ObjectNode body) {
    return new Reply(200, body.toString());
  }

  private Reply error(String type, String message) {
    ObjectNode body = json.createObjectNode();
    body.put("__type", type);
    body.put("message", message);
    return new Reply(400, body.toString());
  }
}
