package dev.runfleet.orchestrators;

import dev.runfleet.common.config.Env;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.orchestrators.github.GitHubAppId;
import dev.runfleet.orchestrators.host.HostSettings;
import dev.runfleet.orchestrators.host.SpotMode;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an orchestrator needs in AWS beyond {@link OrchestratorConfig}: the GitHub App, where JIT
 * configs are handed over, and the host kind's launch settings. Read once at cold start and
 * validated whole; the local runtime with simulated hosts needs none of it.
 *
 * @param base table, platform, lease and SDK settings
 * @param gitHubAppId the GitHub App's id, given or read from an SSM parameter at cold start
 * @param privateKeyArn Secrets Manager secret or SSM SecureString parameter holding the App's key
 * @param gitHubApiUrl https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server
 * @param runnerGroupId the runner group JIT runners join
 * @param jitSecretPrefix Secrets Manager name prefix for hand-over secrets
 * @param jitKmsKeyId the KMS key hand-over secrets are encrypted with; null for the AWS-managed key
 * @param runnerRoleId the unique id (AROA...) of the platform's runner role: hand-over secrets are
 *     bound to {@code <runnerRoleId>:<host session>}, the host's {@code aws:userid}
 * @param host the host kind's launch settings
 */
public record AwsHostConfig(
    OrchestratorConfig base,
    GitHubAppId gitHubAppId,
    String privateKeyArn,
    URI gitHubApiUrl,
    long runnerGroupId,
    String jitSecretPrefix,
    String jitKmsKeyId,
    String runnerRoleId,
    HostSettings host) {

  public static final String ENV_GITHUB_APP_ID = "RUNFLEET_GITHUB_APP_ID";
  public static final String ENV_GITHUB_APP_ID_PARAMETER = "RUNFLEET_GITHUB_APP_ID_PARAMETER";
  public static final String ENV_GITHUB_PRIVATE_KEY_ARN = "RUNFLEET_GITHUB_PRIVATE_KEY_ARN";
  public static final String ENV_GITHUB_API_URL = "RUNFLEET_GITHUB_API_URL";
  public static final String ENV_GITHUB_RUNNER_GROUP_ID = "RUNFLEET_GITHUB_RUNNER_GROUP_ID";
  public static final String ENV_JIT_SECRET_PREFIX = "RUNFLEET_JIT_SECRET_PREFIX";
  public static final String ENV_JIT_KMS_KEY_ID = "RUNFLEET_JIT_KMS_KEY_ID";
  public static final String ENV_RUNNER_ROLE_ID = "RUNFLEET_RUNNER_ROLE_ID";
  public static final String ENV_SPOT_MODE = "RUNFLEET_SPOT_MODE";
  public static final String ENV_SUBNETS = "RUNFLEET_SUBNETS";
  public static final String ENV_ECS_CLUSTER = "RUNFLEET_ECS_CLUSTER";
  public static final String ENV_ECS_TASK_DEFINITION = "RUNFLEET_ECS_TASK_DEFINITION";
  public static final String ENV_ECS_SECURITY_GROUPS = "RUNFLEET_ECS_SECURITY_GROUPS";
  public static final String ENV_ECS_ASSIGN_PUBLIC_IP = "RUNFLEET_ECS_ASSIGN_PUBLIC_IP";
  public static final String ENV_EC2_LAUNCH_TEMPLATE = "RUNFLEET_EC2_LAUNCH_TEMPLATE";
  public static final String ENV_EC2_INSTANCE_TYPES = "RUNFLEET_EC2_INSTANCE_TYPES";

  // IAM unique ids: four letters (AROA for roles), then upper-case letters and digits.
  private static final Pattern ROLE_ID = Pattern.compile("AROA[A-Z0-9]{12,124}");
  private static final Pattern SECRET_PREFIX = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,200}");

  /** Keys only Fargate orchestrators read. */
  public static final List<String> ECS_KEYS =
      List.of(
          ENV_ECS_CLUSTER,
          ENV_ECS_TASK_DEFINITION,
          ENV_ECS_SECURITY_GROUPS,
          ENV_ECS_ASSIGN_PUBLIC_IP);

  /** Keys only EC2 orchestrators read. */
  public static final List<String> EC2_KEYS =
      List.of(ENV_EC2_LAUNCH_TEMPLATE, ENV_EC2_INSTANCE_TYPES);

  /**
   * Reads and validates the whole configuration; every problem in one exception. The keys of the
   * other host kind are not read.
   */
  public static AwsHostConfig from(
      Map<String, String> environment, String defaultPlatform, HostKind hostKind) {
    OrchestratorConfig base = null;
    String baseProblems = null;
    try {
      base = OrchestratorConfig.from(environment, defaultPlatform);
    } catch (Env.ConfigException e) {
      baseProblems = e.getMessage();
    }
    Env env = new Env(environment);
    if (baseProblems != null) {
      env.problem(baseProblems);
    }
    String stage = base == null ? "dev" : base.stage();
    GitHubApp app = gitHubApp(env);
    GitHubAppId appId = app.appId();
    String keyArn = app.privateKeyArn();
    URI apiUrl = app.apiUrl();
    long group =
        positiveLong(
            env, ENV_GITHUB_RUNNER_GROUP_ID, env.optional(ENV_GITHUB_RUNNER_GROUP_ID, "1"));
    String prefix = env.required(ENV_JIT_SECRET_PREFIX);
    if (!prefix.isEmpty() && !SECRET_PREFIX.matcher(prefix).matches()) {
      env.problem(ENV_JIT_SECRET_PREFIX + " must be a Secrets Manager name prefix");
    }
    String kms = env.optional(ENV_JIT_KMS_KEY_ID).orElse(null);
    String roleId = env.required(ENV_RUNNER_ROLE_ID);
    if (!roleId.isEmpty() && !ROLE_ID.matcher(roleId).matches()) {
      env.problem(ENV_RUNNER_ROLE_ID + " must be an IAM role's unique id (AROA...)");
    }
    SpotMode spot = SpotMode.SPOT_PREFERRED;
    try {
      spot = SpotMode.parse(env.optional(ENV_SPOT_MODE, SpotMode.SPOT_PREFERRED.configName()));
    } catch (IllegalArgumentException e) {
      env.problem(ENV_SPOT_MODE + ": " + e.getMessage());
    }
    List<String> subnets = list(env.optional(ENV_SUBNETS, ""));
    HostSettings host = null;
    if (hostKind == HostKind.ECS_FARGATE) {
      String cluster = env.required(ENV_ECS_CLUSTER);
      String taskDefinition = env.required(ENV_ECS_TASK_DEFINITION);
      List<String> groups = list(env.optional(ENV_ECS_SECURITY_GROUPS, ""));
      String publicIp = env.optional(ENV_ECS_ASSIGN_PUBLIC_IP, "false");
      if (!publicIp.equals("true") && !publicIp.equals("false")) {
        env.problem(ENV_ECS_ASSIGN_PUBLIC_IP + " must be true or false");
      }
      if (subnets.isEmpty()) {
        env.problem(ENV_SUBNETS + " must name at least one subnet for Fargate");
      }
      if (!cluster.isEmpty() && !taskDefinition.isEmpty() && !subnets.isEmpty()) {
        host =
            new HostSettings.Ecs(
                stage, spot, cluster, taskDefinition, subnets, groups, publicIp.equals("true"));
      }
    } else {
      String template = env.required(ENV_EC2_LAUNCH_TEMPLATE);
      List<String> types = list(env.required(ENV_EC2_INSTANCE_TYPES));
      if (!template.isEmpty() && !types.isEmpty()) {
        host = new HostSettings.Ec2(stage, spot, template, types, subnets);
      }
    }
    env.validate("orchestrator (" + hostKind + ")");
    return new AwsHostConfig(base, appId, keyArn, apiUrl, group, prefix, kms, roleId, host);
  }

  /** How a function reaches the GitHub App: its id, its key, and the API's base URL. */
  public record GitHubApp(GitHubAppId appId, String privateKeyArn, URI apiUrl) {}

  /**
   * Reads the App's keys ({@code RUNFLEET_GITHUB_APP_ID} or {@code _PARAMETER}, {@code
   * RUNFLEET_GITHUB_PRIVATE_KEY_ARN}, {@code RUNFLEET_GITHUB_API_URL}), recording problems in
   * {@code env}: the orchestrators and the reconciler read them alike.
   */
  public static GitHubApp gitHubApp(Env env) {
    GitHubAppId appId = appId(env);
    String keyArn = env.required(ENV_GITHUB_PRIVATE_KEY_ARN);
    if (!keyArn.isEmpty()
        && !keyArn.matches("arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\\d{12}:.+")) {
      env.problem(
          ENV_GITHUB_PRIVATE_KEY_ARN + " must be a Secrets Manager secret or SSM parameter ARN");
    }
    // The installation token travels in every call.
    URI apiUrl = env.httpsUrl(ENV_GITHUB_API_URL, "https://api.github.com");
    return new GitHubApp(appId, keyArn, apiUrl);
  }

  /**
   * Where the App's id comes from: {@code RUNFLEET_GITHUB_APP_ID} itself, or the SSM String
   * parameter {@code RUNFLEET_GITHUB_APP_ID_PARAMETER} names ({@code runfleet setup github-app}
   * writes it after the stack exists, so Terraform cannot know the id). Exactly one of the two.
   */
  public static GitHubAppId appId(Env env) {
    Optional<String> given = env.optional(ENV_GITHUB_APP_ID);
    Optional<String> parameter = env.optional(ENV_GITHUB_APP_ID_PARAMETER);
    if (given.isPresent() == parameter.isPresent()) {
      env.problem(
          "exactly one of "
              + ENV_GITHUB_APP_ID
              + " and "
              + ENV_GITHUB_APP_ID_PARAMETER
              + " must be set");
      return null;
    }
    if (parameter.isPresent()) {
      if (!GitHubAppId.InParameter.NAME.matcher(parameter.get()).matches()) {
        env.problem(ENV_GITHUB_APP_ID_PARAMETER + " must be an SSM parameter name or ARN");
        return null;
      }
      return new GitHubAppId.InParameter(parameter.get());
    }
    long id = positiveLong(env, ENV_GITHUB_APP_ID, given.get());
    return id > 0 ? new GitHubAppId.Given(id) : null;
  }

  private static long positiveLong(Env env, String key, String raw) {
    if (raw.isEmpty()) {
      return 0;
    }
    try {
      long value = Long.parseLong(raw);
      if (value <= 0) {
        env.problem(key + " must be a positive number");
      }
      return value;
    } catch (NumberFormatException e) {
      env.problem(key + " is not a number");
      return 0;
    }
  }

  static List<String> list(String raw) {
    return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
