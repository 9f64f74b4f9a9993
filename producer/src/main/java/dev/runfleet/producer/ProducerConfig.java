package dev.runfleet.producer;

import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The producer's configuration, read once from the environment and validated as a whole.
 *
 * @param table the jobs table
 * @param webhookSecret where the current webhook secret comes from
 * @param previousWebhookSecret the secret being rotated out, accepted until it is removed
 * @param platforms the platforms jobs are routed to
 * @param maxBodyBytes the largest webhook body accepted (GitHub caps payloads at 25 MB, API Gateway
 *     at 10 MB)
 * @param stage names the runtime parameters {@code /runfleet/{stage}/...}; the producer reads the
 *     allow-list
 * @param parameterCache how long a runtime parameter read is reused
 * @param maxEventAge a queued event whose job is older than this is refused as stale
 * @param hookRangesParameter the SSM parameter holding GitHub's hook ranges, when the front door
 *     refuses callers outside them; empty (the default): no source check
 * @param aws how SDK clients are built
 */
public record ProducerConfig(
    String table,
    SecretSource webhookSecret,
    Optional<SecretSource> previousWebhookSecret,
    PlatformCatalog platforms,
    int maxBodyBytes,
    String stage,
    Duration parameterCache,
    Duration maxEventAge,
    Optional<String> hookRangesParameter,
    AwsSettings aws) {

  public static final String ENV_TABLE = "RUNFLEET_TABLE";
  public static final String ENV_WEBHOOK_SECRET = "RUNFLEET_WEBHOOK_SECRET";
  public static final String ENV_WEBHOOK_SECRET_PARAM = "RUNFLEET_WEBHOOK_SECRET_PARAM";
  public static final String ENV_WEBHOOK_SECRET_PREVIOUS = "RUNFLEET_WEBHOOK_SECRET_PREVIOUS";
  public static final String ENV_WEBHOOK_SECRET_PREVIOUS_PARAM =
      "RUNFLEET_WEBHOOK_SECRET_PREVIOUS_PARAM";
  public static final String ENV_PLATFORMS = "RUNFLEET_PLATFORMS";
  public static final String ENV_MAX_BODY_BYTES = "RUNFLEET_MAX_BODY_BYTES";
  public static final String ENV_STAGE = "RUNFLEET_STAGE";
  public static final String ENV_PARAMETER_CACHE_SECONDS = "RUNFLEET_PARAMETER_CACHE_SECONDS";
  public static final String ENV_MAX_EVENT_AGE_SECONDS = "RUNFLEET_MAX_EVENT_AGE_SECONDS";
  public static final String ENV_HOOK_RANGES_PARAMETER = "RUNFLEET_HOOK_RANGES_PARAMETER";

  /** Every key the producer reads besides {@link AwsSettings}'s. */
  public static final List<String> KEYS =
      List.of(
          ENV_TABLE,
          ENV_WEBHOOK_SECRET,
          ENV_WEBHOOK_SECRET_PARAM,
          ENV_WEBHOOK_SECRET_PREVIOUS,
          ENV_WEBHOOK_SECRET_PREVIOUS_PARAM,
          ENV_PLATFORMS,
          ENV_MAX_BODY_BYTES,
          ENV_STAGE,
          ENV_PARAMETER_CACHE_SECONDS,
          ENV_MAX_EVENT_AGE_SECONDS,
          ENV_HOOK_RANGES_PARAMETER);

  public static final int DEFAULT_MAX_BODY_BYTES = 1_048_576;

  /** GitHub cancels a job queued for 24 h: a queued event older than that is a replay. */
  public static final int DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;

  /** Ten years: what tests replaying GitHub's (old) example payloads set. */
  public static final int MAX_MAX_EVENT_AGE_SECONDS = 315_360_000;

  /** API Gateway's own payload limit: a larger setting could never take effect. */
  public static final int MAX_MAX_BODY_BYTES = 10 * 1_048_576;

  public ProducerConfig {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(webhookSecret, "webhookSecret");
    Objects.requireNonNull(previousWebhookSecret, "previousWebhookSecret");
    Objects.requireNonNull(platforms, "platforms");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(parameterCache, "parameterCache");
    Objects.requireNonNull(maxEventAge, "maxEventAge");
    Objects.requireNonNull(hookRangesParameter, "hookRangesParameter");
    Objects.requireNonNull(aws, "aws");
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
    }
  }

  /**
   * Reads and validates the configuration.
   *
   * @throws Env.ConfigException naming every problem at once
   */
  public static ProducerConfig from(Map<String, String> environment) {
    Env env = new Env(environment);
    String table = env.required(ENV_TABLE);
    Optional<SecretSource> current =
        secret(env, ENV_WEBHOOK_SECRET, ENV_WEBHOOK_SECRET_PARAM, true);
    Optional<SecretSource> previous =
        secret(env, ENV_WEBHOOK_SECRET_PREVIOUS, ENV_WEBHOOK_SECRET_PREVIOUS_PARAM, false);
    PlatformCatalog platforms = platforms(env);
    int maxBody = env.integer(ENV_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1024, MAX_MAX_BODY_BYTES);
    String stage = RuntimeParameters.stage(env, ENV_STAGE);
    int cacheSeconds = RuntimeParameters.cacheSeconds(env, ENV_PARAMETER_CACHE_SECONDS);
    int maxEventAge =
        env.integer(
            ENV_MAX_EVENT_AGE_SECONDS,
            DEFAULT_MAX_EVENT_AGE_SECONDS,
            60,
            MAX_MAX_EVENT_AGE_SECONDS);
    Optional<String> hookRanges = env.optional(ENV_HOOK_RANGES_PARAMETER);
    AwsSettings aws = AwsSettings.from(env);
    env.validate("producer");
    return new ProducerConfig(
        table,
        current.orElseThrow(),
        previous,
        platforms,
        maxBody,
        stage,
        Duration.ofSeconds(cacheSeconds),
        Duration.ofSeconds(maxEventAge),
        hookRanges,
        aws);
  }

  private static Optional<SecretSource> secret(
      Env env, String plainKey, String parameterKey, boolean required) {
    Optional<String> plain = env.optional(plainKey);
    Optional<String> parameter = env.optional(parameterKey);
    if (plain.isPresent() && parameter.isPresent()) {
      env.problem("set only one of " + plainKey + " and " + parameterKey);
      return Optional.empty();
    }
    if (plain.isPresent()) {
      return Optional.of(new SecretSource.Plain(plain.get()));
    }
    if (parameter.isPresent()) {
      return Optional.of(new SecretSource.SsmParameter(parameter.get()));
    }
    if (required) {
      env.problem("one of " + plainKey + " and " + parameterKey + " is required");
    }
    return Optional.empty();
  }

  private static PlatformCatalog platforms(Env env) {
    Optional<String> json = env.optional(ENV_PLATFORMS);
    if (json.isEmpty()) {
      return PlatformCatalog.defaults();
    }
    try {
      return PlatformCatalog.fromJson(json.get());
    } catch (IllegalArgumentException e) {
      env.problem(ENV_PLATFORMS + " is invalid: " + e.getMessage());
      return PlatformCatalog.defaults();
    }
  }

  /** True when a secret must be read from SSM at start. */
  public boolean readsSecretsFromSsm() {
    return webhookSecret instanceof SecretSource.SsmParameter
        || previousWebhookSecret.filter(SecretSource.SsmParameter.class::isInstance).isPresent();
  }

  @Override
  public String toString() {
    return "ProducerConfig[table="
        + table
        + ", webhookSecret="
        + webhookSecret
        + ", previousWebhookSecret="
        + previousWebhookSecret.map(Object::toString).orElse("none")
        + ", platforms="
        + platforms.all().stream().map(Platform::name).toList()
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", stage="
        + stage
        + ", parameterCache="
        + parameterCache.toSeconds()
        + "s"
        + ", maxEventAge="
        + maxEventAge.toSeconds()
        + "s"
        + ", hookRanges="
        + hookRangesParameter.map(name -> "ssm(" + name + ")").orElse("any source")
        + ", aws="
        + aws
        + "]";
  }

  /** Where a webhook secret comes from. */
  public sealed interface SecretSource {

    /** The secret's value, reading SSM parameters through {@code parameterReader}. */
    String resolve(UnaryOperator<String> parameterReader);

    /** The secret itself, from the environment: for local runs and development. */
    record Plain(String value) implements SecretSource {
      public Plain {
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException("a webhook secret must not be empty");
        }
      }

      @Override
      public String resolve(UnaryOperator<String> parameterReader) {
        return value;
      }

      @Override
      public String toString() {
        return "plain(****)";
      }
    }

    /** The name of an SSM SecureString parameter holding the secret. */
    record SsmParameter(String name) implements SecretSource {
      public SsmParameter {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("an SSM parameter name must not be blank");
        }
      }

      @Override
      public String resolve(UnaryOperator<String> parameterReader) {
        String value = parameterReader.apply(name);
        if (value == null || value.isEmpty()) {
          throw new IllegalStateException("SSM parameter " + name + " holds no webhook secret");
        }
        return value;
      }

      @Override
      public String toString() {
        return "ssm(" + name + ")";
      }
    }
  }
}
