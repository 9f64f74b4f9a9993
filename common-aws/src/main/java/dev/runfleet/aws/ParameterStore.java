package dev.runfleet.aws;

import java.util.Map;
import java.util.Optional;

/**
 * SSM Parameter Store as the functions use it: read one parameter, read a tree, write one String.
 * Failures are {@link software.amazon.awssdk.core.exception.SdkException}s, read through {@link
 * AwsErrors} like every other AWS failure; a parameter that does not exist is an empty answer, not
 * a failure.
 */
public interface ParameterStore {

  /**
   * The parameter's value, decrypted when {@code decrypt} (SecureString); empty when there is no
   * such parameter.
   *
   * @param name the parameter's name or ARN
   */
  Optional<String> get(String name, boolean decrypt);

  /** Every parameter under {@code path}, at any depth, decrypted: full name to value. */
  Map<String, String> getByPath(String path);

  /** Writes {@code value} to the String parameter {@code name}, replacing any value it had. */
  void putString(String name, String value);
}
