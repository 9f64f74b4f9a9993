package dev.runfleet.producer.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import dev.runfleet.common.domain.EventKind;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a verified {@code workflow_job} payload into a {@link WorkflowJobEvent}. Required: {@code
 * action}, {@code workflow_job.id}, {@code .run_id}, {@code .run_attempt}, {@code .status}, {@code
 * .labels} (strings), {@code .created_at} and {@code repository.full_name}; the organisation,
 * installation, runner and conclusion are read when present.
 */
public final class WorkflowJobParser {

  /**
   * The range of job creation times the table can order: it keeps them as epoch milliseconds,
   * zero-padded to 13 digits in the FIFO index's sort key ({@code JobsTable.queueSortKey}), so a
   * time before 1970 or from late 2286 on would sort out of order (and one far enough out overflows
   * a long).
   */
  static final Instant EARLIEST_CREATED_AT = Instant.EPOCH;

  static final Instant END_OF_CREATED_AT = Instant.ofEpochMilli(10_000_000_000_000L);

  /**
   * The fields {@link #parse} reads. GitHub's payload is mostly other things (the repository alone
   * has about a hundred URLs): those are still read, so a body that is not JSON is still refused,
   * but never built into a tree.
   */
  private static final TokenFilter READ =
      new Fields(
          Map.of(
              "action", TokenFilter.INCLUDE_ALL,
              "workflow_job",
                  new Fields(
                      Map.of(
                          "id", TokenFilter.INCLUDE_ALL,
                          "run_id", TokenFilter.INCLUDE_ALL,
                          "run_attempt", TokenFilter.INCLUDE_ALL,
                          "status", TokenFilter.INCLUDE_ALL,
                          "labels", TokenFilter.INCLUDE_ALL,
                          "created_at", TokenFilter.INCLUDE_ALL,
                          "runner_id", TokenFilter.INCLUDE_ALL,
                          "runner_name", TokenFilter.INCLUDE_ALL,
                          "conclusion", TokenFilter.INCLUDE_ALL)),
              "repository", new Fields(Map.of("full_name", TokenFilter.INCLUDE_ALL)),
              "organization", new Fields(Map.of("login", TokenFilter.INCLUDE_ALL)),
              "installation", new Fields(Map.of("id", TokenFilter.INCLUDE_ALL))));

  @Inject
  public WorkflowJobParser() {}

  /** The named properties of an object, each read by its own filter; nothing else. */
  private static final class Fields extends TokenFilter {
    private final Map<String, TokenFilter> properties;

    Fields(Map<String, TokenFilter> properties) {
      this.properties = properties;
    }

    @Override
    public TokenFilter includeProperty(String name) {
      return properties.get(name);
    }

    @Override
    public TokenFilter includeElement(int index) {
      return null;
    }

    @Override
    public TokenFilter filterStartArray() {
      return null;
    }

    @Override
    public boolean includeEmptyObject(boolean contentsFiltered) {
      // An object present without any field read is still an object: "missing" would mislead.
      return true;
    }

    @Override
    protected boolean _includeScalar() {
      return false;
    }
  }

  /** What a payload turned out to be. */
  public sealed interface Parsed {
    /** A delivery runfleet records. */
    record Event(WorkflowJobEvent event) implements Parsed {}

    /** A well-formed delivery whose action runfleet does not act on. */
    record UnknownAction(String action, JobKey key) implements Parsed {}
  }

  /**
   * @throws MalformedPayloadException when the body is not JSON or a required field is missing or
   *     mistyped ({@link OutOfRangeException} when a number or a time is past its range); the
   *     message names the field and never quotes the body
   */
  public Parsed parse(byte[] body, String deliveryId) throws MalformedPayloadException {
    JsonObject root = readTree(body);
    String action = text(root, "action", "action");
    JsonObject job = JsonObject.of(root.get("workflow_job"));
    if (job == null) {
      throw new MalformedPayloadException("workflow_job is missing or not an object");
    }
    long jobId = positiveLong(job, "id");
    long runId = positiveLong(job, "run_id");
    long runAttempt = positiveLong(job, "run_attempt");
    if (runAttempt > Integer.MAX_VALUE) {
      throw new OutOfRangeException(
          "workflow_job.run_attempt is over " + Integer.MAX_VALUE + ", out of range");
    }
    String status = text(job, "status", "workflow_job.status");
    List<String> labels = labels(job);
    Instant createdAt = instant(job);
    JsonObject repository = JsonObject.of(root.get("repository"));
    if (repository == null) {
      throw new MalformedPayloadException("repository is missing or not an object");
    }
    String fullName = text(repository, "full_name", "repository.full_name");
    JobKey key = new JobKey(jobId, (int) runAttempt);

    Optional<EventKind> kind = EventKind.classify(action, status);
    if (kind.isEmpty()) {
      return new Parsed.UnknownAction(action, key);
    }
    return new Parsed.Event(
        new WorkflowJobEvent(
            deliveryId,
            kind.get(),
            key,
            runId,
            fullName,
            optionalText(root.object("organization").get("login")),
            optionalLong(root.object("installation").get("id")),
            labels,
            optionalLong(job.get("runner_id")),
            optionalText(job.get("runner_name")),
            createdAt,
            optionalText(job.get("conclusion"))));
  }

  private static JsonObject readTree(byte[] body) throws MalformedPayloadException {
    Object root;
    try (JsonParser raw = Json.factory().createParser(body)) {
      JsonParser filtered =
          new FilteringParserDelegate(raw, READ, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true);
      root = Json.read(filtered);
      // The filter stops at the end of the first value: anything after it is not one JSON value.
      if (raw.nextToken() != null) {
        throw new MalformedPayloadException(
            "body is not valid JSON (at " + position(raw.currentLocation()) + ")");
      }
    } catch (IOException e) {
      // The parser's message quotes the offending input; only its location is safe to repeat.
      throw new MalformedPayloadException("body is not valid JSON (at " + location(e) + ")", e);
    }
    if (!(root instanceof JsonObject object)) {
      throw new MalformedPayloadException("body is not a JSON object");
    }
    return object;
  }

  private static String location(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
        && jpe.getLocation() != null) {
      return position(jpe.getLocation());
    }
    return "unknown position";
  }

  private static String position(com.fasterxml.jackson.core.JsonLocation location) {
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String text(JsonObject parent, String field, String path)
      throws MalformedPayloadException {
    String value = parent.text(field);
    if (value == null || value.isBlank()) {
      throw new MalformedPayloadException(path + " is missing or not a string");
    }
    return value;
  }

  private static long positiveLong(JsonObject job, String field) throws MalformedPayloadException {
    Object value = job.get(field);
    if (Json.isWholeNumber(value) && !Json.isLong(value)) {
      throw new OutOfRangeException("workflow_job." + field + " is past a 64-bit integer");
    }
    if (!Json.isLong(value)) {
      throw new MalformedPayloadException("workflow_job." + field + " is missing or not a number");
    }
    long number = (Long) value;
    if (number <= 0) {
      throw new MalformedPayloadException("workflow_job." + field + " must be positive");
    }
    return number;
  }

  private static List<String> labels(JsonObject job) throws MalformedPayloadException {
    List<Object> value = job.array("labels");
    if (value == null) {
      throw new MalformedPayloadException("workflow_job.labels is missing or not an array");
    }
    List<String> labels = new ArrayList<>(value.size());
    for (Object label : value) {
      if (!(label instanceof String text)) {
        throw new MalformedPayloadException("workflow_job.labels must hold only strings");
      }
      labels.add(text);
    }
    return labels;
  }

  private static Instant instant(JsonObject job) throws MalformedPayloadException {
    String text = text(job, "created_at", "workflow_job.created_at");
    Instant createdAt;
    try {
      createdAt = utcSeconds(text).orElseGet(() -> OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      throw new MalformedPayloadException("workflow_job.created_at is not an ISO-8601 time", e);
    }
    if (createdAt.isBefore(EARLIEST_CREATED_AT) || !createdAt.isBefore(END_OF_CREATED_AT)) {
      throw new OutOfRangeException(
          "workflow_job.created_at is outside "
              + EARLIEST_CREATED_AT
              + " to "
              + END_OF_CREATED_AT
              + ", out of range");
    }
    return createdAt;
  }

  /**
   * The form GitHub sends ({@code 2024-05-01T10:00:00Z}) read digit by digit: the general parser
   * cost more than any other field of a webhook. Empty for any other form (an offset, fractions)
   * and for a date that does not exist; the general parser then reads or refuses it.
   */
  static Optional<Instant> utcSeconds(String text) {
    if (text.length() != 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(19) != 'Z') {
      return Optional.empty();
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The decimal number in {@code text[from, to)}, or -1 when it holds anything but digits. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static String optionalText(Object value) {
    return value instanceof String text && !text.isBlank() ? text : null;
  }

  private static Long optionalLong(Object value) {
    return Json.isLong(value) ? (Long) value : null;
  }
}
