package dev.runfleet.common.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.runfleet.common.domain.JobKey;
import java.time.Instant;

/** Reads and writes {@link RunnerCommand} JSON. Thread-safe; build one per process. */
public final class CommandCodec {

  /**
   * SNS message attribute naming the target platform; the subscriptions' filter policies match on
   * it.
   */
  public static final String ATTR_PLATFORM = "platform";

  /** SNS message attribute naming the command type. */
  public static final String ATTR_COMMAND = "command";

  private final ObjectMapper mapper;

  public CommandCodec() {
    SimpleModule keys = new SimpleModule("runfleet-keys");
    keys.addSerializer(JobKey.class, ToStringSerializer.instance);
    keys.addDeserializer(
        JobKey.class,
        new FromStringDeserializer<>(JobKey.class) {
          @Override
          protected JobKey _deserialize(
              String value, com.fasterxml.jackson.databind.DeserializationContext ctx) {
            return JobKey.parse(value);
          }
        });
    keys.addSerializer(Instant.class, ToStringSerializer.instance);
    keys.addDeserializer(
        Instant.class,
        new FromStringDeserializer<>(Instant.class) {
          @Override
          protected Instant _deserialize(
              String value, com.fasterxml.jackson.databind.DeserializationContext ctx) {
            return Instant.parse(value);
          }
        });
    this.mapper =
        new ObjectMapper()
            .registerModule(keys)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public String toJson(RunnerCommand command) {
    try {
      return mapper.writeValueAsString(command);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + command.type() + " command", e);
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
    try {
      return mapper.readValue(json, RunnerCommand.class);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw new MalformedCommandException(
          "not a runner command: " + firstLine(cause.getMessage()), e);
    } catch (JsonProcessingException e) {
      throw new MalformedCommandException("not JSON: " + firstLine(e.getOriginalMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
