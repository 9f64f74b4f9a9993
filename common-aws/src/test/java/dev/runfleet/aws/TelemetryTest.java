package dev.runfleet.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;

class TelemetryTest {

  private static final Context CONTEXT =
      (Context)
          Proxy.newProxyInstance(
              TelemetryTest.class.getClassLoader(),
              new Class<?>[] {Context.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "getAwsRequestId" -> "request-1";
                    case "getFunctionName" -> "runfleet-test";
                    case "getRemainingTimeInMillis", "getMemoryLimitInMB" -> 512;
                    default -> null;
                  });

  @Test
  void aBackendChosenBeforeTelemetry_isKept_andEachInvocationFlushesOnce() {
    List<String> calls = new ArrayList<>();
    Metrics recorded =
        (Metrics)
            Proxy.newProxyInstance(
                TelemetryTest.class.getClassLoader(),
                new Class<?>[] {Metrics.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "addMetric" -> calls.add(args[0] + "=" + args[1]);
                    case "setDefaultDimensions" ->
                        calls.add("dimensions " + ((DimensionSet) args[0]).getDimensions());
                    case "flush" -> calls.add("flush");
                    default -> {}
                  }
                  return null;
                });
    Telemetry.useMetrics(() -> recorded);

    Telemetry telemetry = new Telemetry("test");
    int answer =
        telemetry.invoke(
            CONTEXT,
            () -> {
              telemetry.count("Recorded");
              telemetry.millis("StoreMillis", 2.5);
              return 7;
            });

    assertThat(answer).isEqualTo(7);
    assertThat(calls)
        .containsExactly("dimensions {service=test}", "Recorded=1.0", "StoreMillis=2.5", "flush");
  }
}
