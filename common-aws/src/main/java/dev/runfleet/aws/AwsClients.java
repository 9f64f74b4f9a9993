package dev.runfleet.aws;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Configures SDK client builders the same way everywhere: one HTTP client implementation (URL
 * connection: small, fast to start), explicit region, timeouts on every call, and emulator
 * credentials when an endpoint override is set. Build each client once per process.
 */
public final class AwsClients {

  // Emulators accept any signed request; real AWS uses the default provider chain.
  private static final AwsCredentialsProvider EMULATOR_CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("runfleet", "runfleet"));

  private final AwsSettings settings;
  private final SdkHttpClient httpClient;
  private final AwsCredentialsProvider awsCredentials = awsCredentials();

  public AwsClients(AwsSettings settings) {
    this.settings = settings;
    this.httpClient =
        InProcessEndpoints.routing(
            settings,
            UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofSeconds(2))
                .socketTimeout(settings.apiCallAttemptTimeout())
                .build());
  }

  public AwsSettings settings() {
    return settings;
  }

  /**
   * The process's one HTTP client, for calls made without a service client ({@link SsmParameters}).
   */
  public SdkHttpClient httpClient() {
    return httpClient;
  }

  /**
   * The credentials a call to {@code service} signs with: the emulators' when its endpoint is
   * overridden, else the process's one provider for AWS (Lambda's role).
   */
  public AwsCredentialsProvider credentials(String service) {
    return settings.endpointFor(service).isPresent() ? EMULATOR_CREDENTIALS : awsCredentials;
  }

  /**
   * Lambda hands the function its role's credentials in environment variables: those first, so a
   * cold start neither builds nor walks the SDK's default chain (system properties, web identity,
   * profile files, container and instance metadata), which stays behind them for anywhere else.
   */
  private static AwsCredentialsProvider awsCredentials() {
    return AwsCredentialsProviderChain.builder()
        .credentialsProviders(
            EnvironmentVariableCredentialsProvider.create(),
            DefaultCredentialsProvider.builder().build())
        .build();
  }

  /**
   * The one timer thread of the process's clients, on which each call arms its two timeouts. The
   * SDK's default is a pool of five threads per client whose cancelled timers (every call that ends
   * in time cancels two) stay queued until they would have fired, each then waking a thread to
   * discard it: thousands queued and as many wake-ups a second under load. Here a cancelled timer
   * leaves the queue at once, and the thread wakes only for a timeout that fires. Never shut down
   * (the SDK leaves an executor it was handed alone): a daemon thread, for the process's life.
   */
  static final class CallTimers {

    static final ScheduledExecutorService SHARED = create();

    private CallTimers() {}

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor timers =
          new ScheduledThreadPoolExecutor(
              1,
              task -> {
                Thread thread = new Thread(task, "runfleet-aws-call-timers");
                thread.setDaemon(true);
                return thread;
              });
      timers.setRemoveOnCancelPolicy(true);
      return timers;
    }
  }

  /**
   * Applies region, the default endpoint override, credentials, HTTP client and timeouts to {@code
   * builder} and returns it.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
    return configure(builder, "");
  }

  /**
   * As {@link #configure(AwsClientBuilder)}, honouring a per-service endpoint override for {@code
   * service}.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
      B builder, String service) {
    builder
        .region(Region.of(settings.region()))
        .httpClient(httpClient)
        .credentialsProvider(credentials(service))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .apiCallTimeout(settings.apiCallTimeout())
                .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
                .scheduledExecutorService(CallTimers.SHARED)
                .build());
    settings.endpointFor(service).ifPresent(builder::endpointOverride);
    return builder;
  }
}
