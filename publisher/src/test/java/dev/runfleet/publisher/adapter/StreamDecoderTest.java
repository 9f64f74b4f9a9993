package dev.runfleet.publisher.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.lambda.StreamRecord;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.publisher.flow.Change;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Stream records as Lambda hands them over, decoded into the changes the controller reacts to. */
class StreamDecoderTest {

  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  private final StreamDecoder decoder = new StreamDecoder();

  private static Runner runner(boolean slotReleased) {
    return new Runner(
        "rf-fargate-42-1-1",
        "fargate",
        new JobKey(42, 1),
        new GitHubScope("octo", "octo/repo", 1L),
        RunnerStatus.LAUNCHED,
        "task-1",
        null,
        slotReleased,
        null,
        T0,
        T0);
  }

  @Test
  void decode_aRunnerRemovedByTtl_isARunnerRemovalWithWhatItHeld() {
    Change change = decoder.decode(record("REMOVE", JobsTable.runnerItem(runner(false)), null));

    assertThat(change).isInstanceOf(Change.RunnerRemoved.class);
    Runner before = ((Change.RunnerRemoved) change).before();
    assertThat(before.name()).isEqualTo("rf-fargate-42-1-1");
    assertThat(before.platform()).isEqualTo("fargate");
    assertThat(before.slotReleased()).isFalse();
    assertThat(change.sequenceNumber()).isEqualTo("100");
  }

  @Test
  void decode_aRemovedItemThatIsNoRunner_isUnrelated() {
    Map<String, AttributeValue> slots = new LinkedHashMap<>(JobsTable.slotsKey("fargate"));
    slots.put(JobsTable.TYPE, AttributeValue.fromS(JobsTable.TYPE_SLOTS));

    assertThat(decoder.decode(record("REMOVE", slots, null))).isInstanceOf(Change.Unrelated.class);
  }

  @Test
  void decode_aRunnerWritten_isARunnerChange() {
    Change change = decoder.decode(record("INSERT", null, JobsTable.runnerItem(runner(false))));

    assertThat(change).isInstanceOf(Change.RunnerChanged.class);
  }

  private static StreamRecord record(
      String eventName,
      Map<String, AttributeValue> oldImage,
      Map<String, AttributeValue> newImage) {
    return new StreamRecord(
        "e-1",
        eventName,
        "arn:aws:dynamodb:us-east-1:1:table/jobs/stream/x",
        "100",
        oldImage,
        newImage);
  }
}
