package dev.runfleet.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalContextTest {

  @Test
  void eachContext_hasAFreshRequestId_andTheFunctionsIdentity() {
    LocalContext first = new LocalContext("publisher", Duration.ofSeconds(30));
    LocalContext second = new LocalContext("publisher", Duration.ofSeconds(30));

    assertThat(first.getAwsRequestId()).isNotBlank().isNotEqualTo(second.getAwsRequestId());
    assertThat(first.getFunctionName()).isEqualTo("publisher");
    assertThat(first.getInvokedFunctionArn())
        .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:publisher");
    assertThat(first.getLogGroupName()).isEqualTo("/aws/lambda/publisher");
    assertThat(first.getMemoryLimitInMB()).isPositive();
  }

  @Test
  void remainingTime_countsDownFromTheTimeout_andStopsAtZero() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    LocalContext context =
        new LocalContext("orchestrator", "eu-west-1", Duration.ofSeconds(10), clock);

    assertThat(context.getRemainingTimeInMillis()).isEqualTo(10_000);
    clock.now = clock.now.plusMillis(2_500);
    assertThat(context.getRemainingTimeInMillis()).isEqualTo(7_500);
    clock.now = clock.now.plusSeconds(60);
    assertThat(context.getRemainingTimeInMillis()).isZero();
    assertThat(context.getInvokedFunctionArn()).contains(":eu-west-1:");
  }

  @Test
  void logger_acceptsEveryLevelAndBytes() {
    LocalContext context = new LocalContext("producer", Duration.ofSeconds(3));

    for (LogLevel level : LogLevel.values()) {
      context.getLogger().log("line at " + level + "\n", level);
    }
    context.getLogger().log("bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(context.getLogger()).isNotNull();
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
