package dev.runfleet.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.WorkflowJobEvent;
import dev.runfleet.common.port.JobEventStore;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.producer.adapter.TelemetryIntakeMetrics;
import dev.runfleet.producer.hookranges.HookRanges;
import dev.runfleet.producer.intake.HookSources;
import dev.runfleet.producer.intake.SignatureVerifier;
import dev.runfleet.producer.intake.WebhookIntake;
import dev.runfleet.producer.intake.WorkflowJobParser;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ProducerHandlerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Telemetry TELEMETRY = new Telemetry("producer-test");
  private static final JobStateMachine MACHINE = new JobStateMachine(PlatformCatalog.defaults());

  private final List<WorkflowJobEvent> appended = new ArrayList<>();
  private JobEventStore store =
      (event, admission) -> {
        appended.add(event);
        return JobEventStore.Appended.Recorded.of(
            MACHINE.apply(null, event, admission, Instant.now()));
      };

  private ProducerHandler handler() {
    return handler(HookSources.ANYWHERE);
  }

  private ProducerHandler handler(HookSources sources) {
    return new ProducerHandler(
        new WebhookIntake(
            1024 * 1024,
            Webhooks.ANY_AGE,
            Webhooks.CLOCK,
            sources,
            new SignatureVerifier(Webhooks.SECRET, null),
            new WorkflowJobParser(),
            (event, admission) -> store.append(event, admission),
            () -> AllowList.EVERYONE,
            new TelemetryIntakeMetrics(TELEMETRY)),
        TELEMETRY);
  }

  private static APIGatewayV2HTTPEvent event(
      Map<String, String> headers, String body, boolean b64) {
    return APIGatewayV2HTTPEvent.builder()
        .withRouteKey("POST /webhook")
        .withRawPath("/webhook")
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(b64)
        .build();
  }

  private static final String QUEUED =
      Webhooks.workflowJob("queued", "queued", 7, "self-hosted", "linux", "arm64", "ec2");

  /** A signed queued event as API Gateway hands it over from {@code sourceIp}. */
  private static APIGatewayV2HTTPEvent from(String sourceIp, byte[] body) {
    APIGatewayV2HTTPEvent event =
        event(Webhooks.headers("workflow_job", body, Webhooks.SECRET), QUEUED, false);
    event.setRequestContext(
        APIGatewayV2HTTPEvent.RequestContext.builder()
            .withHttp(
                APIGatewayV2HTTPEvent.RequestContext.Http.builder().withSourceIp(sourceIp).build())
            .build());
    return event;
  }

  @Test
  void handler_checksTheRequestContextsSourceIp_againstTheHookRanges() {
    ProducerHandler guarded = handler(HookRanges.parse("192.30.252.0/22")::admits);
    byte[] body = QUEUED.getBytes(StandardCharsets.UTF_8);
    APIGatewayV2HTTPEvent fromGitHub = from("192.30.252.40", body);
    APIGatewayV2HTTPEvent fromElsewhere = from("203.0.113.9", body);

    assertThat(guarded.handle(fromGitHub, null).getStatusCode()).isEqualTo(200);
    assertThat(guarded.handle(fromElsewhere, null).getStatusCode()).isEqualTo(403);
    assertThat(guarded.handle(event(Map.of(), "", false), null).getStatusCode()).isEqualTo(403);
  }

  @Test
  void handler_whenSignedBase64Event_records200() throws Exception {
    byte[] body = QUEUED.getBytes(StandardCharsets.UTF_8);
    APIGatewayV2HTTPEvent request =
        event(
            Webhooks.headers("workflow_job", body, Webhooks.SECRET),
            Base64.getEncoder().encodeToString(body),
            true);

    APIGatewayV2HTTPResponse response = handler().handle(request, null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
    assertThat(MAPPER.readTree(response.getBody()).get("status").asText())
        .isEqualTo(JobStatus.QUEUED.name());
    assertThat(MAPPER.readTree(response.getBody()).get("platform").asText())
        .isEqualTo("ec2-linux-arm64");
    assertThat(appended).singleElement().extracting(e -> e.key().jobId()).isEqualTo(7L);
  }

  @Test
  void handler_whenSignatureForged_answers401() {
    byte[] body = QUEUED.getBytes(StandardCharsets.UTF_8);

    APIGatewayV2HTTPResponse response =
        handler()
            .handle(event(Webhooks.headers("workflow_job", body, "forged"), QUEUED, false), null);

    assertThat(response.getStatusCode()).isEqualTo(401);
    assertThat(appended).isEmpty();
  }

  @Test
  void handler_whenStoreUnavailable_answers503() {
    store =
        (event, admission) -> {
          throw new StoreUnavailableException("throttled", null);
        };
    byte[] body = QUEUED.getBytes(StandardCharsets.UTF_8);

    APIGatewayV2HTTPResponse response =
        handler()
            .handle(
                event(Webhooks.headers("workflow_job", body, Webhooks.SECRET), QUEUED, false),
                null);

    assertThat(response.getStatusCode()).isEqualTo(503);
  }

  @Test
  void handler_whenEventEmpty_answers401WithoutFailing() {
    APIGatewayV2HTTPResponse response = handler().handle(new APIGatewayV2HTTPEvent(), null);

    assertThat(response.getStatusCode()).isEqualTo(401);
  }

  @Test
  void handler_afterInvocation_leavesNoLogContextBehind() {
    byte[] body = QUEUED.getBytes(StandardCharsets.UTF_8);
    handler()
        .handle(
            event(Webhooks.headers("workflow_job", body, Webhooks.SECRET), QUEUED, false), null);

    assertThat(MDC.get(WebhookIntake.MDC_DELIVERY_ID)).isNull();
    assertThat(MDC.get(WebhookIntake.MDC_JOB_ID)).isNull();
  }

  /** API Gateway's payload 2.0 as the bytes Lambda hands the stream entry. */
  private static String apiGatewayJson(
      Map<String, String> headers, String body, boolean b64, String sourceIp) throws Exception {
    Map<String, Object> event = new java.util.LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", "POST /webhook");
    event.put("rawPath", "/webhook");
    event.put("headers", headers);
    event.put("requestContext", Map.of("http", Map.of("method", "POST", "sourceIp", sourceIp)));
    event.put("body", body);
    event.put("isBase64Encoded", b64);
    return MAPPER.writeValueAsString(event);
  }

  private static com.fasterxml.jackson.databind.JsonNode stream(
      ProducerHandler handler, String event) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    handler.handleRequest(
        new java.io.ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return MAPPER.readTree(out.toByteArray());
  }

  @Test
  void streamHandler_whenSignedBase64EventBytes_records200AsApiGatewayResponse() throws Exception {
    byte[] body = QUEUED.getBytes(StandardCharsets.UTF_8);
    String event =
        apiGatewayJson(
            Webhooks.headers("workflow_job", body, Webhooks.SECRET),
            Base64.getEncoder().encodeToString(body),
            true,
            "192.30.252.40");

    com.fasterxml.jackson.databind.JsonNode response = stream(handler(), event);

    assertThat(response.get("statusCode").asInt()).isEqualTo(200);
    assertThat(response.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
    assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
    assertThat(MAPPER.readTree(response.get("body").asText()).get("platform").asText())
        .isEqualTo("ec2-linux-arm64");
    assertThat(appended).singleElement().extracting(e -> e.key().jobId()).isEqualTo(7L);
  }

  @Test
  void streamHandler_checksTheRequestContextsSourceIp_againstTheHookRanges() throws Exception {
    ProducerHandler guarded = handler(HookRanges.parse("192.30.252.0/22")::admits);
    byte[] body = QUEUED.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Webhooks.headers("workflow_job", body, Webhooks.SECRET);

    assertThat(
            stream(guarded, apiGatewayJson(headers, QUEUED, false, "192.30.252.40"))
                .get("statusCode")
                .asInt())
        .isEqualTo(200);
    assertThat(
            stream(guarded, apiGatewayJson(headers, QUEUED, false, "203.0.113.9"))
                .get("statusCode")
                .asInt())
        .isEqualTo(403);
  }

  @Test
  void streamHandler_whenEventIsNotJson_answersAnEmptyRequestsStatus() throws Exception {
    com.fasterxml.jackson.databind.JsonNode response = stream(handler(), "{not json");

    assertThat(response.get("statusCode").asInt()).isEqualTo(401);
    assertThat(appended).isEmpty();
  }
}
