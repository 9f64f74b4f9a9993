package dev.runfleet.local.chaos;

import java.net.URI;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Injects {@link AwsFaults} into the SDK clients of this JVM, at the narrowest seam the handlers
 * have: their own SDK clients, which the SDK builds with every interceptor listed in {@code
 * software/amazon/awssdk/global/handlers/execution.interceptors}. Only calls to an endpoint with
 * faults injected are touched; without a chaos run it does nothing. Both faults surface as the
 * SDK's own client-side failure (as a reset connection or a process that dies would), which every
 * adapter reads as transient.
 */
public final class AwsFaultInterceptor implements ExecutionInterceptor {

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    AwsFaults.at(endpoint(attributes))
        .flatMap(faults -> faults.beforeSend(service(attributes), operation(attributes)))
        .ifPresent(kind -> fail("Unable to execute HTTP request: connection reset", kind));
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    AwsFaults.at(endpoint(attributes))
        .flatMap(faults -> faults.afterSuccess(service(attributes), operation(attributes)))
        .ifPresent(
            kind -> fail("the caller died after " + operation(attributes) + " took effect", kind));
  }

  private static void fail(String what, String kind) {
    throw SdkClientException.create(what + " (chaos: " + kind + ")");
  }

  @SuppressWarnings("deprecation")
  private static URI endpoint(ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.CLIENT_ENDPOINT);
  }

  private static String service(ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
  }

  private static String operation(ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }
}
