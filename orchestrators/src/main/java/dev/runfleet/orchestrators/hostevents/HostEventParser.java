package dev.runfleet.orchestrators.hostevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Reads the EventBridge events the host-events rules deliver, with our own model of their detail:
 * {@code EC2 Spot Instance Interruption Warning} ({@code detail.instance-id}) and {@code ECS Task
 * State Change} ({@code detail.lastStatus}, {@code stopCode}, {@code stoppedReason}, {@code
 * containers[].exitCode}). Shapes as AWS documents them (EC2 User Guide, "Spot Instance
 * interruption notices"; ECS Developer Guide, "Amazon ECS task state change events"); unknown
 * fields are ignored, as AWS asks of consumers.
 */
public final class HostEventParser {

  static final String SPOT_WARNING = "EC2 Spot Instance Interruption Warning";
  static final String TASK_STATE_CHANGE = "ECS Task State Change";

  /** runfleet's own StopTask calls give reasons starting with this (EcsRunnerLauncher). */
  private static final String OUR_STOP = "runfleet:";

  /** What an event says: a host end, or a reason to ignore it. */
  public sealed interface Parsed {
    record End(HostEnd end) implements Parsed {}

    record Ignored(String why) implements Parsed {}
  }

  /** Not an EventBridge event, or one that lacks the fields its type must have. */
  public static final class MalformedHostEventException extends RuntimeException {
    MalformedHostEventException(String message) {
      super(message);
    }
  }

  public Parsed parse(InputStream event) throws IOException {
    Object root;
    try {
      root = Json.read(event);
    } catch (JsonProcessingException e) {
      throw new MalformedHostEventException("not JSON: " + e.getOriginalMessage());
    }
    return parse(root);
  }

  public Parsed parse(String event) {
    try {
      return parse(Json.read(event));
    } catch (JsonProcessingException e) {
      throw new MalformedHostEventException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Parsed parse(Object event) {
    if (!(event instanceof JsonObject root)) {
      throw new MalformedHostEventException("not an EventBridge event (no JSON object)");
    }
    String type = root.asText("detail-type", "");
    JsonObject detail = root.object("detail");
    return switch (type) {
      case SPOT_WARNING -> spotWarning(detail);
      case TASK_STATE_CHANGE -> taskStateChange(detail);
      default -> new Parsed.Ignored("detail-type '" + type + "' is not a host end");
    };
  }

  private static Parsed spotWarning(JsonObject detail) {
    String instance = required(detail, "instance-id", SPOT_WARNING);
    String action = detail.asText("instance-action", "terminate");
    return new Parsed.End(
        new HostEnd(
            HostKind.EC2,
            instance,
            null,
            HostEnd.Cause.SPOT_INTERRUPTION,
            "spot interruption warning (instance-action " + action + ")"));
  }

  private static Parsed taskStateChange(JsonObject detail) {
    String task = required(detail, "taskArn", TASK_STATE_CHANGE);
    String status = detail.asText("lastStatus", "");
    if (!"STOPPED".equals(status)) {
      return new Parsed.Ignored("task " + task + " is " + status + ", not STOPPED");
    }
    String cluster = required(detail, "clusterArn", TASK_STATE_CHANGE);
    String stopCode = detail.asText("stopCode", "");
    String stoppedReason = detail.asText("stoppedReason", "");
    if ("UserInitiated".equals(stopCode) && stoppedReason.startsWith(OUR_STOP)) {
      // A tear-down or an undone launch: the orchestrator records those itself.
      return new Parsed.Ignored(
          "task " + task + " was stopped by runfleet (" + stoppedReason + ")");
    }
    HostEnd.Cause cause =
        switch (stopCode) {
          case "SpotInterruption" -> HostEnd.Cause.SPOT_INTERRUPTION;
          case "TaskFailedToStart" -> HostEnd.Cause.FAILED_TO_START;
          case "EssentialContainerExited" -> HostEnd.Cause.CONTAINER_EXIT;
          default -> HostEnd.Cause.STOPPED;
        };
    StringBuilder reason = new StringBuilder(stopCode.isEmpty() ? "stopped" : stopCode);
    if (!stoppedReason.isEmpty()) {
      reason.append(": ").append(stoppedReason);
    }
    for (Object item : detail.items("containers")) {
      if (item instanceof JsonObject container && container.has("exitCode")) {
        reason
            .append(" (container ")
            .append(container.asText("name", "?"))
            .append(" exit ")
            .append(Json.asInt(container.get("exitCode"), 0))
            .append(')');
      }
    }
    return new Parsed.End(
        new HostEnd(HostKind.ECS_FARGATE, task, cluster, cause, truncate(reason.toString())));
  }

  /** Reasons land in a table item and log lines: bounded, whatever AWS sends. */
  private static String truncate(String reason) {
    return reason.length() <= 512 ? reason : reason.substring(0, 512) + "...";
  }

  private static String required(JsonObject detail, String field, String type) {
    String value = detail.asText(field, "");
    if (value.isBlank()) {
      throw new MalformedHostEventException(
          "'" + type + "' event lacks detail." + field.toLowerCase(Locale.ROOT));
    }
    return value;
  }
}
