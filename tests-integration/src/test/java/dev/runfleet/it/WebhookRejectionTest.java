package dev.runfleet.it;

import static dev.runfleet.it.support.Fleets.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.it.support.FleetApi;
import dev.runfleet.it.support.Fleets;
import dev.runfleet.it.support.GitHubWebhooks;
import dev.runfleet.it.support.GitHubWebhooks.Reply;
import dev.runfleet.it.support.Jobs;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.sim.SimJob;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the producer refuses, and that refusing it records nothing and takes no valid work down.
 * Each refused job would be dispatchable if it were accepted, so a refusal that lets it through
 * shows up as a job item.
 */
class WebhookRejectionTest {

  private static final int MAX_BODY_BYTES = 1_048_576;

  private static LocalRuntime runtime;
  private static GitHubWebhooks gitHub;
  private static FleetApi api;

  @BeforeAll
  static void start() {
    String secret = Fleets.newSecret();
    runtime = Fleets.start(secret, Map.of(), 30);
    gitHub = new GitHubWebhooks(runtime.baseUri(), secret);
    api = new FleetApi(runtime.baseUri());
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void forgedSignature_isRefusedWith401_andNothingIsRecorded() {
    SimJob job = Jobs.job(Jobs.FARGATE);
    byte[] body = Jobs.queued(job);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    Reply reply =
        gitHub.post(
            "workflow_job",
            deliveryId,
            GitHubWebhooks.JSON,
            body,
            GitHubWebhooks.sign("not-the-webhook-secret", body));

    assertThat(reply.status()).as("%s", reply).isEqualTo(401);
    assertNothingRecorded(job, deliveryId);
  }

  @Test
  void bodyAlteredAfterSigning_isRefusedWith401_andNothingIsRecorded() {
    SimJob job = Jobs.job(Jobs.FARGATE);
    byte[] signed = Jobs.queued(job);
    String signature = gitHub.sign(signed);
    // Same job, one label more: a man in the middle asking for a different runner.
    byte[] altered =
        new String(signed, StandardCharsets.UTF_8)
            .replace("\"fargate\"", "\"fargate\",\"gpu\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(altered).isNotEqualTo(signed);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    Reply reply = gitHub.post("workflow_job", deliveryId, GitHubWebhooks.JSON, altered, signature);

    assertThat(reply.status()).as("%s", reply).isEqualTo(401);
    assertNothingRecorded(job, deliveryId);
  }

  @Test
  void missingSignature_isRefusedWith401_andNothingIsRecorded() {
    SimJob job = Jobs.job(Jobs.FARGATE);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    Reply reply =
        gitHub.post("workflow_job", deliveryId, GitHubWebhooks.JSON, Jobs.queued(job), null);

    assertThat(reply.status()).as("%s", reply).isEqualTo(401);
    assertNothingRecorded(job, deliveryId);
  }

  @Test
  void malformedJson_signed_isRefusedWith400_andNothingIsRecorded() {
    SimJob job = Jobs.job(Jobs.FARGATE);
    byte[] whole = Jobs.queued(job);
    // Cut in half: the job id is there to read, the document is not JSON.
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    Reply reply = gitHub.deliver("workflow_job", deliveryId, truncated);

    assertThat(reply.status()).as("%s", reply).isEqualTo(400);
    assertNothingRecorded(job, deliveryId);
  }

  @Test
  void requiredFieldsMissing_signed_isRefusedWith400() {
    long jobId = Jobs.nextId();
    String body = "{\"action\":\"queued\",\"workflow_job\":{\"id\":" + jobId + "}}";

    Reply reply = gitHub.deliver("workflow_job", body);

    assertThat(reply.status()).as("%s", reply).isEqualTo(400);
    assertThat(api.job(jobId)).isEmpty();
  }

  @Test
  void formEncodedBody_isRefusedWith415_andNothingIsRecorded() {
    // What GitHub sends when a webhook's content type is set to application/x-www-form-urlencoded.
    SimJob job = Jobs.job(Jobs.FARGATE);
    byte[] form =
        ("payload="
                + URLEncoder.encode(
                    new String(Jobs.queued(job), StandardCharsets.UTF_8), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    Reply reply =
        gitHub.post(
            "workflow_job",
            deliveryId,
            "application/x-www-form-urlencoded",
            form,
            gitHub.sign(form));

    assertThat(reply.status()).as("%s", reply).isEqualTo(415);
    assertNothingRecorded(job, deliveryId);
  }

  @Test
  void bodyOverTheSizeLimit_isRefusedWith413_andNothingIsRecorded() {
    SimJob job = Jobs.job(Jobs.FARGATE);
    String queued = new String(Jobs.queued(job), StandardCharsets.UTF_8);
    // A valid, signed queued event, padded one byte past the limit.
    String prefix = queued.substring(0, queued.length() - 1) + ",\"padding\":\"";
    String suffix = "\"}";
    byte[] body =
        (prefix + "x".repeat(MAX_BODY_BYTES + 1 - prefix.length() - suffix.length()) + suffix)
            .getBytes(StandardCharsets.UTF_8);
    assertThat(body).hasSize(MAX_BODY_BYTES + 1);
    String deliveryId = GitHubWebhooks.newDeliveryId();

    Reply reply = gitHub.deliver("workflow_job", deliveryId, body);

    assertThat(reply.status()).as("%s", reply).isEqualTo(413);
    assertNothingRecorded(job, deliveryId);
  }

  @Test
  void unknownEvent_isAcknowledgedWith202() {
    Reply reply = gitHub.deliver("issues", "{\"action\":\"opened\",\"issue\":{\"number\":1}}");

    assertThat(reply.status()).as("%s", reply).isEqualTo(202);
  }

  @Test
  void badInput_neverTakesValidWorkDown() {
    List<SimJob> refused = List.of(Jobs.job(Jobs.FARGATE), Jobs.job(Jobs.EC2_X64));
    for (SimJob bad : refused) {
      byte[] body = Jobs.queued(bad);
      assertThat(
              gitHub
                  .post(
                      "workflow_job",
                      GitHubWebhooks.newDeliveryId(),
                      GitHubWebhooks.JSON,
                      body,
                      GitHubWebhooks.sign("forged", body))
                  .status())
          .isEqualTo(401);
      assertThat(gitHub.deliver("workflow_job", Arrays.copyOf(body, 40)).status()).isEqualTo(400);
      assertThat(gitHub.deliver("issues", "{}").status()).isEqualTo(202);
    }
    SimJob valid = Jobs.job(Jobs.FARGATE);

    runtime.gitHub().queue(valid);

    within(Fleets.PIPELINE)
        .untilAsserted(
            () -> assertThat(api.jobStatus(valid.jobId())).isEqualTo(JobStatus.COMPLETED.name()));
    assertThat(runtime.gitHub().conclusions()).containsEntry(valid.jobId(), "success");
    assertThat(api.healthStatus()).isEqualTo(200);
    for (SimJob bad : refused) {
      assertThat(api.job(bad.jobId())).isEmpty();
    }
  }

  /** No job, no event, no delivery: the refused request left no trace in the table. */
  private static void assertNothingRecorded(SimJob job, String deliveryId) {
    JobKey key = new JobKey(job.jobId(), job.runAttempt());
    assertThat(api.job(job.jobId())).as("job %s over the API", key).isEmpty();
    assertThat(item(JobsTable.jobKey(key))).as("job item of %s", key).isEmpty();
    assertThat(item(JobsTable.eventKey(key, "queued"))).as("queued event of %s", key).isEmpty();
    assertThat(item(JobsTable.deliveryKey(deliveryId))).as("delivery %s", deliveryId).isEmpty();
  }

  private static Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    return runtime
        .dynamo()
        .getItem(b -> b.tableName(LocalRuntime.TABLE).key(key).consistentRead(true))
        .item();
  }
}
