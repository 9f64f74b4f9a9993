package dev.runfleet.producer.di;

import dagger.Binds;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dev.runfleet.aws.AllowListParameter;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.CachedParameter;
import dev.runfleet.aws.ParameterStore;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.domain.JobStateMachine;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.port.AllowListSource;
import dev.runfleet.common.port.JobEventStore;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.adapter.Backoff;
import dev.runfleet.producer.adapter.DynamoDbJobEventStore;
import dev.runfleet.producer.adapter.SsmParameterReader;
import dev.runfleet.producer.adapter.TelemetryIntakeMetrics;
import dev.runfleet.producer.hookranges.HookRanges;
import dev.runfleet.producer.intake.HookSources;
import dev.runfleet.producer.intake.IntakeMetrics;
import dev.runfleet.producer.intake.SignatureVerifier;
import dev.runfleet.producer.intake.WebhookIntake;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Binds the producer's ports to their AWS adapters and provides the process-wide singletons. */
@Module(includes = AwsModule.class)
public abstract class ProducerModule {

  /** Dagger name of a table client given to the component instead of one built here. */
  public static final String GIVEN_DYNAMODB = "runfleet.producer.givenDynamoDb";

  private ProducerModule() {}

  @Binds
  abstract JobEventStore jobEventStore(DynamoDbJobEventStore store);

  @Binds
  abstract IntakeMetrics intakeMetrics(TelemetryIntakeMetrics metrics);

  @Provides
  static AwsSettings awsSettings(ProducerConfig config) {
    return config.aws();
  }

  @Provides
  @Singleton
  static DynamoDbClient dynamoDb(
      AwsClients clients, @Named(GIVEN_DYNAMODB) Optional<DynamoDbClient> given) {
    return given.orElseGet(() -> dynamoDbClient(clients));
  }

  /** The table client as the function builds it. */
  public static DynamoDbClient dynamoDbClient(AwsClients clients) {
    return clients.configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME).build();
  }

  /** The secrets are read here, once, while the function initialises. */
  @Provides
  @Singleton
  static SignatureVerifier signatureVerifier(ProducerConfig config, Lazy<ParameterStore> ssm) {
    if (!config.readsSecretsFromSsm()) {
      UnaryOperator<String> none =
          name -> {
            throw new IllegalStateException("no SSM parameter is configured: " + name);
          };
      return verifier(config, none);
    }
    return verifier(config, new SsmParameterReader(ssm.get()));
  }

  @Provides
  @Singleton
  static AllowListSource allowList(ProducerConfig config, Lazy<ParameterStore> ssm, Clock clock) {
    return new AllowListParameter(ssm::get, config.stage(), config.parameterCache(), clock);
  }

  /**
   * GitHub's hook ranges, cached like the allow-list, when the front door checks them: a missing,
   * empty or invalid parameter lets no one in (503), a refused value keeps the last good list.
   */
  @Provides
  @Singleton
  static HookSources hookSources(ProducerConfig config, Lazy<ParameterStore> ssm, Clock clock) {
    return config
        .hookRangesParameter()
        .<HookSources>map(
            name -> {
              CachedParameter<HookRanges> ranges =
                  new CachedParameter<>(
                      ssm::get,
                      name,
                      config.parameterCache(),
                      clock,
                      HookRanges::parse,
                      HookRanges::describe);
              return sourceIp -> ranges.current().admits(sourceIp);
            })
        .orElse(HookSources.ANYWHERE);
  }

  private static SignatureVerifier verifier(
      ProducerConfig config, UnaryOperator<String> parameterReader) {
    return new SignatureVerifier(
        config.webhookSecret().resolve(parameterReader),
        config.previousWebhookSecret().map(s -> s.resolve(parameterReader)).orElse(null));
  }

  @Provides
  static PlatformCatalog platformCatalog(ProducerConfig config) {
    return config.platforms();
  }

  @Provides
  @Singleton
  static JobStateMachine jobStateMachine(PlatformCatalog catalog) {
    return new JobStateMachine(catalog);
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  @Singleton
  static Telemetry telemetry() {
    return new Telemetry("producer");
  }

  @Provides
  static Backoff backoff() {
    // Eight attempts stay well below a second in total, far inside GitHub's 10 s deadline.
    return Backoff.jittered(Duration.ofMillis(5), Duration.ofMillis(160));
  }

  @Provides
  @Named(DynamoDbJobEventStore.TABLE)
  static String table(ProducerConfig config) {
    return config.table();
  }

  @Provides
  @Named(WebhookIntake.MAX_BODY_BYTES)
  static int maxBodyBytes(ProducerConfig config) {
    return config.maxBodyBytes();
  }

  @Provides
  @Named(WebhookIntake.MAX_EVENT_AGE)
  static Duration maxEventAge(ProducerConfig config) {
    return config.maxEventAge();
  }
}
