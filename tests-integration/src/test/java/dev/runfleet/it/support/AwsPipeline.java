package dev.runfleet.it.support;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.JobsTable;
import dev.runfleet.aws.lambda.SqsMessage;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.PlatformCatalog;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.port.InMemoryJitHandOff;
import dev.runfleet.local.aws.BatchHandler;
import dev.runfleet.local.aws.FilterPolicies;
import dev.runfleet.local.aws.LocalContext;
import dev.runfleet.local.aws.LocalQueues;
import dev.runfleet.local.aws.SqsPoller;
import dev.runfleet.local.aws.StreamPoller;
import dev.runfleet.local.runtime.LocalMetrics;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import dev.runfleet.local.runtime.TableView;
import dev.runfleet.local.sim.SimulatedGitHub;
import dev.runfleet.local.sim.SimulatedHosts;
import dev.runfleet.local.sim.WebhookSender;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.OrchestratorHandler;
import dev.runfleet.orchestrators.di.DaggerOrchestratorComponent;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.ProducerHandler;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.PublisherHandler;
import dev.runfleet.publisher.PublisherSweepHandler;
import dev.runfleet.publisher.di.DaggerPublisherComponent;
import dev.runfleet.publisher.di.PublisherComponent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pipeline as deployed, minus Lambda itself: the real handler classes, configured through the
 * environment map Terraform would set, against AWS APIs served by a {@link Backend} (embedded
 * emulators or LocalStack). Pollers play Lambda's event source mappings, an {@link ApiGatewayFront}
 * plays API Gateway, and the simulated GitHub and hosts stand in for github.com and compute.
 *
 * <p>Every resource name carries a fresh suffix, so pipelines never share a table, topic or queue.
 */
public final class AwsPipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AwsPipeline.class);

  /** Where the AWS APIs come from, and how SNS subscriptions are made there. */
  public interface Backend extends AutoCloseable {

    String REGION = "us-east-1";

    URI dynamoDbEndpoint();

    URI sqsEndpoint();

    URI snsEndpoint();

    /** SSM Parameter Store, where the operator's caps and pause switch live. */
    URI ssmEndpoint();

    /** Puts a String parameter into the parameter store, overwriting any value. */
    void putParameter(String name, String value);

    /** Creates the topic; returns its ARN. */
    String createTopic(String name);

    /**
     * Subscribes the queue to the topic with raw message delivery and {@code filterPolicy} on the
     * message attributes, as Terraform's {@code aws_sns_topic_subscription} does.
     */
    void subscribe(String topicArn, LocalQueues.PlatformQueue queue, String filterPolicy);

    @Override
    void close();
  }

  /**
   * What the deployment configures.
   *
   * @param caps runners in flight per platform (the platforms' configured caps)
   * @param globalCap runners in flight across platforms
   * @param launchRate the operator's launch-rate parameter ({@code R/B}), or null for the default
   */
  public record Options(Map<String, Integer> caps, int globalCap, String launchRate) {

    public Options {
      caps = Map.copyOf(caps);
    }
  }

  /** An SQS message as an orchestrator handler received it. */
  public record Received(String platform, String body, Map<String, String> attributes) {}

  private final Backend backend;
  private final String secret;
  private final Options options;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<StreamPoller.FailedRecord> failedRecords = new CopyOnWriteArrayList<>();
  private DynamoDbClient dynamo;
  private TableView view;
  private String table;
  private Map<String, LocalQueues.PlatformQueue> queues;
  private SimulatedGitHub gitHub;
  private SimulatedHosts hosts;
  private final InMemoryJitHandOff handOff = new InMemoryJitHandOff();
  private ApiGatewayFront front;
  private PublisherSweepHandler sweep;
  private PlatformCatalog platforms;

  private AwsPipeline(Backend backend, String secret, Options options) {
    this.backend = backend;
    this.secret = secret;
    this.options = options;
  }

  /** Creates the resources on {@code backend} and starts every stage. */
  public static AwsPipeline start(Backend backend, String secret, Options options) {
    AwsPipeline pipeline = new AwsPipeline(backend, secret, options);
    try {
      pipeline.boot();
      return pipeline;
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  private void boot() {
    // Powertools metrics kept in memory, as in the local runtime, instead of EMF on stdout.
    LocalMetrics.install();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    platforms = PlatformCatalog.defaults().withCaps(options.caps());

    AwsSettings dynamoSettings = AwsSettings.emulator(backend.dynamoDbEndpoint());
    dynamo = track(new AwsClients(dynamoSettings).configure(DynamoDbClient.builder()).build());
    table = "it-jobs-" + suffix;
    view = new TableView(dynamo, table);
    dynamo.createTable(JobsTable.createTableRequest(table));
    try (var waiter = dynamo.waiter()) {
      waiter.waitUntilTableExists(b -> b.tableName(table));
    }
    String streamArn = dynamo.describeTable(b -> b.tableName(table)).table().latestStreamArn();

    SqsClient sqs =
        track(
            new AwsClients(AwsSettings.emulator(backend.sqsEndpoint()))
                .configure(SqsClient.builder())
                .build());
    queues = new LinkedHashMap<>();
    for (String platform : platforms.names()) {
      queues.put(
          platform,
          LocalQueues.create(
              sqs, platform, LocalQueues.Options.defaults().withNamePrefix("it-" + suffix + "-")));
    }
    String topicArn = backend.createTopic("it-runner-commands-" + suffix);
    for (String platform : platforms.names()) {
      backend.subscribe(topicArn, queues.get(platform), FilterPolicies.load(platform));
    }

    Map<String, String> env = new HashMap<>();
    env.put(AwsSettings.ENV_REGION, Backend.REGION);
    env.put(AwsSettings.ENV_ENDPOINT, backend.dynamoDbEndpoint().toString());
    env.put(AwsSettings.ENV_ENDPOINT + "_DYNAMODB", backend.dynamoDbEndpoint().toString());
    env.put(AwsSettings.ENV_ENDPOINT + "_SQS", backend.sqsEndpoint().toString());
    env.put(AwsSettings.ENV_ENDPOINT + "_SNS", backend.snsEndpoint().toString());
    env.put(AwsSettings.ENV_ENDPOINT + "_SSM", backend.ssmEndpoint().toString());
    env.put(ProducerConfig.ENV_TABLE, table);
    env.put(ProducerConfig.ENV_WEBHOOK_SECRET, secret);
    env.put(ProducerConfig.ENV_PLATFORMS, platforms.toJson());
    // GitHub's example payloads are years old: replayed here as fresh deliveries.
    env.put(
        ProducerConfig.ENV_MAX_EVENT_AGE_SECONDS,
        Integer.toString(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS));
    env.put(PublisherConfig.ENV_TOPIC_ARN, topicArn);
    env.put(PublisherConfig.ENV_GLOBAL_CAP, Integer.toString(options.globalCap()));
    // A stage of its own: the runtime parameters of one pipeline never steer another.
    String stage = "it-" + suffix;
    env.put(PublisherConfig.ENV_STAGE, stage);
    if (options.launchRate() != null) {
      backend.putParameter(RuntimeParameters.launchRate(stage), options.launchRate());
    }
    env.put(PublisherConfig.ENV_PARAMETER_CACHE_SECONDS, "1");

    front = track(ApiGatewayFront.start(new ProducerHandler(ProducerConfig.from(env))));
    gitHub =
        track(
            new SimulatedGitHub(
                new WebhookSender(front.baseUri().resolve("/webhook"), secret),
                Clock.systemUTC(),
                RuntimeOptions.GITHUB_HOSTED));
    hosts =
        track(
            new SimulatedHosts(
                gitHub,
                handOff,
                new SimulatedHosts.Behaviour(Duration.ofMillis(50), Duration.ofMillis(150), 0.0)));

    PublisherComponent publisher =
        DaggerPublisherComponent.builder().config(PublisherConfig.from(env)).build();
    track(
        new StreamPoller(
                track(
                    new AwsClients(dynamoSettings)
                        .configure(DynamoDbStreamsClient.builder())
                        .build()),
                streamArn,
                "runfleet-publisher",
                new PublisherHandler(publisher)::handle,
                StreamPoller.Options.defaults(),
                failedRecords::add)
            .start());
    // The EventBridge schedule of the sweep function.
    sweep = new PublisherSweepHandler(publisher);
    ScheduledExecutorService schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "it-publisher-sweep");
              t.setDaemon(true);
              return t;
            });
    closeables.add(schedule::shutdownNow);
    schedule.scheduleWithFixedDelay(
        () -> {
          try {
            sweep();
          } catch (RuntimeException e) {
            // As a failed scheduled invocation: logged, and the next one runs on time.
            LOG.warn("sweep invocation failed", e);
          }
        },
        2,
        2,
        TimeUnit.SECONDS);

    for (Platform platform : platforms.all()) {
      OrchestratorComponent component =
          DaggerOrchestratorComponent.builder()
              .config(OrchestratorConfig.from(env, platform.name()))
              .launcher(hosts)
              .gitHub(gitHub)
              .handOff(handOff)
              .build();
      BatchHandler<SqsMessage> handler =
          recording(platform.name(), LocalRuntime.orchestratorFor(platform, component));
      SqsPoller poller =
          new SqsPoller(
              sqs,
              queues.get(platform.name()).queueUrl(),
              "runfleet-orchestrator-" + platform.name(),
              handler,
              SqsPoller.Options.defaults());
      track(poller.start());
    }
  }

  /** Notes every message a platform's handler is invoked with, then lets the handler run. */
  private BatchHandler<SqsMessage> recording(String platform, OrchestratorHandler handler) {
    return (messages, context) -> {
      for (SqsMessage message : messages) {
        received.add(new Received(platform, message.body(), message.messageAttributes()));
      }
      return handler.handle(messages, context);
    };
  }

  private static LocalContext context(String function) {
    return new LocalContext(function, Duration.ofSeconds(30));
  }

  private <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /**
   * One invocation of the sweep function, as its schedule fires it; returns how many runners it
   * requested. Invocations may overlap each other and the stream handler, as Lambda's do.
   */
  public int sweep() {
    return sweep.sweep(context("runfleet-publisher-sweep"));
  }

  // ---- views ----

  /** The platforms as configured, caps included. */
  public PlatformCatalog platforms() {
    return platforms;
  }

  public Options options() {
    return options;
  }

  /** Runners holding a slot of {@code platformOrGlobal}, from the table's counter. */
  public int inFlight(String platformOrGlobal) {
    return view.inFlight(platformOrGlobal);
  }

  /** Where GitHub would send its webhooks: API Gateway's base URL. */
  public URI baseUri() {
    return front.baseUri();
  }

  public SimulatedGitHub gitHub() {
    return gitHub;
  }

  public SimulatedHosts hosts() {
    return hosts;
  }

  /** Every message the orchestrators were invoked with, in arrival order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Stream records the publisher gave up on (Lambda's on-failure destination). */
  public List<StreamPoller.FailedRecord> failedRecords() {
    return List.copyOf(failedRecords);
  }

  public List<Job> jobs() {
    return view.jobs();
  }

  public List<Runner> runners() {
    return view.runners();
  }

  /** The item at {@code key}, empty when there is none. */
  public Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    return view.item(key);
  }

  /** The platform named in a received message's {@code platform} attribute, lower-cased. */
  public static String platformOf(Received message) {
    return message.attributes().getOrDefault("platform", "").toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // Teardown goes on: a stage that did not stop cleanly must not keep the others running.
        LOG.warn("closing {} failed", closeables.get(i), e);
      }
    }
    closeables.clear();
    backend.close();
  }
}
