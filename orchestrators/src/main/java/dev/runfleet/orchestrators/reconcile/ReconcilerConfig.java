package dev.runfleet.orchestrators.reconcile;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.orchestrators.AwsHostConfig;
import java.time.Duration;
import java.util.Map;

/**
 * The reconciler's configuration, read once and validated whole.
 *
 * @param table the jobs table
 * @param topicArn the runner-commands topic its spin-ups and tear-downs go to
 * @param platforms every platform, with its host kind
 * @param stage names the runtime parameters {@code /runfleet/{stage}/reconcile/...}
 * @param parameterCache how long a runtime parameter read is reused
 * @param settings thresholds and deadlines
 * @param redelivery how far the first scan of the App's delivery log looks back, and how many
 *     redeliveries a pass asks for
 * @param ecsCluster the Fargate runners' cluster, or null when no platform runs on Fargate
 * @param gitHubApp how to reach the GitHub App, or null where GitHub is simulated (no App keys set)
 * @param aws SDK client settings
 */
public record ReconcilerConfig(
    String table,
    String topicArn,
    PlatformCatalog platforms,
    String stage,
    Duration parameterCache,
    ReconcileSettings settings,
    LostWebhooks.Settings redelivery,
    String ecsCluster,
    AwsHostConfig.GitHubApp gitHubApp,
    AwsSettings aws) {

  public static final String ENV_TABLE = "RUNFLEET_TABLE";
  public static final String ENV_TOPIC_ARN = "RUNFLEET_TOPIC_ARN";
  public static final String ENV_PLATFORMS = "RUNFLEET_PLATFORMS";
  public static final String ENV_STAGE = "RUNFLEET_STAGE";
  public static final String ENV_PARAMETER_CACHE_SECONDS = "RUNFLEET_PARAMETER_CACHE_SECONDS";
  public static final String ENV_ECS_CLUSTER = "RUNFLEET_ECS_CLUSTER";
  public static final String ENV_JOB_STUCK_SECONDS = "RUNFLEET_JOB_STUCK_SECONDS";
  public static final String ENV_SPIN_UP_DEADLINE_SECONDS = "RUNFLEET_SPIN_UP_DEADLINE_SECONDS";
  public static final String ENV_BOOT_DEADLINE_EC2_SECONDS = "RUNFLEET_BOOT_DEADLINE_EC2_SECONDS";
  public static final String ENV_BOOT_DEADLINE_FARGATE_SECONDS =
      "RUNFLEET_BOOT_DEADLINE_FARGATE_SECONDS";
  public static final String ENV_MAX_RUNNER_SECONDS = "RUNFLEET_MAX_RUNNER_SECONDS";
  public static final String ENV_BUSY_GRACE_SECONDS = "RUNFLEET_BUSY_GRACE_SECONDS";

  // The App's keys, as the orchestrators read them (AwsHostConfig.gitHubApp parses them).
  public static final String ENV_GITHUB_APP_ID = "RUNFLEET_GITHUB_APP_ID";
  public static final String ENV_GITHUB_APP_ID_PARAMETER = "RUNFLEET_GITHUB_APP_ID_PARAMETER";
  public static final String ENV_GITHUB_PRIVATE_KEY_ARN = "RUNFLEET_GITHUB_PRIVATE_KEY_ARN";
  public static final String ENV_GITHUB_API_URL = "RUNFLEET_GITHUB_API_URL";

  public static final String ENV_REDELIVERY_LOOKBACK_SECONDS =
      "RUNFLEET_REDELIVERY_LOOKBACK_SECONDS";
  public static final String ENV_REDELIVERIES_PER_PASS = "RUNFLEET_REDELIVERIES_PER_PASS";

  /** The publisher's key: the reconciler gives a job up after as many dispatches. */
  public static final String ENV_MAX_LAUNCH_ATTEMPTS = "RUNFLEET_MAX_LAUNCH_ATTEMPTS";

  public static ReconcilerConfig from(Map<String, String> environment) {
    Env env = new Env(environment);
    String table = env.required(ENV_TABLE);
    String topic = env.required(ENV_TOPIC_ARN);
    PlatformCatalog platforms = PlatformCatalog.defaults();
    try {
      platforms =
          env.optional(ENV_PLATFORMS)
              .map(PlatformCatalog::fromJson)
              .orElse(PlatformCatalog.defaults());
    } catch (IllegalArgumentException e) {
      env.problem(ENV_PLATFORMS + ": " + e.getMessage());
    }
    String stage = RuntimeParameters.stage(env, ENV_STAGE);
    int cacheSeconds = RuntimeParameters.cacheSeconds(env, ENV_PARAMETER_CACHE_SECONDS);
    ReconcileSettings d = ReconcileSettings.defaults();
    ReconcileSettings settings =
        new ReconcileSettings(
            seconds(env, ENV_JOB_STUCK_SECONDS, d.jobStuckAfter(), 86_400),
            seconds(env, ENV_SPIN_UP_DEADLINE_SECONDS, d.spinUpDeadline(), 86_400),
            seconds(env, ENV_BOOT_DEADLINE_EC2_SECONDS, d.bootDeadlineEc2(), 86_400),
            seconds(env, ENV_BOOT_DEADLINE_FARGATE_SECONDS, d.bootDeadlineFargate(), 86_400),
            seconds(env, ENV_MAX_RUNNER_SECONDS, d.maxLifetime(), 7 * 86_400),
            seconds(env, ENV_BUSY_GRACE_SECONDS, d.busyGrace(), 86_400),
            env.integer(ENV_MAX_LAUNCH_ATTEMPTS, d.maxDispatches(), 1, 100),
            d.pageSize());
    LostWebhooks.Settings r = LostWebhooks.Settings.defaults();
    LostWebhooks.Settings redelivery =
        new LostWebhooks.Settings(
            seconds(
                env,
                ENV_REDELIVERY_LOOKBACK_SECONDS,
                r.firstLookback(),
                (int) LostWebhooks.REDELIVERY_WINDOW.toSeconds()),
            env.integer(ENV_REDELIVERIES_PER_PASS, r.maxPerPass(), 0, 100));
    String cluster = env.optional(ENV_ECS_CLUSTER).orElse(null);
    // Without any App key GitHub is not the real one (the local runtime brings its simulation).
    boolean realGitHub =
        env.optional(ENV_GITHUB_APP_ID).isPresent()
            || env.optional(ENV_GITHUB_APP_ID_PARAMETER).isPresent()
            || env.optional(ENV_GITHUB_PRIVATE_KEY_ARN).isPresent();
    AwsHostConfig.GitHubApp app = realGitHub ? AwsHostConfig.gitHubApp(env) : null;
    AwsSettings aws = null;
    try {
      aws = AwsSettings.from(env);
    } catch (IllegalArgumentException e) {
      env.problem("AWS settings: " + e.getMessage());
    }
    env.validate("reconciler");
    return new ReconcilerConfig(
        table,
        topic,
        platforms,
        stage,
        Duration.ofSeconds(cacheSeconds),
        settings,
        redelivery,
        cluster,
        app,
        aws);
  }

  private static Duration seconds(Env env, String key, Duration byDefault, int max) {
    return Duration.ofSeconds(env.integer(key, (int) byDefault.toSeconds(), 1, max));
  }

  /** For the one log line at cold start: no secret is part of this configuration. */
  @Override
  public String toString() {
    return "table="
        + table
        + " stage="
        + stage
        + " platforms="
        + platforms.names()
        + " settings="
        + settings
        + " redelivery="
        + redelivery
        + " ecsCluster="
        + ecsCluster
        + " gitHubApi="
        + (gitHubApp == null ? "simulated" : gitHubApp.apiUrl());
  }
}
