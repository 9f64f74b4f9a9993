package dev.runfleet.publisher;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.PlatformCatalog;
import java.time.Duration;
import java.util.Map;

/**
 * The publisher's configuration, read once from the environment and validated whole.
 *
 * @param table the jobs table
 * @param topicArn the {@code runner-commands} SNS topic
 * @param platforms platforms in routing order, with their default caps
 * @param globalCap max runners in flight across all platforms
 * @param maxLaunchAttempts runners requested on one job's account before a failing launch is given
 *     up
 * @param runnerIdleTimeout how long a runner without a job waits for work before the sweep tears it
 *     down
 * @param maxCapPerPlatform the ceiling over any platform's cap, whatever the parameters say
 * @param maxLaunchRate the ceiling over the launch rate (per second) and its burst
 * @param wakeUpQueueUrl the queue whose delayed messages wake the publisher when the launch budget
 *     refills; null when not deployed (the periodic sweep then dispatches what the budget held
 *     back)
 * @param aws SDK client settings
 */
public record PublisherConfig(
    String table,
    String topicArn,
    PlatformCatalog platforms,
    int globalCap,
    int maxLaunchAttempts,
    String stage,
    int parameterCacheSeconds,
    Duration runnerIdleTimeout,
    int maxCapPerPlatform,
    int maxLaunchRate,
    String wakeUpQueueUrl,
    AwsSettings aws) {

  public static final String ENV_TABLE = "RUNFLEET_TABLE";
  public static final String ENV_TOPIC_ARN = "RUNFLEET_TOPIC_ARN";
  public static final String ENV_PLATFORMS = "RUNFLEET_PLATFORMS";
  public static final String ENV_GLOBAL_CAP = "RUNFLEET_GLOBAL_CAP";
  public static final String ENV_MAX_LAUNCH_ATTEMPTS = "RUNFLEET_MAX_LAUNCH_ATTEMPTS";
  public static final String ENV_STAGE = "RUNFLEET_STAGE";
  public static final String ENV_PARAMETER_CACHE_SECONDS = "RUNFLEET_PARAMETER_CACHE_SECONDS";
  public static final String ENV_RUNNER_IDLE_SECONDS = "RUNFLEET_RUNNER_IDLE_SECONDS";
  public static final int MIN_RUNNER_IDLE_SECONDS = 60;
  public static final int MAX_RUNNER_IDLE_SECONDS = 86_400;
  public static final String ENV_MAX_CAP_PER_PLATFORM = "RUNFLEET_MAX_CAP_PER_PLATFORM";
  public static final String ENV_MAX_LAUNCH_RATE = "RUNFLEET_MAX_LAUNCH_RATE";
  public static final String ENV_WAKE_UP_QUEUE_URL = "RUNFLEET_WAKE_UP_QUEUE_URL";

  public static PublisherConfig from(Map<String, String> environment) {
    Env env = new Env(environment);
    String table = env.required(ENV_TABLE);
    String topic = env.required(ENV_TOPIC_ARN);
    PlatformCatalog platforms = PlatformCatalog.defaults();
    try {
      platforms = env.optional(ENV_PLATFORMS).map(PlatformCatalog::fromJson).orElse(platforms);
    } catch (IllegalArgumentException e) {
      env.problem(ENV_PLATFORMS + ": " + e.getMessage());
    }
    int globalCap = env.integer(ENV_GLOBAL_CAP, 100, 0, 100_000);
    int attempts = env.integer(ENV_MAX_LAUNCH_ATTEMPTS, 3, 1, 100);
    String stage = RuntimeParameters.stage(env, ENV_STAGE);
    int cacheSeconds = RuntimeParameters.cacheSeconds(env, ENV_PARAMETER_CACHE_SECONDS);
    int idleSeconds =
        env.integer(ENV_RUNNER_IDLE_SECONDS, 600, MIN_RUNNER_IDLE_SECONDS, MAX_RUNNER_IDLE_SECONDS);
    int maxCap = env.integer(ENV_MAX_CAP_PER_PLATFORM, 1000, 0, 100_000);
    int maxRate = env.integer(ENV_MAX_LAUNCH_RATE, 20, 1, 1000);
    String wakeUpQueue = env.optional(ENV_WAKE_UP_QUEUE_URL).orElse(null);
    AwsSettings aws = AwsSettings.from(env);
    env.validate("publisher");
    return new PublisherConfig(
        table,
        topic,
        platforms,
        globalCap,
        attempts,
        stage,
        cacheSeconds,
        Duration.ofSeconds(idleSeconds),
        maxCap,
        maxRate,
        wakeUpQueue,
        aws);
  }
}
