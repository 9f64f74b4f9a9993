package dev.runfleet.common.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
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

  private final JsonFactory factory = Json.factory();

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
    Object node;
    try {
      node = Json.read(json);
    } catch (JsonProcessingException e) {
      throw new MalformedCommandException("not JSON: " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return command(node);
    } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
      throw new MalformedCommandException("not a runner command: " + firstLine(e.getMessage()), e);
    }
  }

  private static RunnerCommand command(Object value) {
    if (!(value instanceof JsonObject node)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    String type = text(node, "type");
    if (type == null) {
      throw new IllegalArgumentException("missing type id: 'type' is absent");
    }
    Object version = node.get("version");
    if (!Json.fitsInt(version)) {
      throw new IllegalArgumentException("'version' is absent or not a number");
    }
    Class<? extends RunnerCommand> kind = TYPES.get(type);
    if (kind == RunnerCommand.SpinUp.class) {
      Object installation = node.get("installationId");
      return new RunnerCommand.SpinUp(
          Json.intValue(version),
          text(node, "commandId"),
          text(node, "runnerName"),
          text(node, "platform"),
          JobKey.parse(required(node, "job")),
          labels(node),
          text(node, "repository"),
          text(node, "organization"),
          installation == null ? null : number(installation),
          instant(node));
    }
    if (kind == RunnerCommand.TearDown.class) {
      return new RunnerCommand.TearDown(
          Json.intValue(version),
          text(node, "commandId"),
          text(node, "runnerName"),
          text(node, "platform"),
          text(node, "reason"),
          instant(node),
          Boolean.TRUE.equals(node.get("force")),
          text(node, "hostId"));
    }
    throw new IllegalArgumentException("unknown command type '" + type + "'");
  }

  /** The field's text; null when it is absent or JSON null. */
  private static String text(JsonObject node, String field) {
    Object value = node.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("'" + field + "' is not a string");
    }
    return text;
  }

  private static String required(JsonObject node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is absent");
    }
    return value;
  }

  private static Long number(Object value) {
    if (!Json.isLong(value)) {
      throw new IllegalArgumentException("'installationId' is not a whole number");
    }
    return (Long) value;
  }

  private static Instant instant(JsonObject node) {
    return Instant.parse(required(node, "requestedAt"));
  }

  private static List<String> labels(JsonObject node) {
    List<Object> array = node.array("runnerLabels");
    if (array == null) {
      throw new IllegalArgumentException("'runnerLabels' is absent or not an array");
    }
    List<String> labels = new ArrayList<>(array.size());
    for (Object label : array) {
      if (!(label instanceof String text)) {
        throw new IllegalArgumentException("'runnerLabels' holds a value that is not a string");
      }
      labels.add(text);
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
