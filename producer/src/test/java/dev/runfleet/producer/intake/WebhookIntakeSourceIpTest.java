package dev.runfleet.producer.intake;

import static dev.runfleet.producer.testing.Webhooks.SECRET;
import static dev.runfleet.producer.testing.Webhooks.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.common.domain.AllowList;
import dev.runfleet.common.port.StoreUnavailableException;
import dev.runfleet.producer.hookranges.HookRanges;
import dev.runfleet.producer.testing.Fixtures;
import dev.runfleet.producer.testing.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The front door's source check: before the signature, 403 outside GitHub's ranges, 503 blind. */
class WebhookIntakeSourceIpTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HookRanges GITHUB =
      HookRanges.parse("192.30.252.0/22,140.82.112.0/20,2a0a:a440::/29");

  private final FakeJobEventStore store = new FakeJobEventStore();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private HookSources sources = GITHUB::admits;
  private final WebhookIntake intake =
      new WebhookIntake(
          64 * 1024,
          Webhooks.ANY_AGE,
          Webhooks.CLOCK,
          ip -> sources.admits(ip),
          new SignatureVerifier(SECRET, null),
          new WorkflowJobParser(),
          store,
          () -> AllowList.EVERYONE,
          metrics);

  private static WebhookRequest from(String sourceIp, WebhookRequest request) {
    return new WebhookRequest(request.headers(), request.body(), false, sourceIp);
  }

  private static WebhookRequest queued() {
    return signed("workflow_job", Fixtures.bytes(Fixtures.QUEUED));
  }

  @Test
  void intake_whenSourceInsideHookRanges_recordsTheEvent() {
    WebhookResponse ipv4 = intake.handle(from("192.30.252.1", queued()));
    WebhookResponse ipv6 =
        intake.handle(
            from("2a0a:a440::1", signed("workflow_job", Fixtures.bytes(Fixtures.IN_PROGRESS))));

    assertThat(ipv4.statusCode()).isEqualTo(200);
    assertThat(ipv6.statusCode()).isEqualTo(200);
    assertThat(store.appended).hasSize(2);
  }

  @Test
  void intake_whenSourceOutsideHookRanges_refuses403AndCountsSourceIp() throws Exception {
    WebhookResponse response = intake.handle(from("203.0.113.9", queued()));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(MAPPER.readTree(response.body()).get("reason").asText())
        .isEqualTo("203.0.113.9 is outside GitHub's hook ranges");
    assertThat(store.appended).isEmpty();
    assertThat(metrics.counts).containsExactly("received", "rejected:source_ip");
  }

  @Test
  void intake_whenSourceOutsideHookRanges_refusesBeforeTheSignatureOrBodyIsLookedAt() {
    byte[] body = "x".repeat(128 * 1024).getBytes(StandardCharsets.UTF_8);
    Map<String, String> forged = Webhooks.headers("workflow_job", body, "a guessed secret");

    WebhookResponse oversized =
        intake.handle(new WebhookRequest(forged, new String(body), false, "198.51.100.1"));
    WebhookResponse unsigned =
        intake.handle(new WebhookRequest(Map.of(), "{}", false, "198.51.100.1"));

    assertThat(oversized.statusCode()).isEqualTo(403);
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(metrics.counts)
        .containsExactly("received", "rejected:source_ip", "received", "rejected:source_ip");
  }

  @Test
  void intake_whenNoSourceAddressIsKnown_refuses403() {
    WebhookResponse response = intake.handle(from(null, queued()));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("(none) is outside");
  }

  @Test
  void intake_whenHookRangesAreUnknown_answers503CountsAndRecordsNothing() throws Exception {
    sources =
        ip -> {
          throw new StoreUnavailableException("no valid value of /p known yet", null);
        };

    WebhookResponse response = intake.handle(from("192.30.252.1", queued()));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(MAPPER.readTree(response.body()).get("result").asText()).isEqualTo("unavailable");
    assertThat(store.appended).isEmpty();
    assertThat(metrics.counts).containsExactly("received", "hook-ranges-unavailable");
  }

  @Test
  void intake_whenTheCheckIsOff_admitsAnySourceAndNone() {
    sources = HookSources.ANYWHERE;

    assertThat(intake.handle(from("203.0.113.9", queued())).statusCode()).isEqualTo(200);
    assertThat(intake.handle(from(null, queued())).statusCode()).isEqualTo(200);
  }
}
