package dev.runfleet.orchestrators.hostevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.common.domain.HostKind;
import dev.runfleet.orchestrators.hostevents.HostEventParser.MalformedHostEventException;
import dev.runfleet.orchestrators.hostevents.HostEventParser.Parsed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Our model of the two events' detail, read from fixtures: the EC2 warning is AWS's documented
 * example (EC2 User Guide, "Spot Instance interruption notices"); the ECS events follow the
 * documented task state change example (ECS Developer Guide), with runfleet's names and the stop
 * codes of the three ends we act on.
 */
class HostEventParserTest {

  private final HostEventParser parser = new HostEventParser();

  static String fixture(String name) {
    try (InputStream in = HostEventParserTest.class.getResourceAsStream("/host-events/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HostEnd end(String fixture) {
    Parsed parsed = parser.parse(fixture(fixture));
    assertThat(parsed).isInstanceOf(Parsed.End.class);
    return ((Parsed.End) parsed).end();
  }

  @Test
  void spotWarning_isAnInterruptionOfTheInstance() {
    HostEnd end = end("ec2-spot-interruption-warning.json");

    assertThat(end.hostKind()).isEqualTo(HostKind.EC2);
    assertThat(end.hostId()).isEqualTo("i-1234567890abcdef0");
    assertThat(end.cause()).isEqualTo(HostEnd.Cause.SPOT_INTERRUPTION);
    assertThat(end.stopReason()).startsWith(HostEnd.SPOT_INTERRUPTED);
  }

  @Test
  void fargateSpotStop_isAnInterruptionOfTheTask_inItsCluster() {
    HostEnd end = end("ecs-task-stopped-spot-interruption.json");

    assertThat(end.hostKind()).isEqualTo(HostKind.ECS_FARGATE);
    assertThat(end.hostId())
        .isEqualTo(
            "arn:aws:ecs:us-west-2:111122223333:task/runfleet-dev-runners/b99d40b3-5176-4f71-9a52-9dbd6f1cebef");
    assertThat(end.cluster())
        .isEqualTo("arn:aws:ecs:us-west-2:111122223333:cluster/runfleet-dev-runners");
    assertThat(end.cause()).isEqualTo(HostEnd.Cause.SPOT_INTERRUPTION);
    assertThat(end.reason()).contains("Your Spot Task was interrupted.").contains("exit 143");
  }

  @Test
  void failedToStart_andContainerExit_areHostEndsThatAreNotInterruptions() {
    HostEnd failed = end("ecs-task-stopped-failed-to-start.json");
    HostEnd exited = end("ecs-task-stopped-container-exit.json");

    assertThat(failed.cause()).isEqualTo(HostEnd.Cause.FAILED_TO_START);
    assertThat(failed.reason()).contains("CannotPullContainerError");
    assertThat(exited.cause()).isEqualTo(HostEnd.Cause.CONTAINER_EXIT);
    assertThat(exited.stopReason()).startsWith("host-ended: EssentialContainerExited");
  }

  @Test
  void runningTask_andRunfleetsOwnStop_andOtherEvents_areIgnored() {
    assertThat(parser.parse(fixture("ecs-task-running.json"))).isInstanceOf(Parsed.Ignored.class);
    assertThat(parser.parse(fixture("ecs-task-stopped-by-runfleet.json")))
        .isInstanceOf(Parsed.Ignored.class);
    assertThat(parser.parse("{\"detail-type\":\"Scheduled Event\",\"detail\":{}}"))
        .isInstanceOf(Parsed.Ignored.class);
  }

  @Test
  void malformedEvents_areRefusedWithTheReason() {
    assertThatThrownBy(() -> parser.parse("not json"))
        .isInstanceOf(MalformedHostEventException.class);
    assertThatThrownBy(
            () ->
                parser.parse(
                    "{\"detail-type\":\"EC2 Spot Instance Interruption Warning\",\"detail\":{}}"))
        .isInstanceOf(MalformedHostEventException.class)
        .hasMessageContaining("instance-id");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"lastStatus\":\"STOPPED\"}}"))
        .isInstanceOf(MalformedHostEventException.class)
        .hasMessageContaining("taskarn");
  }
}
