package dev.runfleet.orchestrators.hostevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.json.Json;
import dev.runfleet.orchestrators.hostevents.HostEventParser.MalformedHostEventException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EventBridge entry point for host ends: an {@code EC2 Spot Instance Interruption Warning} or
 * an {@code ECS Task State Change} to STOPPED, delivered by the host-events rules. Parses the event
 * with our own model of its detail and hands the end to {@link HostEnds}. An event it cannot read,
 * or whose end cannot be recorded now, fails the invocation: Lambda retries it, then sends it to
 * the function's dead-letter queue; every other event answers with what became of it.
 */
public final class HostEventsHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(HostEventsHandler.class);

  private final HostEventParser parser = new HostEventParser();
  private final HostEnds hostEnds;
  private final Telemetry telemetry;

  public HostEventsHandler() {
    this(new Telemetry("host-events"));
  }

  private HostEventsHandler(Telemetry telemetry) {
    this(HostEventsWiring.hostEnds(System.getenv(), telemetry), telemetry);
  }

  public HostEventsHandler(HostEnds hostEnds, Telemetry telemetry) {
    this.hostEnds = hostEnds;
    this.telemetry = telemetry;
  }

  /** Delivered again by Lambda's retries, then to the dead-letter queue. */
  public static final class HostEventNotRecordedException extends RuntimeException {
    HostEventNotRecordedException(String message) {
      super(message);
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    String answer = telemetry.invoke(context, () -> handle(input));
    try {
      output.write(answer.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One event, answered as a line of JSON: {@code {"result": ..., "detail": ...}}. */
  public String handle(InputStream input) {
    HostEventParser.Parsed parsed;
    try {
      parsed = parser.parse(input);
    } catch (MalformedHostEventException e) {
      LOG.error("host event refused: {}; it goes to the dead-letter queue", e.getMessage());
      telemetry.count("HostEventsPoison");
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (parsed instanceof HostEventParser.Parsed.Ignored ignored) {
      LOG.debug("host event ignored: {}", ignored.why());
      return answer("ignored", ignored.why());
    }
    HostEnds.Outcome outcome = hostEnds.record(((HostEventParser.Parsed.End) parsed).end());
    if (outcome instanceof HostEnds.Outcome.RetryLater r) {
      LOG.warn("host end not recorded now: {}; the event is retried", r.reason());
      throw new HostEventNotRecordedException(r.reason());
    }
    return outcome instanceof HostEnds.Outcome.Recorded r
        ? answer("recorded", r.runnerName())
        : answer("ignored", ((HostEnds.Outcome.Ignored) outcome).why());
  }

  private static String answer(String result, String detail) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("result", result);
    answer.put("detail", detail);
    return Json.write(answer);
  }
}
