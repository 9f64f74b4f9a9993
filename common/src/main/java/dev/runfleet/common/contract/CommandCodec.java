package dev.runfleet.common.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.domain.JobKey;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@link RunnerCommand} JSON. Thread-safe; build one per process.
 *
 * <p>Written field by field rather than through Jackson's bean binding: binding the sealed records
 * (type ids, record introspection, annotations) loaded about 400 classes on every orchestrator's
 * and publisher's first command, a tenth of their cold start. The wire format is the one the
 * annotations on {@link RunnerCommand} describe: {@code type} first, then the record's fields,
 * nulls left out, {@code force} only when true, instants and job keys as their text; unknown fields
 * are ignored on reading.
 */
public final class CommandCodec {

  /**
   * SNS message attribute naming the target platform; the subscriptions' filter policies match on
   * it.
   */
  public static final String ATTR_PLATFORM = "platform";

  /** SNS message attribute naming the command type. */
  public static final String ATTR_COMMAND = "command";

  /** The JSON name of every command type this codec reads and writes. */
  static final Map<String, Class<? extends RunnerCommand>> TYPES =
      Map.of(
          RunnerCommand.SPIN_UP, RunnerCommand.SpinUp.class,
          RunnerCommand.TEAR_DOWN, RunnerCommand.TearDown.class);

  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonFactory factory = mapper.getFactory();

  public String toJson(RunnerCommand command) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = factory.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("type", command.type());
      json.writeNumberField("version", command.version());
      json.writeStringField("commandId", command.commandId());
      json.writeStringField("runnerName", command.runnerName());
      json.writeStringField("platform", command.platform());
      if (command instanceof RunnerCommand.SpinUp spinUp) {
        json.writeStringField("job", spinUp.job().asString());
        json.writeArrayFieldStart("runnerLabels");
        for (String label : spinUp.runnerLabels()) {
          json.writeString(label);
        }
        json.writeEndArray();
        json.writeStringField("repository", spinUp.repository());
        optional(json, "organization", spinUp.organization());
        if (spinUp.installationId() != null) {
          json.writeNumberField("installationId", spinUp.installationId());
        }
      } else if (command instanceof RunnerCommand.TearDown tearDown) {
        json.writeStringField("reason", tearDown.reason());
      }
      json.writeStringField("requestedAt", command.requestedAt().toString());
      if (command instanceof RunnerCommand.TearDown tearDown) {
        if (tearDown.force()) {
          json.writeBooleanField("force", true);
        }
        optional(json, "hostId", tearDown.hostId());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise " + command.type() + " command", e);
    }
    return out.toString();
  }

  private static void optional(JsonGenerator json, String field, String value) throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }

  /**
   * Parses a command.
   *
   * @throws MalformedCommandException when the text is not a command of a known type and version: a
   *     poison message that no retry can fix
   */
  public RunnerCommand fromJson(String json) {
    if (json == null || json.isBlank()) {
      throw new MalformedCommandException("empty message body");
    }
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedCommandException("not JSON: " + firstLine(e.getOriginalMessage()), e);
    }
    try {
      return command(node);
    } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
      throw new MalformedCommandException("not a runner command: " + firstLine(e.getMessage()), e);
    }
  }

  private static RunnerCommand command(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    String type = text(node, "type");
    if (type == null) {
      throw new IllegalArgumentException("missing type id: 'type' is absent");
    }
    JsonNode version = node.get("version");
    if (version == null || !version.canConvertToInt()) {
      throw new IllegalArgumentException("'version' is absent or not a number");
    }
    Class<? extends RunnerCommand> kind = TYPES.get(type);
    if (kind == RunnerCommand.SpinUp.class) {
      JsonNode installation = node.get("installationId");
      return new RunnerCommand.SpinUp(
          version.intValue(),
          text(node, "commandId"),
          text(node, "runnerName"),
          text(node, "platform"),
          JobKey.parse(required(node, "job")),
          labels(node),
          text(node, "repository"),
          text(node, "organization"),
          installation == null || installation.isNull() ? null : number(installation),
          instant(node));
    }
    if (kind == RunnerCommand.TearDown.class) {
      JsonNode force = node.get("force");
      return new RunnerCommand.TearDown(
          version.intValue(),
          text(node, "commandId"),
          text(node, "runnerName"),
          text(node, "platform"),
          text(node, "reason"),
          instant(node),
          force != null && force.isBoolean() && force.booleanValue(),
          text(node, "hostId"));
    }
    throw new IllegalArgumentException("unknown command type '" + type + "'");
  }

  /** The field's text; null when it is absent or JSON null. */
  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is not a string");
    }
    return value.textValue();
  }

  private static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is absent");
    }
    return value;
  }

  private static Long number(JsonNode value) {
    if (!value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException("'installationId' is not a whole number");
    }
    return value.longValue();
  }

  private static Instant instant(JsonNode node) {
    return Instant.parse(required(node, "requestedAt"));
  }

  private static List<String> labels(JsonNode node) {
    JsonNode array = node.get("runnerLabels");
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("'runnerLabels' is absent or not an array");
    }
    List<String> labels = new ArrayList<>(array.size());
    for (JsonNode label : array) {
      if (!label.isTextual()) {
        throw new IllegalArgumentException("'runnerLabels' holds a value that is not a string");
      }
      labels.add(label.textValue());
    }
    return labels;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
