package dev.runfleet.producer.adapter;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.ParameterStore;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;

/** Reads SecureString parameters, decrypted; used once at cold start for the webhook secrets. */
public final class SsmParameterReader implements UnaryOperator<String> {

  private final ParameterStore ssm;

  public SsmParameterReader(ParameterStore ssm) {
    this.ssm = ssm;
  }

  /**
   * @throws IllegalStateException naming the parameter (never its value) when it cannot be read:
   *     the function must not start without its secret
   */
  @Override
  public String apply(String parameterName) {
    try {
      return ssm.get(parameterName, true)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "cannot read SSM parameter " + parameterName + ": it does not exist"));
    } catch (SdkException e) {
      throw new IllegalStateException(
          "cannot read SSM parameter " + parameterName + ": " + AwsErrors.describe(e), e);
    }
  }
}
