package dev.runfleet.local.aws;

import java.net.URI;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Reports each call of every SDK client in this JVM to {@link AwsCallCounts} (the SDK builds every
 * client with the interceptors listed in {@code
 * software/amazon/awssdk/global/handlers/execution.interceptors}). Without a count running it does
 * nothing but read one field.
 */
public final class AwsCallCountInterceptor implements ExecutionInterceptor {

  @Override
  @SuppressWarnings("deprecation")
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    URI endpoint = attributes.getAttribute(SdkExecutionAttribute.CLIENT_ENDPOINT);
    AwsCallCounts.called(
        endpoint,
        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }
}
