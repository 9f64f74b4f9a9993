package dev.runfleet.local.setup;

import dev.runfleet.common.config.GitHubAppParameters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Keeps a new App's id and secrets in SSM Parameter Store under {@link GitHubAppParameters}: the id
 * as a String, the webhook secret and the private key as SecureStrings (the account's default KMS
 * key). A key above the standard tier's 4 KB goes to the advanced tier.
 */
public final class GitHubAppStore {

  /** The standard tier's limit on a value. */
  static final int STANDARD_TIER_MAX_BYTES = 4096;

  /** SSM said no; the message names the parameter and never holds a secret. */
  public static final class Failed extends Exception {
    Failed(String message) {
      super(message);
    }
  }

  private final SsmClient ssm;
  private final String stage;

  public GitHubAppStore(SsmClient ssm, String stage) {
    this.ssm = ssm;
    this.stage = stage;
  }

  /** Which of the three parameters already exist. */
  public List<String> existing() throws Failed {
    List<String> names = GitHubAppParameters.all(stage);
    try {
      // Names only: no decryption, no values.
      Set<String> found =
          ssm.getParameters(request -> request.names(names)).parameters().stream()
              .map(Parameter::name)
              .collect(Collectors.toSet());
      return names.stream().filter(found::contains).toList();
    } catch (SdkException e) {
      throw new Failed(
          "cannot read " + GitHubAppParameters.prefix(stage) + "*: " + describe(e, true));
    }
  }

  /**
   * Writes the three parameters, the id last, so that a present id means a complete set.
   *
   * @param overwrite replace existing values; without it an existing parameter is an error
   */
  public void store(CreatedApp app, boolean overwrite) throws Failed {
    String pem = app.pem();
    ParameterTier keyTier =
        pem.getBytes(StandardCharsets.UTF_8).length > STANDARD_TIER_MAX_BYTES
            ? ParameterTier.ADVANCED
            : ParameterTier.STANDARD;
    put(
        GitHubAppParameters.privateKey(stage),
        pem,
        ParameterType.SECURE_STRING,
        keyTier,
        overwrite,
        app);
    put(
        GitHubAppParameters.webhookSecret(stage),
        app.webhookSecret(),
        ParameterType.SECURE_STRING,
        ParameterTier.STANDARD,
        overwrite,
        app);
    put(
        GitHubAppParameters.appId(stage),
        Long.toString(app.id()),
        ParameterType.STRING,
        ParameterTier.STANDARD,
        overwrite,
        app);
  }

  private void put(
      String name,
      String value,
      ParameterType type,
      ParameterTier tier,
      boolean overwrite,
      CreatedApp app)
      throws Failed {
    try {
      ssm.putParameter(
          request ->
              request
                  .name(name)
                  .value(value)
                  .type(type)
                  .tier(tier)
                  .overwrite(overwrite)
                  .description(
                      "runfleet GitHub App " + app.slug() + " (runfleet setup github-app)"));
    } catch (SdkException e) {
      String reason = describe(e, false);
      for (String secret : List.of(app.pem(), app.webhookSecret())) {
        reason = reason.replace(secret, "***");
      }
      throw new Failed("cannot write " + name + ": " + reason);
    }
  }

  /**
   * AWS's error code, and its message where it cannot quote a value: validation messages may quote
   * the value sent, so after a write they are left out.
   */
  private static String describe(SdkException e, boolean messageIsSafe) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      boolean quotesValue = code != null && code.contains("Validation");
      return messageIsSafe || !quotesValue
          ? code + ": " + service.awsErrorDetails().errorMessage()
          : code;
    }
    return e.getClass().getSimpleName() + (messageIsSafe ? ": " + e.getMessage() : "");
  }
}
