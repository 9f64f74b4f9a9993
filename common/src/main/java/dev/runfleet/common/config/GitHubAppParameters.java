package dev.runfleet.common.config;

import java.util.List;

/**
 * The names of the GitHub App's credentials in SSM Parameter Store: written by {@code runfleet
 * setup github-app}, read by the functions, and the defaults of the Terraform module's {@code
 * github_app} (output {@code github_app_parameters}). These names are a contract: change them in
 * all three places or nowhere.
 *
 * <pre>
 * /runfleet-github/{stage}/app-id           String        the App's numeric id
 * /runfleet-github/{stage}/webhook-secret   SecureString  the webhook secret GitHub signs deliveries with
 * /runfleet-github/{stage}/private-key      SecureString  the App's private key (PEM)
 * </pre>
 *
 * They live outside {@link RuntimeParameters#prefix} so that reading the tuning parameters by path
 * never reads a secret.
 */
public final class GitHubAppParameters {

  private GitHubAppParameters() {}

  /** The common prefix, ending in a slash: {@code /runfleet-github/{stage}/}. */
  public static String prefix(String stage) {
    return "/runfleet-github/" + stage + "/";
  }

  public static String appId(String stage) {
    return prefix(stage) + "app-id";
  }

  public static String webhookSecret(String stage) {
    return prefix(stage) + "webhook-secret";
  }

  public static String privateKey(String stage) {
    return prefix(stage) + "private-key";
  }

  /** All three names, in the order above. */
  public static List<String> all(String stage) {
    return List.of(appId(stage), webhookSecret(stage), privateKey(stage));
  }
}
