package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.SnsCommandBus;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.contract.RunnerCommand;
import dev.runfleet.common.port.CommandBus;
import dev.runfleet.emulators.EmbeddedSqs;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeServer;
import dev.runfleet.emulators.sns.SnsEmulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class SnsEmulatorTest {

  private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  private static final List<String> PLATFORMS =
      List.of("fargate", "ec2-linux-x64", "ec2-linux-arm64");
  private static final AtomicInteger TEST_NUMBER = new AtomicInteger();

  private static EmbeddedSqs elasticMq;
  private static SqsClient sqs;
  private static SnsEmulator localSns;
  private static SnsClient sns;
  private static EdgeServer edge;

  private String topicArn;
  private Map<String, LocalQueues.PlatformQueue> queues;

  @BeforeAll
  static void startEmulators() {
    elasticMq = EmbeddedSqs.start(0);
    sqs = new AwsClients(elasticMq.settings()).configure(SqsClient.builder()).build();
    localSns = new SnsEmulator(sqs, "us-east-1");
    edge = EdgeServer.start(0, AwsEdge.of(localSns));
    sns =
        new AwsClients(AwsSettings.emulator(edge.endpoint()))
            .configure(SnsClient.builder())
            .build();
  }

  @AfterAll
  static void stopEmulators() {
    sns.close();
    edge.close();
    sqs.close();
    elasticMq.close();
  }

  @BeforeEach
  void topicWithOneSubscriptionPerPlatform() {
    String prefix = "sns" + TEST_NUMBER.incrementAndGet() + "-";
    topicArn = sns.createTopic(b -> b.name(prefix + "runner-commands")).topicArn();
    queues =
        LocalQueues.createAll(
            sqs, PLATFORMS, LocalQueues.Options.defaults().withNamePrefix(prefix));
    for (String platform : PLATFORMS) {
      localSns.subscribe(topicArn, FilterPolicies.load(platform), queues.get(platform).queueUrl());
    }
  }

  @Test
  void getTopicAttributes_answersTheArnAndItsSubscriptions_andNotFoundForAnUnknownTopic() {
    Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes();

    assertThat(attributes)
        .containsEntry("TopicArn", topicArn)
        .containsEntry("SubscriptionsConfirmed", Integer.toString(PLATFORMS.size()))
        .containsEntry("SubscriptionsPending", "0");
    assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn(topicArn + "-gone")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void publish_withPlatformAttribute_landsInThatPlatformsQueueOnly_withBodyAndAttributes() {
    String body =
        "{\"type\":\"spin-up\",\"version\":1,\"job\":\"42:1\",\"note\":\"a & b = <c> + é\"}";

    String messageId =
        sns.publish(
                b ->
                    b.topicArn(topicArn)
                        .message(body)
                        .messageAttributes(
                            Map.of(
                                "platform", string("ec2-linux-x64"),
                                "command", string("spin-up"))))
            .messageId();

    assertThat(messageId).isNotBlank();
    assertThat(depth("fargate")).isZero();
    assertThat(depth("ec2-linux-arm64")).isZero();
    Message delivered = receiveOne(queues.get("ec2-linux-x64").queueUrl());
    assertThat(delivered.body()).isEqualTo(body);
    assertThat(delivered.messageAttributes().get("platform").stringValue())
        .isEqualTo("ec2-linux-x64");
    assertThat(delivered.messageAttributes().get("platform").dataType()).isEqualTo("String");
    assertThat(delivered.messageAttributes().get("command").stringValue()).isEqualTo("spin-up");
    assertThat(localSns.stats().delivered(queues.get("ec2-linux-x64").queueUrl())).isEqualTo(1);
  }

  @Test
  void publishBatch_routesEachEntryToItsPlatformsQueue() {
    PublishBatchResponse response =
        sns.publishBatch(
            b ->
                b.topicArn(topicArn)
                    .publishBatchRequestEntries(
                        entry("a", "to fargate", "fargate"),
                        entry("b", "to arm", "ec2-linux-arm64"),
                        entry("c", "to arm again", "ec2-linux-arm64")));

    assertThat(response.failed()).isEmpty();
    assertThat(response.successful())
        .extracting(s -> s.id())
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(response.successful()).allSatisfy(s -> assertThat(s.messageId()).isNotBlank());
    assertThat(depth("fargate")).isEqualTo(1);
    assertThat(depth("ec2-linux-arm64")).isEqualTo(2);
    assertThat(depth("ec2-linux-x64")).isZero();
    Message fargate = receiveOne(queues.get("fargate").queueUrl());
    assertThat(fargate.body()).isEqualTo("to fargate");
    assertThat(fargate.messageAttributes().get("platform").stringValue()).isEqualTo("fargate");
  }

  @Test
  void publishBatch_withAnInvalidEntry_failsThatEntryOnly() {
    PublishBatchRequestEntry badNumber =
        PublishBatchRequestEntry.builder()
            .id("bad")
            .message("x")
            .messageAttributes(
                Map.of(
                    "platform", string("fargate"),
                    "priority",
                        MessageAttributeValue.builder()
                            .dataType("Number")
                            .stringValue("high")
                            .build()))
            .build();

    PublishBatchResponse response =
        sns.publishBatch(
            b ->
                b.topicArn(topicArn)
                    .publishBatchRequestEntries(entry("good", "ok", "fargate"), badNumber));

    assertThat(response.successful()).extracting(s -> s.id()).containsExactly("good");
    assertThat(response.failed()).hasSize(1);
    assertThat(response.failed().get(0).id()).isEqualTo("bad");
    assertThat(response.failed().get(0).senderFault()).isTrue();
    assertThat(response.failed().get(0).code()).isEqualTo("ParameterValueInvalid");
    assertThat(depth("fargate")).isEqualTo(1);
  }

  @Test
  void publish_matchedByNoSubscription_isDroppedAndCounted() {
    long unmatchedBefore = localSns.stats().unmatched();

    sns.publish(
        b ->
            b.topicArn(topicArn)
                .message("nobody wants this")
                .messageAttributes(Map.of("platform", string("windows-x64"))));
    sns.publish(b -> b.topicArn(topicArn).message("no attributes at all"));

    assertThat(localSns.stats().unmatched()).isEqualTo(unmatchedBefore + 2);
    for (String platform : PLATFORMS) {
      assertThat(depth(platform)).as(platform).isZero();
    }
  }

  @Test
  void publish_withStringArrayAttribute_matchesWhenAnyElementMatches() {
    sns.publish(
        b ->
            b.topicArn(topicArn)
                .message("array")
                .messageAttributes(
                    Map.of(
                        "platform",
                        MessageAttributeValue.builder()
                            .dataType("String.Array")
                            .stringValue("[\"windows\",\"ec2-linux-arm64\"]")
                            .build())));

    assertThat(depth("ec2-linux-arm64")).isEqualTo(1);
    assertThat(depth("fargate")).isZero();
  }

  @Test
  void subscribe_withInvalidFilterPolicy_isRefusedWithTheReason() {
    String queueUrl = queues.get("fargate").queueUrl();

    assertThatThrownBy(() -> localSns.subscribe(topicArn, "{\"platform\": \"fargate\"}", queueUrl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid filter policy")
        .hasMessageContaining("platform");
    assertThatThrownBy(() -> localSns.subscribe(topicArn, "{not json", queueUrl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid filter policy");
  }

  @Test
  void subscribe_toUnknownTopic_isRefused() {
    assertThatThrownBy(
            () ->
                localSns.subscribe(
                    localSns.topicArn("never-created"), null, queues.get("fargate").queueUrl()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no such topic");
  }

  @Test
  void publish_toUnknownTopic_answersNotFound() {
    assertThatThrownBy(
            () -> sns.publish(b -> b.topicArn(localSns.topicArn("never-created")).message("m")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void unknownAction_answersAnSnsErrorWith400() {
    assertThatThrownBy(() -> sns.listTopics())
        .isInstanceOfSatisfying(
            SnsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
            });
  }

  @Test
  void subscriptionWithoutFilterPolicy_receivesEverything() {
    String all =
        sqs.createQueue(b -> b.queueName("sns-all-" + TEST_NUMBER.incrementAndGet())).queueUrl();
    localSns.subscribe(topicArn, null, all);

    sns.publish(b -> b.topicArn(topicArn).message("anything"));

    assertThat(receiveOne(all).body()).isEqualTo("anything");
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static PublishBatchRequestEntry entry(String id, String body, String platform) {
    return PublishBatchRequestEntry.builder()
        .id(id)
        .message(body)
        .messageAttributes(Map.of("platform", string(platform)))
        .build();
  }

  @Test
  void snsCommandBus_publishAll_sendsTwelveCommandsAsTwoBatches_eachToItsPlatformsQueue() {
    List<RunnerCommand> commands = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      commands.add(
          RunnerCommand.TearDown.of("rf-ec2-linux-x64-" + i + "-1-1", "ec2-linux-x64", "done", T));
    }
    commands.add(RunnerCommand.TearDown.of("rf-fargate-99-1-1", "fargate", "done", T));
    long before = localSns.stats().published();

    List<CommandBus.Refused> refused =
        new SnsCommandBus(sns, topicArn, new CommandCodec()).publishAll(commands);

    assertThat(refused).isEmpty();
    assertThat(localSns.stats().published() - before).isEqualTo(12);
    assertThat(depth("ec2-linux-x64")).isEqualTo(11);
    assertThat(depth("fargate")).isEqualTo(1);
    assertThat(depth("ec2-linux-arm64")).isZero();
    Message one = receiveOne(queues.get("fargate").queueUrl());
    assertThat(one.body()).contains("rf-fargate-99-1-1");
    assertThat(one.messageAttributes().get("command").stringValue()).isEqualTo("tear-down");
  }

  @Test
  void snsCommandBus_publishAll_toATopicThatIsGone_refusesEveryCommandWithTheReason() {
    List<RunnerCommand> commands =
        List.of(
            RunnerCommand.TearDown.of("rf-fargate-1-1-1", "fargate", "done", T),
            RunnerCommand.TearDown.of("rf-fargate-2-1-1", "fargate", "done", T));

    List<CommandBus.Refused> refused =
        new SnsCommandBus(sns, topicArn + "-gone", new CommandCodec()).publishAll(commands);

    assertThat(refused).extracting(CommandBus.Refused::command).containsExactlyElementsOf(commands);
    assertThat(refused.get(0).reason()).contains("publish batch failed");
    assertThat(depth("fargate")).isZero();
  }

  private int depth(String platform) {
    return EmbeddedSqs.messages(sqs, queues.get(platform).queueUrl());
  }

  private static Message receiveOne(String queueUrl) {
    List<Message> messages =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageAttributeNames("All"))
            .messages();
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }
}
