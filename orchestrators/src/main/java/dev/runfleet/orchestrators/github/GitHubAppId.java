package dev.runfleet.orchestrators.github;

import dev.runfleet.aws.AwsErrors;
import dev.runfleet.aws.ParameterStore;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The GitHub App's id: given in the configuration, or kept in an SSM String parameter that {@code
 * runfleet setup github-app} writes once the App exists (a deployment made before the App cannot
 * know it). Read once, at cold start.
 */
public sealed interface GitHubAppId {

  /**
   * The id, reading the parameter if it is kept in one (the client is only asked for then).
   *
   * @throws IllegalStateException naming the parameter and the way to fill it, when it is missing
   *     or holds no positive whole number: the function cannot act as the App without it
   */
  long resolve(Supplier<ParameterStore> ssm);

  /** The id as configured. */
  record Given(long id) implements GitHubAppId {
    public Given {
      if (id <= 0) {
        throw new IllegalArgumentException("a GitHub App id is positive, got " + id);
      }
    }

    @Override
    public long resolve(Supplier<ParameterStore> ssm) {
      return id;
    }
  }

  /** The id in an SSM String parameter, by name or ARN. */
  record InParameter(String name) implements GitHubAppId {
    /** An SSM parameter name, or its ARN. */
    public static final Pattern NAME =
        Pattern.compile(
            "(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\\d{12}:parameter)?/?[A-Za-z0-9_.\\-/]{1,1011}");

    public InParameter {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not an SSM parameter name or ARN: " + name);
      }
    }

    @Override
    public long resolve(Supplier<ParameterStore> ssm) {
      String value;
      try {
        value =
            ssm.get()
                .get(name, false)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the GitHub App id could not be read from SSM parameter "
                                + name
                                + " (it does not exist): create the App with 'runfleet setup"
                                + " github-app', which writes it"));
      } catch (SdkException e) {
        throw new IllegalStateException(
            "the GitHub App id could not be read from SSM parameter "
                + name
                + " ("
                + AwsErrors.describe(e)
                + "): create the App with 'runfleet setup github-app', which writes it",
            e);
      }
      try {
        long id = Long.parseLong(value.trim());
        if (id > 0) {
          return id;
        }
      } catch (NumberFormatException e) {
        // Reported below with the parameter's name; the value itself is not echoed.
      }
      throw new IllegalStateException(
          "SSM parameter " + name + " must hold the GitHub App's id, a positive whole number");
    }
  }
}
