package dev.runfleet.producer.intake;

import dev.runfleet.common.domain.Admission;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.EventKind;
import dev.runfleet.common.domain.IgnoredReason;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.common.json.Json;
import dev.runfleet.common.port.AllowListSource;
import dev.runfleet.common.port.JobEventStore;
import dev.runfleet.common.port.JobEventStore.Appended;
import dev.runfleet.common.port.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The webhook use case: verify, filter, parse, admit, append. The checks run in a fixed order so
 * that nothing about a request is acted on, or echoed, before its signature is verified, and so
 * that GitHub's delivery log shows one precise reason per refused delivery. An event whose
 * repository the allow-list refuses is still recorded, so the job is on file as ignored ({@code
 * not-allowed}) and is never dispatched, and GitHub is answered 202 with that reason. A queued
 * event whose job GitHub created longer ago than the bound ({@code RUNFLEET_MAX_EVENT_AGE_SECONDS},
 * 24 h by default: GitHub cancels a job queued that long) is a replay, not work: it is refused with
 * 202 {@code "reason":"stale"} and never recorded, so it cannot launch a runner. Later events (in
 * progress, completed) are never stale: they only move a known job on and free its slot.
 *
 * <p>When the front door checks GitHub's hook ranges ({@link HookSources}), a caller outside them
 * is refused 403 ({@code source_ip}) before anything else, the signature included; while no valid
 * list of ranges is known the delivery is answered 503 and counted ({@code HookRangesUnavailable}),
 * never let through.
 *
 * <p>Bad input is answered, never thrown: an event whose items the job store could not hold is 413,
 * a number or time out of range or a name past GitHub's limits ({@link GitHubLimits}) is 400, each
 * with one log line naming the field and the size, never the value; nothing is recorded.
 */
public final class WebhookIntake {

  /** Dagger name of the body size limit. */
  public static final String MAX_BODY_BYTES = "runfleet.producer.maxBodyBytes";

  /** Dagger name of the age bound of queued events. */
  public static final String MAX_EVENT_AGE = "runfleet.producer.maxEventAge";

  public static final String HEADER_EVENT = "X-GitHub-Event";
  public static final String HEADER_DELIVERY = "X-GitHub-Delivery";
  public static final String HEADER_CONTENT_TYPE = "Content-Type";

  /** Log fields (MDC) every line about one delivery carries. */
  public static final String MDC_DELIVERY_ID = "deliveryId";

  public static final String MDC_JOB_ID = "jobId";
  public static final String MDC_RUN_ATTEMPT = "runAttempt";
  public static final String MDC_GITHUB_EVENT = "githubEvent";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

  /**
   * GitHub sends GUIDs; anything else would end up in a table key, so it is held to a safe shape.
   */
  private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  /** What an address looks like in a log line; anything else is not echoed. */
  private static final Pattern SOURCE_IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private static final Pattern EVENT_NAME = Pattern.compile("[a-z_]{1,64}");

  private final int maxBodyBytes;
  private final HookSources sources;
  private final SignatureVerifier verifier;
  private final WorkflowJobParser parser;
  private final JobEventStore store;
  private final AllowListSource allowList;
  private final IntakeMetrics metrics;
  private final Duration maxEventAge;
  private final Clock clock;

  @Inject
  public WebhookIntake(
      @Named(MAX_BODY_BYTES) int maxBodyBytes,
      @Named(MAX_EVENT_AGE) Duration maxEventAge,
      Clock clock,
      HookSources sources,
      SignatureVerifier verifier,
      WorkflowJobParser parser,
      JobEventStore store,
      AllowListSource allowList,
      IntakeMetrics metrics) {
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
    }
    if (maxEventAge.isNegative() || maxEventAge.isZero()) {
      throw new IllegalArgumentException("maxEventAge must be positive: " + maxEventAge);
    }
    this.maxEventAge = maxEventAge;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
    this.sources = sources;
    this.verifier = verifier;
    this.parser = parser;
    this.store = store;
    this.allowList = allowList;
    this.metrics = metrics;
  }

  public WebhookResponse handle(WebhookRequest request) {
    metrics.received();
    try {
      return verifyAndRecord(request);
    } finally {
      MDC.remove(MDC_DELIVERY_ID);
      MDC.remove(MDC_GITHUB_EVENT);
      MDC.remove(MDC_JOB_ID);
      MDC.remove(MDC_RUN_ATTEMPT);
    }
  }

  private WebhookResponse verifyAndRecord(WebhookRequest request) {
    String githubEvent = eventName(request.header(HEADER_EVENT));
    MDC.put(MDC_GITHUB_EVENT, githubEvent);
    String deliveryId = request.header(HEADER_DELIVERY);
    boolean deliveryValid = deliveryId != null && DELIVERY_ID.matcher(deliveryId).matches();
    if (deliveryValid) {
      // Logged even before verification: it is what finds the delivery in GitHub's log.
      MDC.put(MDC_DELIVERY_ID, deliveryId);
    }

    Optional<WebhookResponse> refused = checkSource(request.sourceIp());
    if (refused.isPresent()) {
      return refused.get();
    }

    byte[] body;
    try {
      body = bodyBytes(request);
    } catch (IllegalArgumentException e) {
      return reject(Rejection.MALFORMED, "body is not valid base64");
    }
    if (body == null) {
      return reject(Rejection.TOO_LARGE, "body exceeds " + maxBodyBytes + " bytes");
    }

    String signature = request.header(SignatureVerifier.HEADER);
    if (signature == null) {
      return reject(Rejection.SIGNATURE, SignatureVerifier.HEADER + " is missing");
    }
    if (!verifier.verify(body, signature)) {
      return reject(
          Rejection.SIGNATURE,
          SignatureVerifier.HEADER + " is malformed or does not match the webhook secret");
    }

    if (!deliveryValid) {
      return reject(Rejection.MISSING_DELIVERY, HEADER_DELIVERY + " is missing or malformed");
    }

    if ("ping".equals(githubEvent)) {
      LOG.info("ping answered");
      metrics.ignored();
      return respond(200, "pong", null);
    }
    if (!isJson(request.header(HEADER_CONTENT_TYPE))) {
      return reject(
          Rejection.UNSUPPORTED_MEDIA_TYPE,
          "content type must be application/json (set the webhook's content type to JSON)");
    }
    if (!"workflow_job".equals(githubEvent)) {
      return ignore("event " + githubEvent + " is not handled");
    }

    WorkflowJobParser.Parsed parsed;
    try {
      parsed = parser.parse(body, deliveryId);
    } catch (OutOfRangeException e) {
      return reject(Rejection.OUT_OF_RANGE, e.getMessage());
    } catch (MalformedPayloadException e) {
      return reject(Rejection.MALFORMED, e.getMessage());
    }
    if (parsed instanceof WorkflowJobParser.Parsed.UnknownAction unknown) {
      putJob(unknown.key());
      return ignore("action " + eventName(unknown.action()) + " is not handled");
    }
    WorkflowJobEvent event = ((WorkflowJobParser.Parsed.Event) parsed).event();
    putJob(event.key());
    // Size before content: an event too large to keep is 413 whatever else is wrong with it. The
    // store sizes an event with nothing else wrong as it builds its write (one set of items per
    // webhook); only an event about to be refused for something else is sized here first.
    Optional<String> pastLimits = GitHubLimits.violation(event);
    if (pastLimits.isPresent()) {
      return tooLarge(event).orElseGet(() -> reject(Rejection.OUT_OF_RANGE, pastLimits.get()));
    }
    if (isStale(event)) {
      Optional<WebhookResponse> tooLarge = tooLarge(event);
      if (tooLarge.isPresent()) {
        return tooLarge.get();
      }
      LOG.warn(
          "event {} refused as stale: job created {}, more than {} ago (a replay or a very late"
              + " delivery; GitHub cancels jobs queued that long)",
          kind(event),
          event.createdAt(),
          maxEventAge);
      metrics.ignored();
      return respond(202, "refused", "stale");
    }
    return append(event);
  }

  /** The answer to a caller the front door refuses, or empty when it may go on. */
  private Optional<WebhookResponse> checkSource(String sourceIp) {
    boolean admitted;
    try {
      admitted = sources.admits(sourceIp);
    } catch (StoreUnavailableException e) {
      LOG.error(
          "webhook refused: GitHub's hook ranges are unknown ({}); answering 503 (GitHub does not"
              + " retry by itself: redeliver once the parameter holds the ranges)",
          e.getMessage());
      metrics.hookRangesUnavailable();
      return Optional.of(
          respond(503, "unavailable", "GitHub's hook ranges cannot be read now, redeliver later"));
    }
    if (admitted) {
      return Optional.empty();
    }
    String shown =
        sourceIp == null
            ? "(none)"
            : SOURCE_IP.matcher(sourceIp).matches() ? sourceIp : "(unrecognised)";
    return Optional.of(reject(Rejection.SOURCE_IP, shown + " is outside GitHub's hook ranges"));
  }

  private boolean isStale(WorkflowJobEvent event) {
    boolean waitsForARunner = event.kind() == EventKind.QUEUED || event.kind() == EventKind.WAITING;
    return waitsForARunner && event.createdAt().plus(maxEventAge).isBefore(clock.instant());
  }

  private WebhookResponse append(WorkflowJobEvent event) {
    Admission admission;
    try {
      admission = admission(event);
    } catch (StoreUnavailableException e) {
      Optional<WebhookResponse> tooLarge = tooLarge(event);
      if (tooLarge.isPresent()) {
        return tooLarge.get();
      }
      LOG.warn(
          "event {} not recorded: {} (GitHub does not retry by itself: redeliver later)",
          kind(event),
          e.getMessage());
      metrics.storeUnavailable();
      return respond(503, "unavailable", "the allow-list cannot be read now, redeliver later");
    }
    Appended appended;
    try {
      appended = store.append(event, admission);
    } catch (StoreUnavailableException e) {
      LOG.warn(
          "event {} not recorded, store unavailable (GitHub does not retry by itself: redeliver"
              + " it; the reconciler repairs a lost in_progress or completed of a job it knows from"
              + " GitHub's view, never a lost queued)",
          kind(event),
          e);
      metrics.storeUnavailable();
      return respond(503, "unavailable", "the job store is unavailable, redeliver later");
    }
    if (appended instanceof Appended.TooLarge tooLarge) {
      return tooLarge(event, tooLarge.reason());
    }
    if (appended instanceof Appended.Duplicate duplicate) {
      LOG.info("event {} is a duplicate: {}", kind(event), duplicate.reason());
      metrics.duplicate();
      return respond(200, "duplicate", duplicate.reason());
    }
    Appended.Recorded job = (Appended.Recorded) appended;
    boolean notAllowed = job.ignoredReason() == IgnoredReason.NOT_ALLOWED;
    LOG.info(
        "event {} recorded: job {} is {}{} on platform {}",
        kind(event),
        job.key(),
        job.status(),
        job.ignoredReason() == null ? "" : " (" + job.ignoredReason().wireName() + ")",
        job.platform());
    if (notAllowed) {
      metrics.ignored();
    } else {
      metrics.accepted();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("result", notAllowed ? "ignored" : "recorded");
    if (job.ignoredReason() != null) {
      body.put("reason", job.ignoredReason().wireName());
    }
    body.put("jobKey", job.key().asString());
    body.put("kind", kind(event));
    body.put("status", job.status().name());
    if (job.platform() != null) {
      body.put("platform", job.platform());
    }
    return new WebhookResponse(notAllowed ? 202 : 200, Json.write(body));
  }

  /** 413 when the store could never hold {@code event}, sized as the store would write it. */
  private Optional<WebhookResponse> tooLarge(WorkflowJobEvent event) {
    return store.oversize(event).map(reason -> tooLarge(event, reason));
  }

  private WebhookResponse tooLarge(WorkflowJobEvent event, String reason) {
    return reject(Rejection.TOO_LARGE, "event " + kind(event) + " " + reason);
  }

  /**
   * The allow-list's verdict on the event's repository.
   *
   * @throws StoreUnavailableException when no valid allow-list is known yet
   */
  private Admission admission(WorkflowJobEvent event) {
    AllowList list = allowList.current();
    if (list.permits(event.organization(), event.repository())) {
      return Admission.ALLOWED;
    }
    LOG.info(
        "repository {} (organization {}) matches no pattern of the allow-list {}: not allowed",
        event.repository(),
        event.organization() == null ? "none" : event.organization(),
        list.describe());
    return Admission.NOT_ALLOWED;
  }

  /** The body bytes, or null when they exceed the limit. */
  private byte[] bodyBytes(WebhookRequest request) {
    String raw = request.body();
    if (request.base64Encoded()) {
      byte[] decoded = Base64.getDecoder().decode(raw);
      return decoded.length > maxBodyBytes ? null : decoded;
    }
    // Every char is at least one UTF-8 byte: a long text is too large before it is encoded.
    if (raw.length() > maxBodyBytes) {
      return null;
    }
    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
    return bytes.length > maxBodyBytes ? null : bytes;
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().equalsIgnoreCase("application/json");
  }

  /** The event header as a safe log and response token. */
  private static String eventName(String header) {
    if (header == null) {
      return "(none)";
    }
    String name = header.trim().toLowerCase(Locale.ROOT);
    return EVENT_NAME.matcher(name).matches() ? name : "(unrecognised)";
  }

  private static String kind(WorkflowJobEvent event) {
    return event.kind().wireName();
  }

  private static void putJob(JobKey key) {
    MDC.put(MDC_JOB_ID, Long.toString(key.jobId()));
    MDC.put(MDC_RUN_ATTEMPT, Integer.toString(key.runAttempt()));
  }

  private WebhookResponse reject(Rejection rejection, String reason) {
    LOG.warn("webhook rejected ({}): {}", rejection.dimension(), reason);
    metrics.rejected(rejection);
    return respond(rejection.statusCode(), "rejected", reason);
  }

  private WebhookResponse ignore(String reason) {
    LOG.info("webhook ignored: {}", reason);
    metrics.ignored();
    return respond(202, "ignored", reason);
  }

  private WebhookResponse respond(int status, String result, String reason) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("result", result);
    if (reason != null) {
      body.put("reason", reason);
    }
    return new WebhookResponse(status, Json.write(body));
  }
}
