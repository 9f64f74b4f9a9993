package dev.runfleet.publisher.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.publisher.flow.Change;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> slots =
        new LinkedHashMap<>(JobsTable.slotsKey("fargate"));
    slots.put(
        JobsTable.TYPE,
        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(JobsTable.TYPE_SLOTS));

    assertThat(decoder.decode(record("REMOVE", slots, null))).isInstanceOf(Change.Unrelated.class);
  }

  @Test
  void decode_aRunnerWritten_isARunnerChange() {
    Change change = decoder.decode(record("INSERT", null, JobsTable.runnerItem(runner(false))));

    assertThat(change).isInstanceOf(Change.RunnerChanged.class);
  }

  private static DynamodbEvent.DynamodbStreamRecord record(
      String eventName,
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> oldImage,
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> newImage) {
    StreamRecord stream = new StreamRecord();
    stream.setSequenceNumber("100");
    stream.setStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
    if (oldImage != null) {
      stream.setOldImage(lambda(oldImage));
    }
    if (newImage != null) {
      stream.setNewImage(lambda(newImage));
    }
    DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
    record.setEventName(eventName);
    record.setDynamodb(stream);
    return record;
  }

  /** The item as the Lambda event model carries it. */
  private static Map<String, AttributeValue> lambda(
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    item.forEach((name, value) -> out.put(name, lambda(value)));
    return out;
  }

  private static AttributeValue lambda(
      software.amazon.awssdk.services.dynamodb.model.AttributeValue value) {
    AttributeValue out = new AttributeValue();
    if (value.s() != null) {
      out.setS(value.s());
    } else if (value.n() != null) {
      out.setN(value.n());
    } else if (value.bool() != null) {
      out.setBOOL(value.bool());
    } else if (Boolean.TRUE.equals(value.nul())) {
      out.setNULL(true);
    } else if (value.hasL()) {
      out.setL(value.l().stream().map(StreamDecoderTest::lambda).toList());
    } else if (value.hasM()) {
      out.setM(lambda(value.m()));
    } else if (value.hasSs()) {
      out.setSS(List.copyOf(value.ss()));
    }
    return out;
  }
}
