package dev.runfleet.producer.adapter;

import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** Reads SecureString parameters, decrypted; used once at cold start for the webhook secrets. */
public final class SsmParameterReader implements UnaryOperator<String> {

  private final SsmClient ssm;

  public SsmParameterReader(SsmClient ssm) {
    this.ssm = ssm;
  }

  /**
   * @throws IllegalStateException naming the parameter (never its value) when it cannot be read:
   *     the function must not start without its secret
   */
  @Override
  public String apply(String parameterName) {
    try {
      return ssm.getParameter(
              GetParameterRequest.builder().name(parameterName).withDecryption(true).build())
          .parameter()
          .value();
    } catch (SsmException e) {
      throw new IllegalStateException(
          "cannot read SSM parameter " + parameterName + ": " + e.getMessage(), e);
    }
  }
}
