package dev.runfleet.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.aws.InProcessEndpoints;
import dev.runfleet.aws.SnsCommandBus;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.common.config.RuntimeParameters;
import dev.runfleet.common.contract.CommandCodec;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.port.InMemoryJitHandOff;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import dev.runfleet.emulators.EmbeddedSqs;
import dev.runfleet.emulators.dynamodb.DynamoDbApi;
import dev.runfleet.emulators.dynamodb.DynamoDbEngine;
import dev.runfleet.emulators.dynamodb.DynamoDbServer;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeHttpClient;
import dev.runfleet.emulators.edge.EdgeServer;
import dev.runfleet.emulators.sns.SnsEmulator;
import dev.runfleet.emulators.sqs.SqsForwarder;
import dev.runfleet.emulators.ssm.SsmEmulator;
import dev.runfleet.local.aws.AwsCallCounts;
import dev.runfleet.local.aws.FilterPolicies;
import dev.runfleet.local.aws.LocalContext;
import dev.runfleet.local.aws.LocalQueues;
import dev.runfleet.local.aws.SqsPoller;
import dev.runfleet.local.aws.StreamPoller;
import dev.runfleet.local.explain.FleetReader;
import dev.runfleet.local.sim.SimulatedGitHub;
import dev.runfleet.local.sim.SimulatedHosts;
import dev.runfleet.local.sim.WebhookSender;
import dev.runfleet.orchestrators.Ec2LinuxArm64OrchestratorHandler;
import dev.runfleet.orchestrators.Ec2LinuxX64OrchestratorHandler;
import dev.runfleet.orchestrators.FargateOrchestratorHandler;
import dev.runfleet.orchestrators.OrchestratorConfig;
import dev.runfleet.orchestrators.OrchestratorHandler;
import dev.runfleet.orchestrators.adapter.DynamoDbRunnerStore;
import dev.runfleet.orchestrators.di.DaggerOrchestratorComponent;
import dev.runfleet.orchestrators.di.OrchestratorComponent;
import dev.runfleet.orchestrators.github.GitHubAppClient;
import dev.runfleet.orchestrators.github.GitHubAppSettings;
import dev.runfleet.orchestrators.hostevents.HostEnds;
import dev.runfleet.orchestrators.hostevents.HostEventsHandler;
import dev.runfleet.orchestrators.reconcile.DaggerReconcilerComponent;
import dev.runfleet.orchestrators.reconcile.Reconciler;
import dev.runfleet.orchestrators.reconcile.ReconcilerComponent;
import dev.runfleet.orchestrators.reconcile.ReconcilerConfig;
import dev.runfleet.producer.ProducerConfig;
import dev.runfleet.producer.ProducerHandler;
import dev.runfleet.publisher.PublisherConfig;
import dev.runfleet.publisher.PublisherHandler;
import dev.runfleet.publisher.PublisherWakeUpHandler;
import dev.runfleet.publisher.di.DaggerPublisherComponent;
import dev.runfleet.publisher.di.PublisherComponent;
import dev.runfleet.publisher.flow.FlowSettings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The whole pipeline in one JVM: runfleet's DynamoDB emulator with its stream, ElasticMQ, an SNS
 * endpoint that routes by the filter-policy files, the real Lambda handler classes driven by
 * pollers that play Lambda's event source mappings, a simulated GitHub and simulated runner hosts,
 * and an HTTP endpoint that takes {@code POST /webhook} exactly as GitHub sends it.
 */
public final class LocalRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);
  public static final String TABLE = "runfleet-jobs";
  public static final String TOPIC = "runner-commands";

  /** Concurrent batches per stream shard: Terraform's publisher mapping sets the same. */
  public static final int STREAM_PARALLELIZATION = 4;

  /**
   * The stage of the runtime parameters locally: {@code /runfleet/dev/...}, the CLI's default
   * stage.
   */
  public static final String STAGE = "dev";

  private final RuntimeOptions options;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();
  private DynamoDbClient dynamo;
  private SqsClient sqs;
  private TableView table;
  private SnsEmulator sns;
  private SimulatedGitHub gitHub;
  private SimulatedHosts hosts;
  private final InMemoryJitHandOff handOff = new InMemoryJitHandOff();
  private LocalHttp http;
  private StreamPoller streamPoller;
  private final Map<String, SqsPoller> sqsPollers = new LinkedHashMap<>();
  private SqsPoller wakeUpPoller;
  private Map<String, LocalQueues.PlatformQueue> queues;
  private PublisherComponent publisher;
  private ReconcilerComponent reconciler;
  private LocalMetrics metrics;
  private FleetReader fleet;
  private final SsmEmulator parameters = new SsmEmulator("us-east-1", Clock.systemUTC());

  /**
   * Builds a platform's orchestrator from the environment the local runtime prepared (table and
   * emulator endpoints); the default uses the simulated hosts and GitHub.
   */
  @FunctionalInterface
  public interface Orchestrators {
    OrchestratorComponent build(Platform platform, Map<String, String> localEnvironment);
  }

  private final Orchestrators orchestrators;

  private LocalRuntime(RuntimeOptions options, Orchestrators orchestrators) {
    this.options = options;
    this.orchestrators = orchestrators;
  }

  /** Starts everything with simulated hosts; the runtime serves until {@link #close()}. */
  public static LocalRuntime start(RuntimeOptions options) {
    return start(options, null);
  }

  /**
   * Starts everything, with orchestrators from {@code orchestrators} (null: simulated hosts), for
   * running the local pipeline against real AWS hosts and a real GitHub App.
   */
  public static LocalRuntime start(RuntimeOptions options, Orchestrators orchestrators) {
    LocalRuntime runtime = new LocalRuntime(options, orchestrators);
    try {
      runtime.boot();
      return runtime;
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  private void boot() {
    long started = System.nanoTime();
    LocalHttp.requireFree(options.port());
    // Before the emulators' edge starts the JVM's first JDK HTTP server, which reads it.
    EdgeServer.configureJdkServers();
    metrics = LocalMetrics.install();
    DynamoDbEngine dynamoDbEngine = new DynamoDbEngine(Clock.systemUTC(), "us-east-1");
    ScheduledExecutorService ttl = DynamoDbServer.sweep(dynamoDbEngine, Duration.ofSeconds(1));
    closeables.add(ttl::shutdownNow);
    EmbeddedSqs sqsServer = track(EmbeddedSqs.start(0));
    // ElasticMQ's own port serves the pollers and SNS's deliveries: Lambda's and SNS's calls.
    closeables.add(AwsCallCounts.eventSource(sqsServer.endpoint()));
    sqs = track(new AwsClients(sqsServer.settings()).configure(SqsClient.builder()).build());
    queues =
        LocalQueues.createAll(
            sqs,
            options.platforms().names(),
            LocalQueues.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(2)));
    LocalQueues.PlatformQueue wakeUpQueue =
        LocalQueues.create(
            sqs,
            "publisher-wake-up",
            LocalQueues.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(2)));
    sns = new SnsEmulator(sqs, "us-east-1");
    String topicArn = sns.createTopic(TOPIC);
    for (Platform platform : options.platforms().all()) {
      sns.subscribe(
          topicArn, FilterPolicies.load(platform.name()), queues.get(platform.name()).queueUrl());
    }

    AwsEdge awsEdge =
        AwsEdge.of(
            new DynamoDbApi(dynamoDbEngine),
            parameters,
            sns,
            new SqsForwarder(sqsServer.endpoint()));
    http = track(LocalHttp.start(options.port(), this, awsEdge));
    // The stages' own SDK clients reach the emulators without a socket; the port still serves
    // every outside client (the CLI, `aws --endpoint-url`).
    closeables.add(InProcessEndpoints.register(http.baseUri(), new EdgeHttpClient(awsEdge)));
    // Every emulated AWS API answers on the runtime's own port, as `aws --endpoint-url` sees it.
    AwsSettings edge = AwsSettings.emulator(http.baseUri());
    dynamo = track(new AwsClients(edge).configure(DynamoDbClient.builder()).build());
    String streamArn = EmbeddedDynamoDb.createJobsTable(dynamo, TABLE);
    table = new TableView(dynamo, TABLE);
    // As Terraform creates them at deploy: the operator's 'caps set' checks a platform against
    // them.
    for (Platform platform : options.platforms().all()) {
      parameters.put(
          RuntimeParameters.cap(STAGE, platform.name()), Integer.toString(platform.cap()));
    }
    parameters.put(
        RuntimeParameters.cap(STAGE, RuntimeParameters.GLOBAL),
        Integer.toString(options.globalCap()));
    if (options.launchRate() != null) {
      parameters.put(RuntimeParameters.launchRate(STAGE), options.launchRate());
    }
    URI webhook = http.baseUri().resolve("/webhook");
    gitHub =
        track(
            new SimulatedGitHub(
                new WebhookSender(webhook, options.webhookSecret()),
                Clock.systemUTC(),
                options.hostedLabels()));
    hosts =
        track(
            new SimulatedHosts(
                gitHub,
                handOff,
                new SimulatedHosts.Behaviour(
                    options.bootMin(), options.bootMax(), options.launchFailureRate())));

    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-1");
    // The emulators share two cores with everything else here: give calls room before a retry.
    env.put(AwsSettings.ENV_CALL_TIMEOUT_MS, "30000");
    env.put(AwsSettings.ENV_ENDPOINT, http.baseUri().toString());
    env.put("RUNFLEET_STAGE", STAGE);
    env.put("RUNFLEET_PARAMETER_CACHE_SECONDS", Integer.toString(options.parameterCacheSeconds()));
    env.put("RUNFLEET_TABLE", TABLE);
    env.put("RUNFLEET_TOPIC_ARN", topicArn);
    env.put("RUNFLEET_PLATFORMS", options.platforms().toJson());
    env.put("RUNFLEET_GLOBAL_CAP", Integer.toString(options.globalCap()));
    env.put(PublisherConfig.ENV_WAKE_UP_QUEUE_URL, wakeUpQueue.queueUrl());
    if (options.runnerIdleTimeout() != null) {
      env.put(
          PublisherConfig.ENV_RUNNER_IDLE_SECONDS,
          Long.toString(options.runnerIdleTimeout().toSeconds()));
    }
    // The simulated GitHub has no JIT budget to protect: the launch-rate parameter alone paces.
    env.put(PublisherConfig.ENV_MAX_LAUNCH_RATE, "1000");
    env.put("RUNFLEET_WEBHOOK_SECRET", options.webhookSecret());
    // Locally the webhook is fed recorded and example payloads (GitHub's are years old): no age
    // bound beyond the largest. The deployed producer refuses queued events older than a day.
    env.put(
        ProducerConfig.ENV_MAX_EVENT_AGE_SECONDS,
        Integer.toString(ProducerConfig.MAX_MAX_EVENT_AGE_SECONDS));

    http.producer(new ProducerHandler(ProducerConfig.from(env)));
    PublisherConfig publisherConfig = PublisherConfig.from(env);
    publisher = DaggerPublisherComponent.builder().config(publisherConfig).build();
    // The operator's view reads the parameters as this publisher does, through the SSM API.
    fleet =
        new FleetReader(
            dynamo,
            track(new AwsClients(edge).configure(SsmClient.builder()).build()),
            publisherConfig,
            Clock.systemUTC());
    // Each concurrent batch gets its own publisher, as Lambda runs each in its own environment.
    streamPoller =
        track(
            new StreamPoller(
                    track(new AwsClients(edge).configure(DynamoDbStreamsClient.builder()).build()),
                    streamArn,
                    "runfleet-publisher",
                    () ->
                        new PublisherHandler(
                                DaggerPublisherComponent.builder().config(publisherConfig).build())
                            ::handle,
                    StreamPoller.Options.defaults()
                        .withParallelizationFactor(STREAM_PARALLELIZATION),
                    failed ->
                        LOG.error("stream record {} sent to the on-failure destination", failed))
                .start());
    wakeUpPoller =
        track(
            new SqsPoller(
                    sqs,
                    wakeUpQueue.queueUrl(),
                    "runfleet-publisher-wake-up",
                    new PublisherWakeUpHandler(publisher)::handle,
                    SqsPoller.Options.defaults())
                .start());
    if (orchestrators == null) {
      hostEvents(env);
    }
    for (Platform platform : options.platforms().all()) {
      OrchestratorComponent component =
          orchestrators != null
              ? orchestrators.build(platform, Map.copyOf(env))
              : DaggerOrchestratorComponent.builder()
                  .config(OrchestratorConfig.from(env, platform.name()))
                  .launcher(hosts)
                  .gitHub(gitHub)
                  .handOff(handOff)
                  .build();
      SqsPoller poller =
          new SqsPoller(
              sqs,
              queues.get(platform.name()).queueUrl(),
              "runfleet-orchestrator-" + platform.name(),
              orchestratorFor(platform, component)::handle,
              SqsPoller.Options.defaults().withConcurrency(2));
      sqsPollers.put(platform.name(), track(poller.start()));
    }
    if (orchestrators == null) {
      startReconciler(env, topicArn, edge);
    } else {
      LOG.info("the reconciler runs with simulated hosts only; with real hosts it runs in AWS");
    }
    ScheduledExecutorService sweeper = daemonScheduler("publisher-sweep");
    closeables.add(sweeper::shutdownNow);
    long sweepMs = options.sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    http.ready();
    LOG.info(
        "runfleet local is up in {} ms: POST {} ; API {}",
        (System.nanoTime() - started) / 1_000_000,
        webhook,
        http.baseUri().resolve("/api/jobs"));
  }

  /**
   * The reconciler Lambda's classes on a schedule, against the simulated GitHub and hosts, sending
   * its commands through the same topic as the publisher.
   */
  private void startReconciler(Map<String, String> baseEnv, String topicArn, AwsSettings edge) {
    RuntimeOptions.Reconcile settings = options.reconcile();
    Map<String, String> env = new HashMap<>(baseEnv);
    String stuck = Long.toString(settings.stuckAfter().toSeconds());
    env.put(ReconcilerConfig.ENV_JOB_STUCK_SECONDS, stuck);
    env.put(ReconcilerConfig.ENV_SPIN_UP_DEADLINE_SECONDS, stuck);
    env.put(
        ReconcilerConfig.ENV_MAX_RUNNER_SECONDS, Long.toString(settings.maxRunner().toSeconds()));
    if (settings.bootDeadline() != null) {
      String boot = Long.toString(settings.bootDeadline().toSeconds());
      env.put(ReconcilerConfig.ENV_BOOT_DEADLINE_EC2_SECONDS, boot);
      env.put(ReconcilerConfig.ENV_BOOT_DEADLINE_FARGATE_SECONDS, boot);
    }
    String orphans = Long.toString(settings.orphanSweep().toSeconds());
    env.put(ReconcilerConfig.ENV_ORPHAN_SWEEP_SECONDS, orphans);
    env.put(ReconcilerConfig.ENV_ORPHAN_GRACE_SECONDS, orphans);
    SnsClient snsClient = track(new AwsClients(edge).configure(SnsClient.builder()).build());
    // GitHub's REST API as the reconciler Lambda calls it: our client, over HTTP, to the simulated
    // GitHub's API on this port, with the simulated App's key (never logged).
    SimGitHubApi api = http.gitHubApi();
    GitHubAppClient gitHubClient =
        new GitHubAppClient(
            GitHubAppSettings.of(SimGitHubApi.APP_ID)
                .withApiBaseUrl(http.baseUri().resolve(SimGitHubApi.BASE)),
            api::appKeyPem);
    reconciler =
        DaggerReconcilerComponent.builder()
            .config(ReconcilerConfig.from(env))
            .gitHub(gitHubClient)
            .deliveries(gitHubClient.deliveries())
            .hosts(hosts)
            .taggedHosts(hosts)
            .handOff(handOff)
            .commands(new SnsCommandBus(snsClient, topicArn, new CommandCodec()))
            .build();
    ScheduledExecutorService schedule = daemonScheduler("reconciler");
    closeables.add(schedule::shutdownNow);
    long ms = settings.interval().toMillis();
    schedule.scheduleWithFixedDelay(this::reconcile, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One reconciler pass now (also what the schedule runs); null when no reconciler runs. */
  public Reconciler.PassReport reconcile() {
    if (reconciler == null) {
      return null;
    }
    synchronized (reconciler) {
      try {
        return AwsCallCounts.during("runfleet-reconciler", reconciler.reconciler()::pass);
      } catch (RuntimeException e) {
        LOG.warn("reconciler pass failed; the next one starts afresh", e);
        return null;
      }
    }
  }

  /**
   * The host-events function as EventBridge invokes it: asynchronously, retried twice a second
   * apart when the end could not be recorded, then dropped with an error line (the dead-letter
   * queue's part).
   */
  private void hostEvents(Map<String, String> env) {
    Telemetry telemetry = new Telemetry("host-events");
    HostEventsHandler handler =
        new HostEventsHandler(
            new HostEnds(
                hosts::owner,
                new DynamoDbRunnerStore(dynamo, TABLE),
                gitHub,
                handOff,
                options.platforms(),
                telemetry,
                Clock.systemUTC()),
            telemetry);
    ScheduledExecutorService events = daemonScheduler("host-events");
    closeables.add(events::shutdownNow);
    hosts.emitHostEnds(
        platform -> options.platforms().find(platform).map(Platform::hostKind).orElse(HostKind.EC2),
        event -> events.execute(() -> deliverHostEvent(handler, event, events, 1)));
  }

  private static void deliverHostEvent(
      HostEventsHandler handler, String event, ScheduledExecutorService events, int attempt) {
    try {
      AwsCallCounts.during(
          "runfleet-host-events",
          () -> handler.handle(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8))));
    } catch (RuntimeException e) {
      if (attempt >= 3) {
        LOG.error(
            "host event not recorded after {} attempts; dropped: {}", attempt, e.getMessage());
        return;
      }
      events.schedule(
          () -> deliverHostEvent(handler, event, events, attempt + 1), 1, TimeUnit.SECONDS);
    }
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  private void sweep() {
    try {
      AwsCallCounts.during("runfleet-publisher-sweep", publisher.flowController()::sweep);
    } catch (RuntimeException e) {
      LOG.warn("periodic sweep failed; the next one retries", e);
    }
  }

  /**
   * The handler class Lambda would run for this platform; its no-arg wiring is replaced by ours.
   */
  public static OrchestratorHandler orchestratorFor(
      Platform platform, OrchestratorComponent component) {
    if (platform.hostKind() == HostKind.ECS_FARGATE) {
      return new FargateOrchestratorHandler(component);
    }
    return "arm64".equals(platform.arch())
        ? new Ec2LinuxArm64OrchestratorHandler(component)
        : new Ec2LinuxX64OrchestratorHandler(component);
  }

  private <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  // ---- views for the API, the demo and tests ----

  public RuntimeOptions options() {
    return options;
  }

  public URI baseUri() {
    return http.baseUri();
  }

  /** The local parameter store (also served as SSM on the HTTP port). */
  public SsmEmulator parameters() {
    return parameters;
  }

  public Map<String, Double> metrics() {
    return metrics.totals();
  }

  /** The fleet as the operator's commands read it: limits in force, queues, why a job waits. */
  public FleetReader fleet() {
    return fleet;
  }

  /** True when the fleet runs on the simulated GitHub and hosts (no real orchestrators). */
  public boolean simulated() {
    return orchestrators == null;
  }

  /** The simulated GitHub's REST API on this runtime's port. */
  SimGitHubApi gitHubApi() {
    return http.gitHubApi();
  }

  /** Requests the simulated GitHub's REST API has answered (the reconciler's calls). */
  public int gitHubApiRequests() {
    return http.gitHubApi().served();
  }

  public SimulatedGitHub gitHub() {
    return gitHub;
  }

  /** Where JIT configs wait for their simulated hosts; empty once every runner booted or ended. */
  public InMemoryJitHandOff handOff() {
    return handOff;
  }

  public SimulatedHosts hosts() {
    return hosts;
  }

  public SnsEmulator sns() {
    return sns;
  }

  public DynamoDbClient dynamo() {
    return dynamo;
  }

  public Map<String, LocalQueues.PlatformQueue> queues() {
    return queues;
  }

  public StreamPoller.Stats streamStats() {
    return streamPoller.stats();
  }

  public Map<String, SqsPoller.Stats> queueStats() {
    Map<String, SqsPoller.Stats> out = new LinkedHashMap<>();
    sqsPollers.forEach((k, v) -> out.put(k, v.stats()));
    return out;
  }

  /**
   * What {@code /health} answers: each emulator answering and each poller (the stand-in for
   * Lambda's event source mappings) running; paused is reported, not a failure.
   */
  public record Health(boolean healthy, boolean paused, Map<String, String> checks) {}

  public Health health() {
    Map<String, String> checks = new LinkedHashMap<>();
    checks.put("dynamodb", answers(() -> dynamo.describeTable(b -> b.tableName(TABLE))));
    checks.put("sqs", answers(() -> sqs.listQueues()));
    checks.put("stream-poller", streamPoller != null && streamPoller.alive() ? "ok" : "down");
    checks.put("wake-up-poller", wakeUpPoller != null && wakeUpPoller.alive() ? "ok" : "down");
    sqsPollers.forEach(
        (platform, poller) ->
            checks.put("queue-poller-" + platform, poller.alive() ? "ok" : "down"));
    boolean healthy = checks.values().stream().allMatch("ok"::equals);
    boolean paused =
        Boolean.parseBoolean(parameters.snapshot().get(RuntimeParameters.paused(STAGE)));
    return new Health(healthy, paused, checks);
  }

  private static String answers(Runnable call) {
    try {
      call.run();
      return "ok";
    } catch (RuntimeException e) {
      return "down: " + e.getClass().getSimpleName();
    }
  }

  /** Every job item (a scan: local inspection only, never on the pipeline's path). */
  public List<Job> jobs() {
    return table.jobs();
  }

  /**
   * Whether any job or runner is in a live status: cheap whatever the table holds (see {@link
   * TableView#anyLive()}).
   */
  public boolean anyLive() {
    return table.anyLive();
  }

  public List<Runner> runners() {
    return table.runners();
  }

  /**
   * The caps, launch rate and pause switch as the publisher reads them (runtime parameters over
   * configured defaults): what is in force, not what was configured.
   */
  public FlowSettings flowSettings() {
    return publisher.flowSettings();
  }

  /** Dashboard event streams open now. */
  int eventStreams() {
    return http.eventStreams();
  }

  /** Runners holding a slot per platform (and {@code global}), from the table's counters. */
  public int inFlight(String platformOrGlobal) {
    return table.inFlight(platformOrGlobal);
  }

  LocalContext context(String function) {
    return new LocalContext(function, Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", closeables.get(i), e);
      }
    }
    closeables.clear();
  }
}
